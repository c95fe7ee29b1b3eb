from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "danhgia.reports.publication"
    label = "reports_publication"
    verbose_name = _("publication of results")
