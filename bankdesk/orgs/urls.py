from django.urls import path

from bankdesk.orgs import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<id:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<id:user_id>/", views.user_detail, name="user_detail"),
    path("users/<id:user_id>/active/", views.user_set_active, name="user_set_active"),
    path("users/<id:user_id>/reveal-mobile/", views.user_reveal_mobile, name="user_reveal_mobile"),
    path("roles/<id:assignment_id>/revoke/", views.role_revoke, name="role_revoke"),
    path("grants/<id:grant_id>/approve/", views.grant_approve, name="grant_approve"),
    path("grants/<id:grant_id>/reject/", views.grant_reject, name="grant_reject"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<id:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
