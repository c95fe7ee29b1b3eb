from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "danhgia.reports.exports"
    label = "reports_exports"
    verbose_name = _("forms and exports")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels
        from danhgia.reports.exports.services import EXPORT_ACTION_LABELS

        register_action_labels(EXPORT_ACTION_LABELS)
