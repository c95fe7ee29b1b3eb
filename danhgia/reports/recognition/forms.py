"""Forms of initiatives, emulation titles and proposals, and reward decisions. Validation only;
`services.py` applies the rules."""

import datetime
import re
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from danhgia.core import clock
from danhgia.core.forms import Form
from danhgia.core.widgets import DateInput
from danhgia.organisations.models import Person, Unit
from danhgia.reports.recognition.conditions import (
    FIELDS,
    LEVEL_LABELS,
    SCOPE_LABELS,
    ConditionError,
    parse_conditions,
)
from danhgia.reports.recognition.models import EmulationTitle, Initiative


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
    )


def _unit_choice(units: QuerySet[Unit], label: Any) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(label=label, queryset=units)
    field.label_from_instance = lambda unit: f"{'· ' * unit.depth}{unit.name}"  # type: ignore[method-assign,assignment]
    return field


class InitiativeForm(Form):
    employee_code = forms.CharField(
        label=_("employee code of the author"),
        max_length=40,
        required=False,
        help_text=_("Leave empty for your own initiative."),
    )
    title = forms.CharField(label=_("title"), max_length=300)
    description = forms.CharField(
        label=_("content and how it is applied"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(
        self, *args: Any, people: QuerySet[Person], own: Person | None, for_others: bool, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.people, self.own = people, own
        self.person: Person | None = own
        if not for_others:
            del self.fields["employee_code"]

    def clean_employee_code(self) -> str:
        code: str = self.cleaned_data["employee_code"].strip()
        if not code:
            if self.own is None:
                raise forms.ValidationError(_("Give the employee code of the author."))
            self.person = self.own
            return code
        person = self.people.filter(employee_code__iexact=code).select_related("unit").first()
        if person is None:
            raise forms.ValidationError(
                _("Nobody with the code %(code)s works in the units you lead."),
                params={"code": code},
            )
        self.person = person
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "employee_code" not in self.fields and self.own is None:
            raise forms.ValidationError(_("Your login is not linked to a person: ask HR."))
        return data


class AssessmentForm(Form):
    OUTCOMES = [("recognised", _("recognised")), ("rejected", _("not recognised"))]

    outcome = forms.ChoiceField(label=_("outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    council = forms.CharField(
        label=_("council"),
        max_length=200,
        help_text=_("E.g. Hội đồng sáng kiến cơ sở Sở Nội vụ."),
    )
    assessed_on = _date(_("assessed on"))
    scope = forms.ChoiceField(
        label=_("scope"), choices=[("", "—"), *Initiative.Scope.choices], required=False
    )
    effect = forms.CharField(
        label=_("effect"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decision_number = forms.CharField(
        label=_("recognition decision number"), max_length=60, required=False
    )
    opinion = forms.CharField(
        label=_("opinion of the council"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when the initiative is not recognised."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "recognised":
            for name in ("scope", "effect", "decision_number"):
                if not data.get(name):
                    self.add_error(name, _("Required for a recognised initiative."))
        elif data.get("outcome") == "rejected" and not data.get("opinion"):
            self.add_error("opinion", _("Write the council's reasons."))
        return data


class TitleForm(Form):
    """A title's name and its conditions, one field per kind of condition (the conditions
    document, `conditions.FIELDS`, is built from them in `clean`)."""

    name = forms.CharField(label=_("name"), max_length=200)
    legal_source = forms.CharField(label=_("legal source"), max_length=500, required=False)
    active = forms.BooleanField(label=_("in use"), required=False)
    min_annual_level = forms.ChoiceField(
        label=_("lowest annual level"),
        required=False,
        choices=[("", _("no condition")), *LEVEL_LABELS.items()],
        help_text=_("A person whose annual level is not decided does not qualify."),
    )
    no_discipline_in_year = forms.BooleanField(
        label=_("no discipline taking effect in the year"), required=False
    )
    min_months_worked = forms.IntegerField(
        label=_("months worked in the year, at least"),
        min_value=0,
        max_value=12,
        initial=0,
        help_text=_("As counted on the annual sheet; 0: no condition."),
    )
    initiative_min_scope = forms.ChoiceField(
        label=_("initiative recognised in the year, at least at"),
        required=False,
        choices=[("", _("not required")), *SCOPE_LABELS.items()],
    )
    requires_title = forms.ChoiceField(
        label=_("also qualifies for the title"), required=False, choices=[]
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the figures come from, what to check."),
    )

    def __init__(self, *args: Any, title: EmulationTitle, **kwargs: Any) -> None:
        """Filled from `title`'s conditions unless `initial` says otherwise."""
        kwargs.setdefault("initial", {})
        document = title.conditions if isinstance(title.conditions, dict) else {}
        for name in FIELDS:
            if name in document:
                kwargs["initial"].setdefault(name, document[name])
        super().__init__(*args, **kwargs)
        others = EmulationTitle.objects.exclude(pk=title.pk).order_by("code")
        cast(forms.ChoiceField, self.fields["requires_title"]).choices = [
            ("", _("no other title")),
            *((other.code, f"{other.name} ({other.code})") for other in others),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        document = {
            "min_annual_level": data.get("min_annual_level") or "",
            "no_discipline_in_year": bool(data.get("no_discipline_in_year")),
            "min_months_worked": data.get("min_months_worked") or 0,
            "initiative_min_scope": data.get("initiative_min_scope") or "",
            "requires_title": data.get("requires_title") or "",
            "note": data.get("note") or "",
        }
        try:
            parse_conditions(document)
        except ConditionError as error:
            raise forms.ValidationError(str(error)) from error
        data["conditions"] = document
        return data


class ProposalForm(Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.ModelChoiceField(label=_("title"), queryset=EmulationTitle.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["organisation"] = _unit_choice(units, _("organisation"))
        self.fields["title"].queryset = EmulationTitle.objects.filter(active=True)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("year", clock.today().year - 1)


CODE_SPLIT = re.compile(r"[\s,;]+")


class RewardForm(Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Unit.objects.none())
    decision_number = forms.CharField(label=_("decision number"), max_length=60)
    decided_on = _date(_("decided on"))
    issuer = forms.CharField(
        label=_("issued by"), max_length=200, help_text=_("E.g. Giám đốc Sở Nội vụ.")
    )
    award = forms.CharField(
        label=_("title or form of reward"),
        max_length=200,
        help_text=_("E.g. Lao động tiên tiến, Bằng khen của Chủ tịch UBND tỉnh."),
    )
    title = forms.ModelChoiceField(
        label=_("emulation title"), queryset=EmulationTitle.objects.all(), required=False
    )
    year = forms.IntegerField(
        label=_("for the year"), min_value=2000, max_value=2100, required=False
    )
    employee_codes = forms.CharField(
        label=_("employee codes of the people rewarded"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One or more codes, separated by spaces, commas or new lines."),
    )
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], people: QuerySet[Person], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["organisation"] = _unit_choice(units, _("organisation"))
        self.people_scope = people
        self.people: list[Person] = []

    def clean_decided_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["decided_on"]
        if day > clock.today():
            raise forms.ValidationError(_("The decision date cannot be in the future."))
        return day

    def clean_employee_codes(self) -> str:
        text: str = self.cleaned_data["employee_codes"]
        codes = [code for code in CODE_SPLIT.split(text.strip()) if code]
        wanted = {code.upper(): code for code in codes}
        found = list(
            self.people_scope.annotate(code_upper=Upper("employee_code"))
            .filter(code_upper__in=list(wanted))
            .select_related("unit")
        )
        known = {person.employee_code.upper() for person in found}
        missing = [code for key, code in wanted.items() if key not in known]
        if missing:
            raise forms.ValidationError(
                _("Nobody with these codes works in the units you manage: %(codes)s."),
                params={"codes": ", ".join(missing)},
            )
        if not found:
            raise forms.ValidationError(_("Name at least one person rewarded."))
        self.people = sorted({p.pk: p for p in found}.values(), key=lambda p: p.sort_key)
        return text
