"""Forms of the exports app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form


class MonthExportForm(Form):
    FORMATS = [("xlsx", _("Excel workbook")), ("pdf", _("summary PDF"))]

    format = forms.ChoiceField(label=_("format"), choices=FORMATS)
