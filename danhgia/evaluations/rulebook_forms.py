"""Forms of the rulebook pages: clone one, and one simple form per part of a rulebook.

A part form reads the part's JSON (`initial`) and writes it back (`part()`), keeping the
fields it does not show (codes, strategy). The forms check only the types: the numbers are
checked by the engine (`rules.schema.parse_parts`, in the service), whose message is shown.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from danhgia.core.forms import Form
from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.rules.codes import VETO_CODES
from danhgia.evaluations.rules.reading import plain
from danhgia.evaluations.rules.schema import QUOTA_ENFORCEMENTS, QUOTA_ROUNDINGS, QUOTA_SCOPES
from danhgia.organisations.models import StaffCategory, Unit

# Vetoes and rounding in plain words (the engine keeps codes).
VETO_WORDS = {
    "discipline_reprimand_or_higher": _(
        "discipline of reprimand or higher for a violation in public duty, in the year"
    ),
    "any_discipline": _("any Party or administrative discipline in the year"),
    "degradation": _(
        "degradation in political ideology or ethics concluded by the competent authority"
    ),
    "corruption_in_led_unit": _("for leaders: corruption or waste in the unit they lead"),
}
ROUNDING_WORDS = {
    "down": _("rounded down"),
    "nearest": _("rounded to the nearest"),
    "up": _("rounded up"),
}
SCOPE_WORDS = {
    "unit_and_group": _("in the unit and in each group with similar tasks"),
    "unit": _("in the unit"),
}
ENFORCEMENT_WORDS = {
    "block": _("refuse the decision over the quota"),
    "exception_with_reason": _("allow the exception share with a reason"),
}


def json_number(value: Decimal) -> int | str:
    """A number as the rulebooks write it: whole numbers as JSON numbers, others as strings
    so that JSON keeps them exact ("0.25")."""
    value = plain(value)
    return int(value) if value == value.to_integral_value() else str(value)


def _number(**options: Any) -> forms.DecimalField:
    return forms.DecimalField(max_digits=8, decimal_places=4, **options)


class CloneRulebookForm(Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("name"), max_length=255)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PartForm(Form):
    """The part's JSON in `value`; subclasses add fields, `initial_from()` and `changes()`."""

    note = forms.CharField(
        label=_("note: why these numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, data: Any = None, *, value: dict[str, Any], level_names: dict[str, str]
    ) -> None:
        self.value = value
        self.level_names = level_names
        self.add_fields()
        super().__init__(data, initial={"note": value.get("note", ""), **self.initial_from()})
        self.fields.update(self.extra_fields)
        self.order_fields([*self.extra_fields, "note"])

    def add_fields(self) -> None:
        self.extra_fields: dict[str, forms.Field] = {}

    def initial_from(self) -> dict[str, Any]:
        return {}

    def changes(self) -> dict[str, Any]:
        return {}

    def part(self) -> dict[str, Any]:
        """The new JSON of the part (after `is_valid()`)."""
        part = {**self.value, **self.changes()}
        note = self.cleaned_data["note"].strip()
        if note:
            part["note"] = note
        else:
            part.pop("note", None)
        return part


class _ItemsForm(PartForm):
    """A name and a number for each item (criteria: maximum points; levels: minimum score)."""

    number_key = ""
    number_label = _("points")

    def items(self) -> list[dict[str, Any]]:
        items = self.value.get("items")
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    def add_fields(self) -> None:
        super().add_fields()
        for index, _item in enumerate(self.items()):
            self.extra_fields[f"name_{index}"] = forms.CharField(label=_("name"), max_length=255)
            self.extra_fields[f"number_{index}"] = _number(label=self.number_label)

    def initial_from(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for index, item in enumerate(self.items()):
            initial[f"name_{index}"] = item.get("name", "")
            initial[f"number_{index}"] = item.get(self.number_key)
        return initial

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"name_{index}"], self[f"number_{index}"]) for index in range(len(self.items()))
        ]

    def changes(self) -> dict[str, Any]:
        items = []
        for index, item in enumerate(self.items()):
            items.append(
                {
                    **item,
                    "name": self.cleaned_data[f"name_{index}"],
                    self.number_key: json_number(self.cleaned_data[f"number_{index}"]),
                }
            )
        return {"items": items}


class CriteriaForm(_ItemsForm):
    number_key = "max_points"
    number_label = _("maximum points")


class LevelsForm(_ItemsForm):
    number_key = "min_score"
    number_label = _("from (points)")


class QuotaForm(PartForm):
    def add_fields(self) -> None:
        super().add_fields()
        self.extra_fields.update(
            share=_number(
                label=_("share"),
                help_text=_("A fraction of those rated at the base level: 0.20 is 20 %."),
            ),
            exception_share=_number(
                label=_("exception share"),
                help_text=_("For units with outstanding achievements."),
            ),
            rounding=forms.ChoiceField(
                label=_("rounding"),
                choices=[(code, ROUNDING_WORDS[code]) for code in QUOTA_ROUNDINGS],
            ),
            enforcement=forms.ChoiceField(
                label=_("over the quota"),
                choices=[(code, ENFORCEMENT_WORDS[code]) for code in QUOTA_ENFORCEMENTS],
            ),
            scope=forms.ChoiceField(
                label=_("counted"), choices=[(code, SCOPE_WORDS[code]) for code in QUOTA_SCOPES]
            ),
        )

    def initial_from(self) -> dict[str, Any]:
        return {name: self.value.get(name) for name in self.extra_fields}

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "share": json_number(data["share"]),
            "exception_share": json_number(data["exception_share"]),
            "rounding": data["rounding"],
            "enforcement": data["enforcement"],
            "scope": data["scope"],
        }


DEADLINE_KEYS = ("self_evaluation_days", "review_days", "decision_days")


class DeadlinesForm(PartForm):
    def add_fields(self) -> None:
        super().add_fields()
        labels = {
            "self_evaluation_days": _("self-evaluation: days after the period's last day"),
            "review_days": _("review: days after the period's last day"),
            "decision_days": _("decision: days after the period's last day"),
        }
        for key in DEADLINE_KEYS:
            self.extra_fields[key] = forms.IntegerField(label=labels[key])

    def initial_from(self) -> dict[str, Any]:
        return {key: self.value.get(key) for key in DEADLINE_KEYS}

    def changes(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in DEADLINE_KEYS}


class TaskScoringForm(PartForm):
    def add_fields(self) -> None:
        super().add_fields()
        self.extra_fields["params"] = forms.JSONField(
            label=_("parameters (JSON)"),
            widget=forms.Textarea(attrs={"rows": 16, "class": "code"}),
            help_text=_("The parameters of the strategy, checked by the engine when saved."),
        )

    def initial_from(self) -> dict[str, Any]:
        return {"params": self.value.get("params", {})}

    def changes(self) -> dict[str, Any]:
        return {"params": self.cleaned_data["params"]}


class VetoesForm(PartForm):
    def add_fields(self) -> None:
        super().add_fields()
        self.extra_fields["enabled"] = forms.MultipleChoiceField(
            label=_("“not completed” whatever the score for"),
            choices=[(code, VETO_WORDS[code]) for code in VETO_CODES],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    def initial_from(self) -> dict[str, Any]:
        return {"enabled": self.value.get("enabled", [])}

    def changes(self) -> dict[str, Any]:
        return {"enabled": list(self.cleaned_data["enabled"])}


ANNUAL_INTEGERS = ("min_months_worked", "absent_cap_from_months")
ANNUAL_BOOLEANS = ("maternity_exempt", "head_not_above_unit")


class AnnualForm(PartForm):
    def add_fields(self) -> None:
        super().add_fields()
        self.extra_fields.update(
            min_months_worked=forms.IntegerField(
                label=_("fewest months worked to be rated for the year")
            ),
            maternity_exempt=forms.BooleanField(
                label=_("maternity leave is exempt from the fewest months"), required=False
            ),
            absent_cap_from_months=forms.IntegerField(
                label=_("months of absence from which the level is capped")
            ),
            absent_cap_level=forms.ChoiceField(
                label=_("highest level after that absence"),
                choices=list(self.level_names.items()),
            ),
            head_not_above_unit=forms.BooleanField(
                label=_("the head is not rated above the unit"), required=False
            ),
        )

    def params(self) -> dict[str, Any]:
        params = self.value.get("params", {})
        return params if isinstance(params, dict) else {}

    def initial_from(self) -> dict[str, Any]:
        params = self.params()
        return {name: params.get(name) for name in self.extra_fields if name in params}

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"params": {**self.params(), **{name: data[name] for name in self.extra_fields}}}


PART_FORMS: dict[str, type[PartForm]] = {
    "criteria": CriteriaForm,
    "task_scoring": TaskScoringForm,
    "levels": LevelsForm,
    "vetoes": VetoesForm,
    "quota": QuotaForm,
    "annual": AnnualForm,
    "deadlines": DeadlinesForm,
}


class CategoryRulebookForm(Form):
    """Which rulebook a staff category of a unit (and the units below it) is scored under;
    no rulebook: the assignment is removed and the category follows the period's again."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    staff_category = forms.ChoiceField(label=_("Staff category"), choices=StaffCategory.choices)
    rulebook = forms.ModelChoiceField(
        label=_("Rulebook"),
        queryset=Rulebook.objects.none(),
        required=False,
        empty_label=_("— the period's rulebook (remove the assignment) —"),
    )

    def __init__(self, *args: Any, units: Any, rulebooks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["rulebook"].queryset = rulebooks  # type: ignore[attr-defined]
