"""The form a head fills to delegate a unit's review and decision to a deputy."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.dates import DateKind
from danhgia.core.forms import Form
from danhgia.core.widgets import DateInput
from danhgia.organisations.models import Unit


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person = getattr(obj, "person", None)
        return f"{person.full_name} ({obj.username})" if person is not None else obj.username


class DelegationForm(Form):
    date_kinds = {"valid_from": DateKind.WORK, "valid_to": DateKind.WORK}
    unit = forms.ModelChoiceField(
        label=_("scope"),
        queryset=Unit.objects.none(),
        help_text=_("The deputy reviews and decides for this unit and its sub-units."),
    )
    deputy = DeputyChoice(label=_("deputy"), queryset=User.objects.none())
    valid_from = forms.DateField(label=_("from"), widget=DateInput())
    valid_to = forms.DateField(label=_("to"), widget=DateInput())
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: leave, business trip, the fields assigned to the deputy."),
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], deputies: QuerySet[User], **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {})
        today = clock.today()
        kwargs["initial"].setdefault("valid_from", today)
        kwargs["initial"].setdefault("valid_to", today + datetime.timedelta(days=7))
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        deputy_field = self.fields["deputy"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        assert isinstance(deputy_field, forms.ModelChoiceField)
        unit_field.queryset = units
        deputy_field.queryset = deputies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The last day comes before the first day."))
        return data
