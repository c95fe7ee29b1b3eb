from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    name = "danhgia.annual"
    verbose_name = _("annual classification")
