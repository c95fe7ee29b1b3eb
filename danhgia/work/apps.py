from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    name = "danhgia.work"
    verbose_name = _("work")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels
        from danhgia.work.services.catalogue import CATALOGUE_ACTION_LABELS
        from danhgia.work.services.plans import PLAN_ACTION_LABELS
        from danhgia.work.services.schedules import SCHEDULE_ACTION_LABELS
        from danhgia.work.services.tasks import TASK_ACTION_LABELS

        for labels in (
            TASK_ACTION_LABELS,
            PLAN_ACTION_LABELS,
            SCHEDULE_ACTION_LABELS,
            CATALOGUE_ACTION_LABELS,
        ):
            register_action_labels(labels)
