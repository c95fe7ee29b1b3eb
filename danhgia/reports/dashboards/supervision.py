"""Supervision of lenient or formal evaluation: flags per unit and month, with the evidence.

The unit supervised is where the level is decided: the nearest unit above the person where
the sheet's decider held the headship during the period (as the quota counts it), or the
person's own unit when there is no such headship. Every flag is computed from the sheets of
the month in the viewer's supervision scope, with thresholds from the nearest
`SupervisionSettings` up the tree (defaults when none):

- all_good: every decided sheet is "good" or better (units with ≥ min_sheets);
- no_differentiation: every decided sheet has the same level (same size rule);
- agreement: self = manager = final for ≥ agreement_share % of the decided sheets (a sheet
  the decider reviewed themself has no manager's proposal: self = final is enough);
- head_never_departs: someone who decided ≥ head_min_decisions sheets without a veto and
  never departed from the proposal (the manager's level, the person's when there is none);
- excellent_below_band: "excellent" decided where the score's band is lower;
- quota: more "excellent" than the rulebook's share of "good" allows, or the exception used;
- bulk_last_hour: ≥ bulk_min_decisions decisions in the last bulk_window_minutes before the
  decision deadline (its end of day);
- late: ≥ late_min_sheets steps (submitted, reviewed, decided) after their deadline's end of day.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.queries import unit_sheet_counts
from danhgia.evaluations.rulebook_forms import ROUNDING_WORDS
from danhgia.evaluations.rules.codes import COMPLETED, EXCELLENT, GOOD, NOT_COMPLETED
from danhgia.evaluations.rules.quota import allowance
from danhgia.evaluations.rules.schema import RulebookConfig, RuleError, parse_rulebook
from danhgia.organisations.models import Person, Role, Unit, UnitRole
from danhgia.organisations.queries import active_roles
from danhgia.reports.dashboards.models import THRESHOLD_FIELDS, SupervisionSettings
from danhgia.reports.dashboards.queries import LEVEL_LABELS

SUPERVISING_ROLES: frozenset[str] = frozenset({Role.SUPERVISOR, Role.HR_OFFICER, Role.SYSTEM_ADMIN})

FLAG_TITLES = {
    "all_good": gettext_lazy("Everyone at “good” or better"),
    "no_differentiation": gettext_lazy("No differentiation at all"),
    "agreement": gettext_lazy("Self = manager = final for almost every sheet"),
    "head_never_departs": gettext_lazy("A head who never departs from proposals"),
    "excellent_below_band": gettext_lazy("“Excellent” given below its score band"),
    "quota": gettext_lazy("Quota of “excellent” exceeded or exception used"),
    "bulk_last_hour": gettext_lazy("Decisions in bulk just before the deadline"),
    "late": gettext_lazy("Evaluations late"),
}
FLAG_CODES = tuple(FLAG_TITLES)
_GOOD_OR_BETTER = frozenset({EXCELLENT, GOOD})
_RANK = {EXCELLENT: 3, GOOD: 2, COMPLETED: 1, NOT_COMPLETED: 0}
_FIELDS = (
    "pk",
    "period_id",
    "person_id",
    "person__full_name",
    "unit_id",
    "unit__path",
    "decider_id",
    "decided_by_id",
    "status",
    "self_level",
    "manager_level",
    "decided_level",
    "band",
    "total",
    "veto",
    "quota_exception",
    "decision_reason",
    "self_submitted_at",
    "reviewed_at",
    "decided_at",
)


@dataclass(frozen=True)
class Thresholds:
    min_sheets: int = 5
    agreement_share: Decimal = Decimal(95)
    head_min_decisions: int = 5
    bulk_window_minutes: int = 60
    bulk_min_decisions: int = 5
    late_min_sheets: int = 1

    @classmethod
    def of(cls, settings: SupervisionSettings | None) -> "Thresholds":
        if settings is None:
            return cls()
        return cls(**{name: getattr(settings, name) for name in THRESHOLD_FIELDS})


@dataclass(frozen=True)
class Evidence:
    """One line of evidence, with a link when there is a page to open."""

    text: str
    url: str = ""


@dataclass
class Flag:
    code: str
    summary: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(FLAG_TITLES[self.code])


@dataclass
class UnitFlags:
    """The flags of one supervised unit in one month (every period starting then: a unit is
    listed once). `sheets` and `decided` count the unit's sheets as every page counts them
    (`evaluations.queries.in_unit`: the unit and below); the flags judge the decisions taken
    at the unit (see the module's docstring)."""

    unit: Unit
    period: Period  # the first of the month's periods with decisions taken at the unit
    thresholds: Thresholds
    sheets: int
    decided: int
    flags: list[Flag] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.period.label


def supervised_units(user: User) -> QuerySet[Unit]:
    """Units covered by the user's supervisor, HR or administrator roles (today)."""
    roles = [role for role in active_roles(user) if role.role in SUPERVISING_ROLES]
    if any(role.role == Role.SYSTEM_ADMIN for role in roles):
        return Unit.objects.all()
    condition = Q(pk__in=[])
    for role in roles:
        condition |= (
            Q(path__startswith=role.unit.path) if role.include_subunits else Q(pk=role.unit_id)
        )
    return Unit.objects.filter(condition)


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after `day`, in the site's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def _sheet_url(sheet_id: int) -> str:
    return reverse("evaluations:sheet_detail", args=[sheet_id])


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _level(code: str) -> str:
    return str(LEVEL_LABELS.get(code, code or "–"))


def _decision_scopes(
    rows: list[dict[str, Any]], periods: dict[int, Period]
) -> dict[int, tuple[int, str]]:
    """sheet id → (unit id, path) of the unit where its decider held the headship."""
    deciders = {row["decider_id"] for row in rows if row["decider_id"] is not None}
    heads: dict[tuple[int, int], str] = {}
    if deciders:
        first = min(period.start for period in periods.values())
        last = max(period.end for period in periods.values())
        for user_id, unit_id, path in (
            UnitRole.objects.overlapping(first, last)
            .filter(user_id__in=deciders, role=Role.HEAD)
            .values_list("user_id", "unit_id", "unit__path")
        ):
            heads[(user_id, unit_id)] = path
    scopes: dict[int, tuple[int, str]] = {}
    for row in rows:
        chain = [int(part) for part in row["unit__path"].strip("/").split("/") if part]
        scope = (row["unit_id"], row["unit__path"])
        for unit_id in reversed(chain):
            head_path = heads.get((row["decider_id"], unit_id))
            if head_path is not None:
                scope = (unit_id, head_path)
                break
        scopes[row["pk"]] = scope
    return scopes


def _settings_for(paths: Iterable[str]) -> dict[str, Thresholds]:
    """path → thresholds of the nearest unit up the tree with its own settings."""
    paths = list(paths)
    ancestor_ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    own = {
        row.organisation_id: row
        for row in SupervisionSettings.objects.filter(organisation_id__in=ancestor_ids)
    }
    result: dict[str, Thresholds] = {}
    for path in paths:
        chain = [int(part) for part in path.strip("/").split("/") if part]
        found = next((own[unit_id] for unit_id in reversed(chain) if unit_id in own), None)
        result[path] = Thresholds.of(found)
    return result


def _configs(periods: dict[int, Period]) -> dict[int, RulebookConfig | None]:
    configs: dict[int, RulebookConfig | None] = {}
    for period in periods.values():
        try:
            configs[period.pk] = parse_rulebook(period.rulebook)
        except RuleError:
            configs[period.pk] = None  # the evaluation pages say so; no quota flag here
    return configs


def flags_for_month(user: User, month: datetime.date) -> list[UnitFlags]:
    """Every supervised unit of the month in the user's supervision scope, with its flags,
    units with flags first."""
    periods = {
        period.pk: period
        for period in Period.objects.filter(start=month).select_related("rulebook")
    }
    if not periods:
        return []
    rows = list(
        Sheet.objects.filter(period_id__in=list(periods), unit__in=supervised_units(user))
        .values(*_FIELDS)
        .order_by("pk")
    )
    scopes = _decision_scopes(rows, periods)
    # unit → period → the rows decided at the unit: one entry per unit, whatever the number
    # of periods in the month (sibling organisations each run their own).
    groups: dict[int, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    paths: dict[int, str] = {}
    for row in rows:
        unit_id, path = scopes[row["pk"]]
        paths[unit_id] = path
        groups[unit_id][row["period_id"]].append(row)
    units = Unit.objects.in_bulk(list(paths))
    counts = unit_sheet_counts(periods.values(), units.values())
    thresholds = _settings_for(paths.values())
    configs = _configs(periods)
    names = _decider_names(rows)
    result = []
    for unit_id, by_period in groups.items():
        limits = thresholds[paths[unit_id]]
        sheets, decided_count = counts[unit_id]
        entry = UnitFlags(units[unit_id], periods[min(by_period)], limits, sheets, decided_count)
        for period_id, group in sorted(by_period.items()):
            decided = [row for row in group if row["status"] == Sheet.Status.DECIDED]
            period = periods[period_id]
            entry.flags += _flags(period, configs[period_id], limits, group, decided, names)
        result.append(entry)
    result.sort(key=lambda entry: (not entry.flags, entry.unit.sort_key, entry.unit.pk))
    return result


def _decider_names(rows: list[dict[str, Any]]) -> dict[int, str]:
    user_ids = {row["decided_by_id"] for row in rows if row["decided_by_id"] is not None}
    names = dict(Person.objects.filter(user_id__in=user_ids).values_list("user_id", "full_name"))
    users = User.objects.filter(pk__in=user_ids - set(names)).values_list("pk", "username")
    names.update(dict(users))
    return names


def _flags(
    period: Period,
    config: RulebookConfig | None,
    limits: Thresholds,
    group: list[dict[str, Any]],
    decided: list[dict[str, Any]],
    names: dict[int, str],
) -> list[Flag]:
    flags: list[Flag] = []
    for check in (_all_good, _no_differentiation, _agreement):
        flag = check(limits, decided)
        if flag is not None:
            flags.append(flag)
    flags.extend(_heads_never_departing(limits, decided, names))
    for flag in (
        _excellent_below_band(decided),
        _quota(config, decided),
        _bulk_last_hour(period, limits, decided, names),
        _late(period, limits, group),
    ):
        if flag is not None:
            flags.append(flag)
    return flags


def _counts(decided: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in decided:
        counts[row["decided_level"]] += 1
    return counts


def _count_text(decided: list[dict[str, Any]]) -> str:
    counts = _counts(decided)
    return ", ".join(
        f"{_level(code)}: {counts[code]}"
        for code in sorted(counts, key=lambda code: -_RANK.get(code, -1))
    )


def _all_good(limits: Thresholds, decided: list[dict[str, Any]]) -> Flag | None:
    if len(decided) < limits.min_sheets:
        return None
    if any(row["decided_level"] not in _GOOD_OR_BETTER for row in decided):
        return None
    return Flag(
        "all_good",
        _("All %(count)d decided sheets are “good” or better.") % {"count": len(decided)},
        [Evidence(_count_text(decided))],
    )


def _no_differentiation(limits: Thresholds, decided: list[dict[str, Any]]) -> Flag | None:
    if len(decided) < limits.min_sheets:
        return None
    levels = {row["decided_level"] for row in decided}
    if len(levels) != 1:
        return None
    return Flag(
        "no_differentiation",
        _("All %(count)d decided sheets have the same level: %(level)s.")
        % {"count": len(decided), "level": _level(levels.pop())},
    )


def _manager(row: dict[str, Any]) -> str:
    """The manager's proposal; a sheet the decider reviewed themself has none: the decision
    stands for it."""
    return str(row["manager_level"] or row["decided_level"])


def _agreement(limits: Thresholds, decided: list[dict[str, Any]]) -> Flag | None:
    if len(decided) < limits.min_sheets:
        return None
    same = [row for row in decided if row["self_level"] == _manager(row) == row["decided_level"]]
    rate = Decimal(len(same)) * 100 / len(decided)
    if rate < limits.agreement_share:
        return None
    differ = [row for row in decided if row not in same]
    return Flag(
        "agreement",
        _(
            "The person's proposal, the manager's and the decision are the same on "
            "%(same)d of %(count)d sheets (%(rate)s %%; threshold %(limit)s %%)."
        )
        % {
            "same": len(same),
            "count": len(decided),
            "rate": formats.number_format(rate, decimal_pos=1),
            "limit": formats.number_format(limits.agreement_share, decimal_pos=0),
        },
        [
            Evidence(
                _("%(name)s: self %(self)s, manager %(manager)s, decided %(decided)s")
                % {
                    "name": row["person__full_name"],
                    "self": _level(row["self_level"]),
                    "manager": _level(row["manager_level"]),
                    "decided": _level(row["decided_level"]),
                },
                _sheet_url(row["pk"]),
            )
            for row in differ
        ],
    )


def _proposal(row: dict[str, Any]) -> str:
    return str(row["manager_level"] or row["self_level"])


def _heads_never_departing(
    limits: Thresholds, decided: list[dict[str, Any]], names: dict[int, str]
) -> list[Flag]:
    by_decider: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in decided:
        if row["decided_by_id"] is not None and not row["veto"]:
            by_decider[row["decided_by_id"]].append(row)
    flags = []
    for user_id, own in sorted(by_decider.items()):
        if len(own) < limits.head_min_decisions:
            continue
        if any(row["decided_level"] != _proposal(row) for row in own):
            continue
        flags.append(
            Flag(
                "head_never_departs",
                _("%(name)s decided %(count)d sheets, each at the level proposed.")
                % {"name": names.get(user_id, "?"), "count": len(own)},
            )
        )
    return flags


def _excellent_below_band(decided: list[dict[str, Any]]) -> Flag | None:
    rows = [
        row
        for row in decided
        if row["decided_level"] == EXCELLENT and row["band"] and row["band"] != EXCELLENT
    ]
    if not rows:
        return None
    return Flag(
        "excellent_below_band",
        _("%(count)d sheets decided “excellent” with a score in a lower band.")
        % {"count": len(rows)},
        [
            Evidence(
                _("%(name)s: score %(total)s (band %(band)s); reason: %(reason)s")
                % {
                    "name": row["person__full_name"],
                    "total": formats.number_format(row["total"], decimal_pos=2),
                    "band": _level(row["band"]),
                    "reason": row["decision_reason"] or "–",
                },
                _sheet_url(row["pk"]),
            )
            for row in rows
        ],
    )


def _quota(config: RulebookConfig | None, decided: list[dict[str, Any]]) -> Flag | None:
    if config is None:
        return None
    quota = config.quota
    counts = _counts(decided)
    base, used = counts[quota.base_level], counts[quota.top_level]
    allowed = allowance(quota.share, base, quota.rounding)
    exceptions = [row for row in decided if row["quota_exception"]]
    if used <= allowed and not exceptions:
        return None
    evidence = [
        Evidence(
            _("%(name)s: quota exception used; reason: %(reason)s")
            % {"name": row["person__full_name"], "reason": row["decision_reason"] or "–"},
            _sheet_url(row["pk"]),
        )
        for row in exceptions
    ]
    return Flag(
        "quota",
        _(
            "%(used)d “excellent” for %(base)d “good”: the quota allows %(allowed)d "
            "(%(share)s %% of “good”, %(rounding)s); %(exceptions)d exceptions used."
        )
        % {
            "used": used,
            "base": base,
            "allowed": allowed,
            "share": formats.number_format(quota.share * 100, decimal_pos=0),
            "rounding": ROUNDING_WORDS.get(quota.rounding, quota.rounding),
            "exceptions": len(exceptions),
        },
        evidence,
    )


def _bulk_last_hour(
    period: Period, limits: Thresholds, decided: list[dict[str, Any]], names: dict[int, str]
) -> Flag | None:
    deadline = _end_of(period.decision_due)
    start = deadline - datetime.timedelta(minutes=limits.bulk_window_minutes)
    rows = [
        row
        for row in decided
        if row["decided_at"] is not None and start <= row["decided_at"] < deadline
    ]
    if len(rows) < limits.bulk_min_decisions:
        return None
    deciders = sorted({names.get(row["decided_by_id"], "?") for row in rows})
    first = min(row["decided_at"] for row in rows)
    last = max(row["decided_at"] for row in rows)
    return Flag(
        "bulk_last_hour",
        _(
            "%(count)d of %(decided)d decisions made in the last %(minutes)d minutes before "
            "the deadline (%(deadline)s), between %(first)s and %(last)s."
        )
        % {
            "count": len(rows),
            "decided": len(decided),
            "minutes": limits.bulk_window_minutes,
            "deadline": _day(period.decision_due),
            "first": _when(first),
            "last": _when(last),
        },
        [Evidence(_("Decided by: %(names)s") % {"names": ", ".join(deciders)})],
    )


def _late(period: Period, limits: Thresholds, group: list[dict[str, Any]]) -> Flag | None:
    steps = (
        ("self_submitted_at", period.self_evaluation_due, _("submitted")),
        ("reviewed_at", period.review_due, _("reviewed")),
        ("decided_at", period.decision_due, _("decided")),
    )
    evidence: list[Evidence] = []
    counts = []
    for field_name, due, word in steps:
        end = _end_of(due)
        late = [row for row in group if row[field_name] is not None and row[field_name] >= end]
        counts.append(
            _("%(count)d %(step)s after %(due)s")
            % {"count": len(late), "step": word, "due": _day(due)}
        )
        evidence.extend(
            Evidence(
                _("%(name)s: %(step)s on %(when)s (due %(due)s)")
                % {
                    "name": row["person__full_name"],
                    "step": word,
                    "when": _when(row[field_name]),
                    "due": _day(due),
                },
                _sheet_url(row["pk"]),
            )
            for row in late
        )
    if len(evidence) < limits.late_min_sheets:
        return None
    return Flag("late", "; ".join(counts) + ".", evidence)
