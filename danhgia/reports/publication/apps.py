from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "danhgia.reports.publication"
    label = "reports_publication"
    verbose_name = _("publication of results")

    def ready(self) -> None:
        from danhgia.core.audit import register_action_labels
        from danhgia.reports.publication.services import PUBLICATION_ACTION_LABELS

        register_action_labels(PUBLICATION_ACTION_LABELS)
