from django.contrib.auth import views as auth_views
from django.urls import include, path

from bankdesk.api import api
from bankdesk.orgs import views as orgs_views
from bankdesk.orgs.forms import LoginForm

urlpatterns = [
    path("", orgs_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="orgs/login.html",
                                                         authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("bankdesk.core.urls")),
    path("org/", include("bankdesk.orgs.urls")),
    path("complaints/imports/", include("bankdesk.complaints.web.import_urls")),
    path("complaints/", include("bankdesk.complaints.web.urls")),
    path("track/", include("bankdesk.complaints.web.public_urls")),
    path("knowledge/", include("bankdesk.knowledge.urls")),
    path("callcenter/", include("bankdesk.callcenter.urls")),
    path("workforce/", include("bankdesk.workforce.urls")),
    path("qa/", include("bankdesk.scorecards.urls")),
    path("surveys/", include("bankdesk.surveys.urls")),
    path("outlets/", include("bankdesk.quality.urls")),
    path("analytics/reports/", include("bankdesk.analytics.reports.urls")),
    path("analytics/", include("bankdesk.analytics.urls")),
    path("remediation/", include("bankdesk.remediation.web.urls")),
]
