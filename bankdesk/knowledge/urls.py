from django.urls import path

from bankdesk.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<str:code>/", views.case_detail, name="case"),
    path("articles/", views.article_list, name="articles"),
    path("articles/new/", views.article_edit, name="article_create"),
    path("articles/<id:article_id>/", views.article_detail, name="article"),
    path("articles/<id:article_id>/edit/", views.article_edit, name="article_edit"),
    path("phrases/", views.phrase_list, name="phrases"),
    path("phrases/<id:phrase_id>/edit/", views.phrase_edit, name="phrase_edit"),
    path("language-check/", views.language_check, name="language_check"),
    path("imports/", views.import_runs, name="import_runs"),
    path("imports/<id:run_id>/", views.import_run, name="import_run"),
]
