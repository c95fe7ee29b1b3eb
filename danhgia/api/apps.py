from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "danhgia.api"
    verbose_name = _("integration API")

    def ready(self) -> None:
        from danhgia.api.services import API_ACTION_LABELS
        from danhgia.core.audit import register_action_labels

        register_action_labels(API_ACTION_LABELS)
