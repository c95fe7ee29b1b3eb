from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "danhgia.api"
    verbose_name = _("integration API")

    def ready(self) -> None:
        from danhgia.api.events import on_action_logged
        from danhgia.api.services import API_ACTION_LABELS
        from danhgia.api.webhooks import WEBHOOK_ACTION_LABELS
        from danhgia.core.audit import action_logged, register_action_labels

        register_action_labels(API_ACTION_LABELS)
        register_action_labels(WEBHOOK_ACTION_LABELS)
        action_logged.connect(on_action_logged, dispatch_uid="api.events")
