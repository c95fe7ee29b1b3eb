"""The form HR fills to connect a document system."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form
from danhgia.organisations.models import Unit


class IntegrationForm(Form):
    name = forms.CharField(
        label=_("Name of the system"),
        max_length=150,
        help_text=_("For example: “Hệ thống quản lý văn bản và điều hành tỉnh”."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit it may read and write (with its sub-units)"),
        queryset=Unit.objects.none(),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units.order_by("path")
