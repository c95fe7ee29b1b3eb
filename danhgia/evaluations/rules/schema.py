"""A rulebook's JSON parts, parsed and checked into frozen settings (`RulebookConfig`).

Each part is a JSON object that may carry a free-text `note` (why its numbers were chosen,
which are local choices) and `sources`: {field path: article and clause, or "[L] ..." for a
local choice} (`RulebookConfig.sources`, shown on the rulebook page). `parse_rulebook()`
reads a saved Rulebook, `parse_parts()` unsaved data (a form); both raise `RuleError` naming
the part and the problem. Missing optional fields take the defaults documented below; unknown
fields are refused, so a typo cannot pass unseen.

criteria      {"items": [{"code", "name", "max_points"}], "note"}; the points add up to the
              strategy's general share (30 for Nghị định 335)
task_scoring  {"strategy": a name in `scoring.STRATEGIES`, "params": {...}, "note"}
levels        {"items": [{"code", "name", "min_score"}], "note"}: the four stable codes, high to
              low, thresholds strictly decreasing, the lowest at 0; optional
              "may_raise_above_band": whether the head who decides may choose a level above the
              band of the score (default true, as before the field existed; Nghị định 335: false)
vetoes        {"enabled": [codes of `codes.VETO_CODES`], "note"}
quota         {"share", "base_level", "top_level", "scope", "exception_share", "rounding",
              "enforcement", "note"}
annual        {"strategy": "average", "params": {...}, "note"}
deadlines     {"self_evaluation_days", "review_days", "decision_days", "note"}: days after the
              period's last day; optional "appeal_answered_by": "head" (default: the head who
              decided answers an appeal) or "superior" (the head of the unit above)
"""

import datetime
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from django.utils.translation import gettext

from .codes import LEVEL_CODES, VETO_CODES
from .reading import Reader, RuleError
from .scoring import STRATEGIES, StrategyParams

if TYPE_CHECKING:
    from danhgia.evaluations.models import Rulebook

__all__ = [
    "Annual",
    "AnnualParams",
    "Criterion",
    "Deadlines",
    "Level",
    "Quota",
    "RuleError",
    "RulebookConfig",
    "TaskScoring",
    "parse_parts",
    "parse_rulebook",
]

QUOTA_SCOPES: Final = ("unit_and_group", "unit")
QUOTA_ROUNDINGS: Final = ("down", "nearest", "up")
QUOTA_ENFORCEMENTS: Final = ("block", "exception_with_reason")
# Who may use the exception share (the decree does not say; docs/decisions.md): the head who
# decides, with a reason. Other choices need their own workflow.
QUOTA_EXCEPTION_GRANTERS: Final = ("decider",)
ANNUAL_STRATEGIES: Final = ("average",)
APPEAL_ANSWERERS: Final = ("head", "superior")


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class TaskScoring:
    """The strategy's name, its parameters as written, and as read (`parsed`, with defaults)."""

    strategy: str
    params: dict[str, Any]
    parsed: StrategyParams


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    min_score: Decimal


@dataclass(frozen=True)
class Quota:
    """ "Excellent" may be at most `share` × the number at `base_level`, in the unit and, with
    scope "unit_and_group", in each group with similar tasks too; `exception_share` for units
    with outstanding achievements."""

    share: Decimal = Decimal("0.20")
    base_level: str = "good"
    top_level: str = "excellent"
    scope: str = "unit_and_group"
    exception_share: Decimal = Decimal("0.25")
    rounding: str = "down"
    enforcement: str = "exception_with_reason"
    exception_granted_by: str = "decider"


@dataclass(frozen=True)
class AnnualParams:
    min_months_worked: int = 6
    maternity_exempt: bool = True
    absent_cap_from_months: int = 3
    absent_cap_level: str = "completed"
    head_not_above_unit: bool = False


@dataclass(frozen=True)
class AnnualForm:
    """The annual form of a staff category under a rulebook's regime: its number ("" when
    none is printed) and its title."""

    code: str
    title: str


#: The staff categories a rulebook's `annual.forms` may name (organisations.StaffCategory).
STAFF_CATEGORIES: Final = ("can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong")


@dataclass(frozen=True)
class Annual:
    strategy: str = "average"
    params: AnnualParams = field(default_factory=AnnualParams)
    # By staff category; None: the rulebook names no forms (see `annual_form`).
    forms: tuple[tuple[str, AnnualForm], ...] | None = None


@dataclass(frozen=True)
class Deadlines:
    self_evaluation_days: int
    review_days: int
    decision_days: int
    appeal_answered_by: str = "head"

    def due_dates(
        self, period_end: datetime.date
    ) -> tuple[datetime.date, datetime.date, datetime.date]:
        """(self-evaluation, review, decision) due dates of a period ending on `period_end`."""
        return (
            period_end + datetime.timedelta(days=self.self_evaluation_days),
            period_end + datetime.timedelta(days=self.review_days),
            period_end + datetime.timedelta(days=self.decision_days),
        )


@dataclass(frozen=True)
class RulebookConfig:
    criteria: tuple[Criterion, ...]
    task_scoring: TaskScoring
    levels: tuple[Level, ...]
    vetoes: tuple[str, ...]
    quota: Quota
    annual: Annual
    deadlines: Deadlines
    notes: dict[str, str]
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    may_raise_above_band: bool = True

    @property
    def general_share(self) -> Decimal:
        return self.task_scoring.parsed.general_share

    @property
    def task_share(self) -> Decimal:
        return self.task_scoring.parsed.task_share


RULEBOOK_PARTS: Final = (
    "criteria",
    "task_scoring",
    "levels",
    "vetoes",
    "quota",
    "annual",
    "deadlines",
)
# Parsed rulebooks by their content: a page, a submit and a job read the same few rulebooks
# over and over, and parsing costs about four times serialising the parts. Keyed by what the
# parts say (not by id or version: an unfrozen rulebook changes in place), so an edited
# rulebook is parsed afresh. A rulebook that does not parse is never cached.
_PARSED: dict[str, RulebookConfig] = {}
_PARSED_MAX = 64
_PARSED_LOCK = threading.Lock()


def parse_rulebook(rulebook: "Rulebook") -> RulebookConfig:
    """The settings of a saved rulebook, parsed once per content. Raises `RuleError`."""
    parts = {name: getattr(rulebook, name) for name in RULEBOOK_PARTS}
    key = json.dumps(parts, sort_keys=True, default=str)
    config = _PARSED.get(key)
    if config is None:
        config = parse_parts(**parts)
        with _PARSED_LOCK:  # threads of one worker share the cache
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)))  # the oldest first
            _PARSED[key] = config
    return config


def parse_parts(
    *,
    criteria: object,
    task_scoring: object,
    levels: object,
    vetoes: object,
    quota: object,
    annual: object,
    deadlines: object,
) -> RulebookConfig:
    """The settings of rulebook parts given as JSON values. Raises `RuleError`."""
    texts = _Texts()
    levels_reader = Reader("levels", levels)
    may_raise = levels_reader.boolean("may_raise_above_band", True)
    level_list = _levels(levels_reader, texts)
    level_codes = [level.code for level in level_list]
    scoring = _task_scoring(Reader("task_scoring", task_scoring), texts)
    return RulebookConfig(
        criteria=_criteria(Reader("criteria", criteria), scoring.parsed.general_share, texts),
        task_scoring=scoring,
        levels=level_list,
        vetoes=_vetoes(Reader("vetoes", vetoes), texts),
        quota=_quota(Reader("quota", quota), level_codes, texts),
        annual=_annual(Reader("annual", annual), level_codes, texts),
        deadlines=_deadlines(Reader("deadlines", deadlines), texts),
        notes=texts.notes,
        sources=texts.sources,
        may_raise_above_band=may_raise,
    )


@dataclass
class _Texts:
    """The notes and sources of the parts, as they are read."""

    notes: dict[str, str] = field(default_factory=dict)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def read(self, part: str, reader: Reader) -> None:
        self.notes[part] = reader.note()
        self.sources[part] = reader.sources()


def _item_readers(reader: Reader) -> list[Reader]:
    return [
        Reader(reader.part, item, f"items[{index}]")
        for index, item in enumerate(reader.items("items"))
    ]


def _criteria(reader: Reader, general_share: Decimal, texts: "_Texts") -> tuple[Criterion, ...]:
    items = []
    for item in _item_readers(reader):
        items.append(
            Criterion(
                code=item.text("code"),
                name=item.text("name"),
                max_points=item.decimal("max_points", low=0, high=100, positive=True),
            )
        )
        item.done()
    texts.read("criteria", reader)
    reader.done()
    codes = [item.code for item in items]
    if len(set(codes)) != len(codes):
        raise reader.error(gettext("criterion codes must be unique."))
    total = sum((item.max_points for item in items), Decimal(0))
    if total != general_share:
        raise reader.error(
            gettext("the maximum points add up to %(total)s instead of %(share)s.")
            % {"total": total, "share": general_share}
        )
    return tuple(items)


def _task_scoring(reader: Reader, texts: "_Texts") -> TaskScoring:
    name = reader.choice("strategy", sorted(STRATEGIES))
    raw_params = reader.raw("params", {})
    parsed = STRATEGIES[name].parse_params(raw_params)
    texts.read("task_scoring", reader)
    reader.done()
    assert isinstance(raw_params, Mapping)  # checked by parse_params
    return TaskScoring(strategy=name, params=dict(raw_params), parsed=parsed)


def _levels(reader: Reader, texts: "_Texts") -> tuple[Level, ...]:
    levels = []
    for item in _item_readers(reader):
        levels.append(
            Level(
                code=item.text("code"),
                name=item.text("name"),
                min_score=item.decimal("min_score", low=0, high=100),
            )
        )
        item.done()
    texts.read("levels", reader)
    reader.done()
    if tuple(level.code for level in levels) != LEVEL_CODES:
        raise reader.error(
            gettext("the levels must be, from highest to lowest: %(codes)s.")
            % {"codes": ", ".join(LEVEL_CODES)}
        )
    thresholds = [level.min_score for level in levels]
    if any(higher <= lower for higher, lower in zip(thresholds, thresholds[1:], strict=False)):
        raise reader.error(gettext("each level's minimum score must be below the one above it."))
    if thresholds[-1] != 0:
        raise reader.error(gettext("the lowest level must start at 0."))
    return tuple(levels)


def _vetoes(reader: Reader, texts: "_Texts") -> tuple[str, ...]:
    enabled = reader.strings("enabled")
    texts.read("vetoes", reader)
    reader.done()
    for code in enabled:
        if code not in VETO_CODES:
            raise reader.error(
                gettext("unknown veto %(code)s; known: %(codes)s.")
                % {"code": code, "codes": ", ".join(VETO_CODES)}
            )
    return tuple(code for code in VETO_CODES if code in enabled)


def _quota(reader: Reader, level_codes: list[str], texts: "_Texts") -> Quota:
    defaults = Quota()
    quota = Quota(
        share=reader.decimal("share", defaults.share, low=0, high=1, positive=True),
        base_level=reader.choice("base_level", level_codes, defaults.base_level),
        top_level=reader.choice("top_level", level_codes, defaults.top_level),
        scope=reader.choice("scope", QUOTA_SCOPES, defaults.scope),
        exception_share=reader.decimal(
            "exception_share", defaults.exception_share, low=0, high=1, positive=True
        ),
        rounding=reader.choice("rounding", QUOTA_ROUNDINGS, defaults.rounding),
        enforcement=reader.choice("enforcement", QUOTA_ENFORCEMENTS, defaults.enforcement),
        exception_granted_by=reader.choice(
            "exception_granted_by", QUOTA_EXCEPTION_GRANTERS, defaults.exception_granted_by
        ),
    )
    texts.read("quota", reader)
    reader.done()
    if level_codes.index(quota.top_level) >= level_codes.index(quota.base_level):
        raise reader.error(gettext("top_level must be a higher level than base_level."))
    if quota.exception_share < quota.share:
        raise reader.error(gettext("exception_share cannot be smaller than share."))
    return quota


def _annual(reader: Reader, level_codes: list[str], texts: "_Texts") -> Annual:
    strategy = reader.choice("strategy", ANNUAL_STRATEGIES, "average")
    params_reader = reader.child("params", {})
    defaults = AnnualParams()
    params = AnnualParams(
        min_months_worked=params_reader.integer(
            "min_months_worked", defaults.min_months_worked, high=12
        ),
        maternity_exempt=params_reader.boolean("maternity_exempt", defaults.maternity_exempt),
        absent_cap_from_months=params_reader.integer(
            "absent_cap_from_months", defaults.absent_cap_from_months, high=12
        ),
        absent_cap_level=params_reader.choice(
            "absent_cap_level", level_codes, defaults.absent_cap_level
        ),
        head_not_above_unit=params_reader.boolean(
            "head_not_above_unit", defaults.head_not_above_unit
        ),
    )
    params_reader.done()
    forms = _annual_forms(reader) if "forms" in reader.data else None
    texts.read("annual", reader)
    reader.done()
    return Annual(strategy=strategy, params=params, forms=forms)


def _annual_forms(reader: Reader) -> tuple[tuple[str, AnnualForm], ...]:
    forms_reader = reader.child("forms")
    forms = []
    for category in STAFF_CATEGORIES:
        if category in forms_reader.data:
            form = forms_reader.child(category)
            forms.append((category, AnnualForm(form.text("code", blank=True), form.text("title"))))
            form.done()
    forms_reader.done()
    return tuple(forms)


def _deadlines(reader: Reader, texts: "_Texts") -> Deadlines:
    deadlines = Deadlines(
        self_evaluation_days=reader.integer("self_evaluation_days", high=60),
        review_days=reader.integer("review_days", high=60),
        decision_days=reader.integer("decision_days", high=60),
        appeal_answered_by=reader.choice("appeal_answered_by", APPEAL_ANSWERERS, "head"),
    )
    texts.read("deadlines", reader)
    reader.done()
    if not (deadlines.self_evaluation_days <= deadlines.review_days <= deadlines.decision_days):
        raise reader.error(
            gettext("the days must follow the order: self-evaluation, review, decision.")
        )
    return deadlines
