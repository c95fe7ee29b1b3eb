from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "danhgia.reminders"
    verbose_name = _("reminders")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels
        from danhgia.reminders.services import REMINDER_ACTION_LABELS

        register_action_labels(REMINDER_ACTION_LABELS)
