from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "danhgia.reports.dashboards"
    label = "reports_dashboards"
    verbose_name = _("dashboards and supervision")
