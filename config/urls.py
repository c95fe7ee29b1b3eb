from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("ngon-ngu/", set_language, name="set_language"),
    path("tai-khoan/", include("danhgia.accounts.urls")),
    path("", include("danhgia.organisations.urls")),
    path("", include("danhgia.work.urls")),
    path("", include("danhgia.evaluations.urls")),
    path("", include("danhgia.annual.urls")),
    path("", include("danhgia.reminders.urls")),
    path("", include("danhgia.reports.publication.urls")),
    path("", include("danhgia.reports.exports.urls")),
    path("", include("danhgia.reports.dashboards.urls")),
    path("", include("danhgia.reports.recognition.urls")),
    path("", include("danhgia.signatures.urls")),
    path("", include("danhgia.api.urls")),
    path("", include("danhgia.core.urls")),
]
# Single sign-on (danhgia/accounts/oidc.py): the URLs exist only where it is configured.
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
