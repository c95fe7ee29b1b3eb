"""Forms of the catalogue pages: a product, its revision, the import upload."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from danhgia.core import clock
from danhgia.core.forms import Form
from danhgia.core.widgets import DateInput
from danhgia.organisations.imports.cells import CellError
from danhgia.organisations.imports.forms import UploadForm
from danhgia.organisations.models import JobPosition, Unit
from danhgia.work.product_import import coefficient


class CoefficientField(forms.Field):
    """A conversion coefficient written as 1,5 or 1.5 (the import accepts the same)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "1,5", "size": 8})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("conversion coefficient"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return coefficient(str(value))
        except CellError as error:
            raise forms.ValidationError(str(error)) from error

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            written = f"{value:f}"
            if "." in written:
                written = written.rstrip("0").rstrip(".")
            return written.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
        return value


class ProductForm(Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("catalogue of"))
    code = forms.CharField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=255)
    job_position = forms.ModelChoiceField(
        queryset=JobPosition.objects.all(),
        required=False,
        label=_("job position"),
        empty_label=_("any job position"),
    )
    unit_of_measure = forms.CharField(
        label=_("unit of measure"), max_length=50, help_text=_("For example: document, report.")
    )
    coefficient = CoefficientField()
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_from": clock.today()})
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if len(units) == 1:
            self.fields["unit"].initial = units[0]


class ProductReviseForm(Form):
    name = forms.CharField(label=_("name"), max_length=255)
    unit_of_measure = forms.CharField(label=_("unit of measure"), max_length=50)
    coefficient = CoefficientField()
    valid_from = forms.DateField(
        label=_("new version valid from"),
        widget=DateInput(),
        help_text=_("The current version ends the day before; earlier months keep it."),
    )


class ProductUploadForm(UploadForm):
    """The import upload form without the choice of kind: this page imports products."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
