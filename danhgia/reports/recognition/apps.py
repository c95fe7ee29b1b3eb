from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "danhgia.reports.recognition"
    label = "reports_recognition"
    verbose_name = _("initiatives, emulation and rewards")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels
        from danhgia.reports.recognition.services import RECOGNITION_ACTION_LABELS

        register_action_labels(RECOGNITION_ACTION_LABELS)
