"""Forms of the evaluation pages: scores per criterion of the period's rulebook, levels,
a decision, a period to open. Validation only; the services apply the rules."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from danhgia.core import clock
from danhgia.core.dates import DateKind
from danhgia.core.forms import Form
from danhgia.evaluations.models import Period
from danhgia.evaluations.rules.reading import plain
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.scoring import AssessedCriterion
from danhgia.evaluations.services.periods import period_bounds
from danhgia.organisations.models import Unit

SCORE_PREFIX = "score_"


def _level_choices(config: RulebookConfig, *, blank: bool) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [(level.code, level.name) for level in config.levels]
    return [("", _("— choose a level —")), *choices] if blank else choices


class _ScoresForm(Form):
    """One number field per criterion of the rulebook, 0..its maximum (`score_<code>`)."""

    def __init__(self, *args: Any, config: RulebookConfig, required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = config
        for criterion in config.criteria:
            self.fields[SCORE_PREFIX + criterion.code] = forms.DecimalField(
                label=criterion.name,
                min_value=Decimal(0),
                max_value=criterion.max_points,
                max_digits=6,
                decimal_places=2,
                required=required,
                help_text=_("from 0 to %(max)s") % {"max": criterion.max_points},
            )

    def score_fields(self) -> list[forms.BoundField]:
        return [self[SCORE_PREFIX + criterion.code] for criterion in self.config.criteria]

    def other_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if not field.name.startswith(SCORE_PREFIX)]

    def scores(self) -> dict[str, Decimal]:
        return {
            criterion.code: self.cleaned_data[SCORE_PREFIX + criterion.code]
            for criterion in self.config.criteria
            if self.cleaned_data.get(SCORE_PREFIX + criterion.code) is not None
        }

    @staticmethod
    def initial_scores(stored: dict[str, Any]) -> dict[str, Any]:
        return {SCORE_PREFIX + code: value for code, value in stored.items()}


class SelfEvaluationForm(_ScoresForm):
    SAVE = "save"
    SUBMIT = "submit"

    strengths = forms.CharField(label=_("strengths"), required=False, widget=forms.Textarea)
    shortcomings = forms.CharField(label=_("shortcomings"), required=False, widget=forms.Textarea)
    proposals = forms.CharField(label=_("proposals"), required=False, widget=forms.Textarea)
    proposed_level = forms.ChoiceField(label=_("proposed level"), required=False)
    level_reason = forms.CharField(
        label=_("reason for the proposed level"),
        help_text=_("Needed when you propose a level other than the one your score gives."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, config: RulebookConfig, **kwargs: Any) -> None:
        super().__init__(*args, config=config, required=False, **kwargs)
        cast(forms.ChoiceField, self.fields["proposed_level"]).choices = _level_choices(
            config, blank=True
        )
        for name in ("strengths", "shortcomings", "proposals"):
            self.fields[name].widget.attrs["rows"] = 3


class ReviewForm(_ScoresForm):
    comment = forms.CharField(
        label=_("comments of the manager"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed_level = forms.ChoiceField(label=_("proposed level"))

    # A leader's đ and e when the rulebook has the reviewer assess them (Nghị định 335,
    # Art. 15 cl. 3): sheet field → form field and label.
    LEADER_FIELDS: ClassVar[dict[str, tuple[str, Any]]] = {
        "organising_assessed": ("organising", _("đ: capacity to organise the tasks")),
        "uniting_assessed": ("uniting", _("e: capacity to unite the staff")),
    }

    def __init__(
        self,
        *args: Any,
        config: RulebookConfig,
        assessed: Mapping[str, AssessedCriterion] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, config=config, required=True, **kwargs)
        cast(forms.ChoiceField, self.fields["proposed_level"]).choices = _level_choices(
            config, blank=True
        )
        for sheet_field, criterion in (assessed or {}).items():
            name, label = self.LEADER_FIELDS[sheet_field]
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[("", _("— assess —"))]
                + [(str(plain(value)), f"{plain(value)} %") for value in criterion.values],
                help_text=_("Until assessed it counts at %(value)s %%.")
                % {"value": plain(criterion.until_assessed)},
            )

    def leader_values(self) -> dict[str, str | None]:
        """The assessed đ and e for the service (None when not asked)."""
        return {name: self.cleaned_data.get(name) for name in ("organising", "uniting")}


class ReturnForm(Form):
    reason = forms.CharField(
        label=_("what must be corrected"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(Form):
    level = forms.ChoiceField(label=_("decided level"))
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        help_text=_("Required when the level differs from the band of the score."),
    )
    use_exception = forms.BooleanField(
        label=_("use the quota exception (outstanding achievements)"), required=False
    )

    def __init__(self, *args: Any, config: RulebookConfig, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = _level_choices(config, blank=False)
        if config.quota.enforcement != "exception_with_reason":
            del self.fields["use_exception"]


class OpenPeriodForm(Form):
    date_kinds = {"month": DateKind.PERIOD}
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Unit.objects.none())
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_(
            "The period starts on the first day of this month; a quarter, on the first day of "
            "the quarter this month is in."
        ),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=Period.Kind.choices)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"month": clock.today().replace(day=1)})
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean_month(self) -> datetime.date:
        month: datetime.date = self.cleaned_data["month"]
        return month.replace(day=1)

    def clean(self) -> dict[str, Any]:
        """A quarter is opened from any of its months (HR picks "this month", "quý")."""
        data = super().clean() or {}
        if data.get("month") and data.get("kind") in Period.Kind.values:
            data["month"] = period_bounds(data["month"], data["kind"])[0]
        return data
