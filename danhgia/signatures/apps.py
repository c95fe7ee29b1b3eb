from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "danhgia.signatures"
    label = "signatures"
    verbose_name = _("digital signatures")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels
        from danhgia.signatures.services import SIGNATURE_ACTION_LABELS

        register_action_labels(SIGNATURE_ACTION_LABELS)
