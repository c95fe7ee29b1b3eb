from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "danhgia.evaluations"
    verbose_name = _("evaluations")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels
        from danhgia.evaluations import receivers
        from danhgia.evaluations.services import EVALUATION_ACTION_LABELS

        register_action_labels(EVALUATION_ACTION_LABELS)
        receivers.connect()
