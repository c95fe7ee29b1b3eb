from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    name = "danhgia.annual"
    verbose_name = _("annual classification")

    def ready(self) -> None:
        from danhgia.annual.services import ANNUAL_ACTION_LABELS
        from danhgia.core.audit import register_action_labels

        register_action_labels(ANNUAL_ACTION_LABELS)
