from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "danhgia.reports.dashboards"
    label = "reports_dashboards"
    verbose_name = _("dashboards and supervision")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels
        from danhgia.reports.dashboards import receivers
        from danhgia.reports.dashboards.services import DASHBOARD_ACTION_LABELS

        register_action_labels(DASHBOARD_ACTION_LABELS)
        receivers.connect()
