from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "danhgia.reports.recognition"
    label = "reports_recognition"
    verbose_name = _("initiatives, emulation and rewards")
