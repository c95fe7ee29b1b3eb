from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "danhgia.reports.exports"
    label = "reports_exports"
    verbose_name = _("forms and exports")
