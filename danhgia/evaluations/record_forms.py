"""Forms of the records HR keeps (discipline, findings, leave), the organisation's policy and
a transfer. Validation only; the services in `services/records.py` apply the rules."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form, ModelForm
from danhgia.core.widgets import DateInput
from danhgia.evaluations.models import Discipline, EvaluationPolicy, Finding, Leave
from danhgia.organisations.models import Person, Unit


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
    )


class _PersonForm(Form):
    """A record about one person, chosen by employee code among the people of the scope."""

    employee_code = forms.CharField(
        label=_("employee code"),
        max_length=40,
        help_text=_("The person's code as on their page, e.g. SNV-0012."),
    )

    def __init__(
        self, *args: Any, people: QuerySet[Person], person: Person | None = None, **kwargs: Any
    ) -> None:
        """With `person` (editing a record) the person is fixed and the code not asked."""
        super().__init__(*args, **kwargs)
        self.people = people
        self.person: Person | None = person
        if person is not None:
            del self.fields["employee_code"]

    def clean_employee_code(self) -> str:
        code: str = self.cleaned_data["employee_code"].strip()
        person = self.people.filter(employee_code__iexact=code).select_related("unit").first()
        if person is None:
            raise forms.ValidationError(
                _("Nobody with the code %(code)s works in the units you manage."),
                params={"code": code},
            )
        self.person = person
        return code


class DisciplineForm(_PersonForm):
    form = forms.ChoiceField(label=_("form"), choices=Discipline.Form.choices)
    channel = forms.ChoiceField(
        label=_("channel"), choices=Discipline.Channel.choices, widget=forms.RadioSelect
    )
    public_duty = forms.BooleanField(
        label=_("for a violation in public duty"), required=False, initial=True
    )
    decision_number = forms.CharField(label=_("decision number"), max_length=60)
    decided_on = _date(_("decided on"))
    effective_from = _date(_("effective from"))
    effective_to = _date(
        _("effective to"), required=False, help_text=_("Leave empty when not fixed.")
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The end must not be before the start."))
        decided = data.get("decided_on")
        if decided and start and start < decided:
            self.add_error(
                "effective_from", _("A discipline takes effect on or after the day it was decided.")
            )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if name != "employee_code"}


class FindingForm(_PersonForm):
    kind = forms.ChoiceField(label=_("kind"), choices=Finding.Kind.choices)
    concluded_on = _date(_("concluded on"))
    reference = forms.CharField(label=_("reference"), max_length=120)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LeaveForm(_PersonForm):
    kind = forms.ChoiceField(label=_("kind"), choices=Leave.Kind.choices)
    start = _date(_("first day"))
    end = _date(_("last day"))
    reference = forms.CharField(label=_("decision or document"), max_length=120, required=False)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day must not be before the first."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if name != "employee_code"}


class DeleteRecordForm(Form):
    reason = forms.CharField(
        label=_("reason for deleting"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the change history."),
    )


KIND_CHOICES: dict[str, Any] = {
    "discipline": Discipline.Form.choices,
    "leave": Leave.Kind.choices,
}


class RegisterFilterForm(Form):
    """Filters of a register: unit (with its sub-units), person, kind, year."""

    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    q = forms.CharField(label=_("person"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("kind"), required=False)
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, units: QuerySet[Unit], register: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = _("all units")  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("all kinds")), *KIND_CHOICES[register]]  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs["placeholder"] = _("Name or employee code")


class PolicyForm(ModelForm):
    class Meta:
        model = EvaluationPolicy
        fields = [
            "appeal_days",
            "appeal_answer_days",
            "reminder_days_before",
            "annual_decision_month",
            "annual_decision_day",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month, day = data.get("annual_decision_month"), data.get("annual_decision_day")
        if month and day:
            try:
                datetime.date(2024, month, day)  # a leap year: 29 February is allowed
            except ValueError:
                self.add_error(
                    "annual_decision_day",
                    _("Month %(month)d has no day %(day)d.") % {"month": month, "day": day},
                )
        return data


class TransferForm(Form):
    to_unit = forms.ModelChoiceField(label=_("new unit"), queryset=Unit.objects.none())
    on = _date(_("from"), help_text=_("The first day in the new unit."))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units  # type: ignore[attr-defined]
