"""Every write of the annual classification: open it for an organisation and year (a sheet
for everyone, computed in bulk), recompute, decide one sheet or accept every computed level,
close.

The rules are those of the monthly decision (`evaluations/services/decisions.py`): a veto
forces the lowest level, any level other than the computed one needs a reason, the top level
is checked against the quota of the decider's unit; in addition a cap (absence, a head above
their unit) cannot be exceeded and a person not classified gets no level.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.annual import facts
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.permissions import acts_as_decider, can_manage_annual
from danhgia.annual.rules import AnnualFacts, AnnualResult, cap_by_unit, classify, unit_level
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.bulk import copy_insert
from danhgia.core.notifications import notify
from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.policy import annual_decision_due, policy_for
from danhgia.evaluations.rules.levels import level_name, lowest_level, rank
from danhgia.evaluations.rules.quota import Decision, check_decision
from danhgia.evaluations.rules.schema import RulebookConfig, RuleError, parse_rulebook
from danhgia.evaluations.services.periods import applicable_rulebook
from danhgia.organisations.models import Person, Role, Unit, UnitRole

ANNUAL_ACTION_LABELS: dict[str, Any] = {
    "annual.opened": gettext_lazy("annual classification opened"),
    "annual.recomputed": gettext_lazy("annual results recomputed"),
    "annual.decided": gettext_lazy("annual level decided"),
    "annual.all_decided": gettext_lazy("every annual level decided"),
    "annual.closed": gettext_lazy("annual classification closed"),
}

COMPUTED_FIELDS = [
    "months",
    "months_worked",
    "extra_days_worked",
    "months_absent",
    "extra_days_absent",
    "days_absent",
    "score",
    "band",
    "cap_level",
    "cap_reason",
    "not_classified",
    "not_classified_reason",
    "veto",
    "veto_reason",
    "proposed_level",
    "status",
    "computed_at",
]
DECISION_FIELDS = [
    "status",
    "decided_level",
    "decision_reason",
    "quota_exception",
    "decided_by",
    "decided_at",
]
_BATCH = 2000


class AnnualError(Exception):
    """A rule of the annual classification was broken; the message says what to do next."""


@dataclass(frozen=True)
class Skipped:
    sheet: AnnualSheet
    reason: str


@dataclass
class AcceptResult:
    decided: list[AnnualSheet] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def config_of(period: AnnualPeriod) -> RulebookConfig:
    try:
        return parse_rulebook(period.rulebook)
    except RuleError as error:
        raise AnnualError(
            _("The rulebook “%(name)s” is invalid (%(error)s). Ask the HR officer to fix it.")
            % {"name": period.rulebook.name, "error": error}
        ) from error


def _require_manager(by: User | None, organisation: Unit) -> None:
    if by is not None and not can_manage_annual(by, organisation):
        raise AnnualError(
            _(
                "Only the HR officer or a system administrator over %(unit)s manages its annual "
                "classification."
            )
            % {"unit": organisation.name}
        )


def _freeze(rulebook: Rulebook, by: User | None) -> None:
    """Freeze the rulebook the first time it is used (as monthly periods do)."""
    now = clock.now()
    if Rulebook.objects.filter(pk=rulebook.pk, frozen_at__isnull=True).update(frozen_at=now):
        rulebook.frozen_at = now
        log_action(
            rulebook,
            "rulebook.frozen",
            by=by,
            data={"before": {"frozen_at": None}, "after": {"frozen_at": now}},
        )


# Computing --------------------------------------------------------------------------------


def _apply(sheet: AnnualSheet, result: AnnualResult, now: datetime.datetime) -> None:
    sheet.months = [
        {
            "period": item.result.period_id,
            "start": item.result.first.isoformat(),
            "end": item.result.last.isoformat(),
            "unit": item.result.unit_name,
            "total": str(item.result.total),
            "level": item.result.level,
            "days_worked": item.days_worked,
            "counted": item.counted,
        }
        for item in result.periods
    ]
    sheet.months_worked, sheet.extra_days_worked = result.worked.months, result.worked.days
    sheet.months_absent, sheet.extra_days_absent = result.absent.months, result.absent.days
    sheet.days_absent = result.days_absent
    sheet.score = result.score
    sheet.band = result.band
    sheet.cap_level = result.cap_level
    sheet.cap_reason = result.cap_reason
    sheet.not_classified = result.not_classified
    sheet.not_classified_reason = result.not_classified_reason
    sheet.veto = result.veto
    sheet.veto_reason = result.veto_reason
    sheet.proposed_level = result.level
    sheet.status = (
        AnnualSheet.Status.NOT_CLASSIFIED if result.not_classified else AnnualSheet.Status.PENDING
    )
    sheet.computed_at = now


def _base_results(
    config: RulebookConfig, people: Sequence[Person], year: int, within: Unit | None = None
) -> dict[int, AnnualResult]:
    """Each person's result by person id, from a few queries per 2,000 people (`within`:
    the monthly results of everyone in that subtree in one query)."""
    ids = [person.pk for person in people]
    results_by = facts.period_results(ids, year, within=within)
    leaves_by = facts.leaves(ids, year)
    vetoes_by = facts.vetoes(config, [(p.pk, p.is_leader) for p in people], year)
    return {
        person.pk: classify(
            config,
            AnnualFacts(
                year=year,
                active_from=person.active_from,
                active_to=person.active_to,
                leaves=leaves_by.get(person.pk, ()),
                periods=results_by.get(person.pk, ()),
                vetoes=vetoes_by.get(person.pk, ()),
            ),
        )
        for person in people
    }


def _results(
    period: AnnualPeriod,
    config: RulebookConfig,
    people: Sequence[Person],
    roles: Sequence[UnitRole],
    *,
    everyone: bool = False,
) -> dict[int, AnnualResult]:
    """Each person's result (`everyone`: `people` is the whole organisation); with
    `head_not_above_unit`, a head is capped at the level of the units they lead, counted
    from everyone of the organisation under them."""
    within = period.organisation if everyone else None
    results = _base_results(config, people, period.year, within)
    if not config.annual.params.head_not_above_unit:
        return results
    led = facts.led_units(roles, period.year)
    heads = [person for person in people if person.user_id in led]
    if not heads:
        return results
    organisation = facts.people_of_year(period.organisation, period.year)
    scored = dict(results)
    others = [person for person in organisation if person.pk not in results]
    scored.update(_base_results(config, others, period.year))
    for head in heads:
        for unit in led[head.user_id or 0]:
            scores = [
                scored[person.pk].score
                for person in organisation
                if person.pk != head.pk
                and person.unit.path.startswith(unit.path)
                and not scored[person.pk].not_classified
            ]
            level = unit_level(config, [score for score in scores if score is not None])
            if level is not None:
                results[head.pk] = cap_by_unit(config, results[head.pk], level, unit.name)
    return results


def insert_sheets(sheets: Sequence[AnnualSheet]) -> None:
    """COPY on PostgreSQL: `bulk_create` sends the JSON of 50,000 sheets through array
    escaping that took 100 s; batched INSERTs elsewhere."""
    copy_insert(sheets)


@transaction.atomic
def open_annual(
    organisation: Unit,
    year: int,
    *,
    by: User | None,
    rulebook: Rulebook | None = None,
    decision_due: datetime.date | None = None,
) -> AnnualPeriod:
    """Open the annual classification of `year` for `organisation` and everyone below it.

    Pins the rulebook in force on 31 December of the year (or `rulebook`) and freezes it;
    the decision is due on the organisation's policy date (15 December by default) unless
    `decision_due` is given. Creates and computes an annual sheet for every person now in
    the organisation who was active in the year, with the head who decides for them as in
    December. Logs one `annual.opened` with the counts.

    Raises AnnualError for a user who is not HR or admin over the organisation, a year not
    yet begun, an annual classification already open for it, above or below it, or no
    (or an invalid) rulebook.
    """
    _require_manager(by, organisation)
    today = clock.today()
    if year > today.year:
        raise AnnualError(
            _("The year %(year)d has not begun: its classification opens in that year.")
            % {"year": year}
        )
    overlapping = (
        AnnualPeriod.objects.filter(year=year)
        .filter(
            Q(organisation__path__startswith=organisation.path)
            | Q(organisation_id__in=organisation.ancestor_ids)
        )
        .select_related("organisation")
        .first()
    )
    if overlapping is not None:
        if overlapping.organisation_id == organisation.pk:
            raise AnnualError(
                _("The annual classification %(period)s is already open.") % {"period": overlapping}
            )
        raise AnnualError(
            _(
                "The annual classification %(period)s already covers these people: a person "
                "has one annual result a year."
            )
            % {"period": overlapping}
        )
    first, last = facts.year_bounds(year)
    rulebook = rulebook or applicable_rulebook(organisation, last)
    if rulebook is None:
        raise AnnualError(
            _("No rulebook applies on %(date)s. Ask the HR officer to add one.")
            % {"date": _day(last)}
        )
    period = AnnualPeriod(
        organisation=organisation,
        year=year,
        rulebook=rulebook,
        decision_due=decision_due or annual_decision_due(policy_for(organisation), year),
        opened_at=clock.now(),
        opened_by=by,
    )
    config = config_of(period)
    _freeze(rulebook, by)
    period.computed_at = period.opened_at
    period.save()
    people = facts.people_of_year(organisation, year)
    roles = facts.authority_roles(organisation, year)
    authority = facts.deciders(people, roles, year)
    results = _results(period, config, people, roles, everyone=True)
    sheets = []
    for person in people:
        sheet = AnnualSheet(
            annual_period=period,
            person_id=person.pk,
            unit_id=person.unit_id,
            title=person.title,
            is_leader=person.is_leader,
            task_group=person.job_position.code if person.job_position else "",
            decider_id=authority[person.pk].decider_id,
        )
        _apply(sheet, results[person.pk], period.opened_at)
        sheets.append(sheet)
    insert_sheets(sheets)
    log_action(
        period,
        "annual.opened",
        by=by,
        data={
            "organisation": organisation.code,
            "year": year,
            "rulebook": {"code": rulebook.code, "version": rulebook.version},
            "decision_due": period.decision_due,
            "sheets": len(sheets),
            "not_classified": sum(1 for sheet in sheets if sheet.not_classified),
            "capped": sum(1 for sheet in sheets if sheet.cap_level),
            "vetoed": sum(1 for sheet in sheets if sheet.veto),
            "without_decider": sum(1 for sheet in sheets if sheet.decider_id is None),
            "proposed": dict(Counter(sheet.proposed_level for sheet in sheets)),
        },
    )
    return period


def _locked_period(pk: int) -> AnnualPeriod:
    return (
        AnnualPeriod.objects.select_for_update(of=("self",))
        .select_related("organisation", "rulebook")
        .get(pk=pk)
    )


def _require_open(period: AnnualPeriod) -> None:
    if period.state == AnnualPeriod.State.CLOSED:
        raise AnnualError(
            _("The annual classification %(period)s is closed: nothing in it changes.")
            % {"period": period}
        )


@transaction.atomic
def recompute_annual(period: AnnualPeriod, *, by: User | None) -> int:
    """Compute again every sheet not yet decided (periods decided, leave or discipline
    recorded since the opening). Logs `annual.recomputed` with the number changed; returns
    it. Raises AnnualError for anyone but HR or an admin, or a closed classification."""
    period = _locked_period(period.pk)
    _require_manager(by, period.organisation)
    _require_open(period)
    config = config_of(period)
    sheets = list(
        AnnualSheet.objects.select_for_update(of=("self",))
        .filter(annual_period=period)
        .exclude(status=AnnualSheet.Status.DECIDED)
        .select_related("person__unit", "person__job_position")
        .order_by("pk")
    )
    people = [sheet.person for sheet in sheets]
    roles = facts.authority_roles(period.organisation, period.year)
    results = _results(period, config, people, roles)
    now = clock.now()
    changed = []
    levels_before: dict[str, int] = Counter()
    for sheet in sheets:
        before = [getattr(sheet, name) for name in COMPUTED_FIELDS[:-1]]
        _apply(sheet, results[sheet.person_id], now)
        if [getattr(sheet, name) for name in COMPUTED_FIELDS[:-1]] != before:
            levels_before[str(before[-2])] += 1
            changed.append(sheet)
    AnnualSheet.objects.bulk_update(changed, COMPUTED_FIELDS, batch_size=500)
    period.computed_at = now
    fields = ["computed_at"]
    if period.state == AnnualPeriod.State.DECIDED and any(
        sheet.status == AnnualSheet.Status.PENDING for sheet in sheets
    ):
        period.state = AnnualPeriod.State.OPEN
        fields.append("state")
    period.save(update_fields=fields)
    log_action(
        period,
        "annual.recomputed",
        by=by,
        data={
            "sheets": len(sheets),
            "changed": len(changed),
            "proposed_before": dict(levels_before),
            "proposed_after": dict(Counter(sheet.proposed_level for sheet in changed)),
        },
    )
    return len(changed)


# Deciding ---------------------------------------------------------------------------------


def head_paths(user_id: int | None, period: AnnualPeriod) -> dict[int, str]:
    """Units (id → path) where the user held the headship in December of the year."""
    if user_id is None:
        return {}
    first, last = datetime.date(period.year, 12, 1), datetime.date(period.year, 12, 31)
    roles = (
        UnitRole.objects.overlapping(first, last)
        .filter(user_id=user_id, role=Role.HEAD)
        .select_related("unit")
    )
    return {role.unit_id: role.unit.path for role in roles}


def scope_path(unit: Unit, heads: dict[int, str]) -> str:
    """The decider's unit for the quota: the nearest headship at or above `unit`."""
    for unit_id in reversed(unit.ancestor_ids or [unit.pk]):
        if unit_id in heads:
            return heads[unit_id]
    return unit.path


def scope_decisions(period: AnnualPeriod, decider_id: int | None, path: str) -> list[Decision]:
    """(person, decided level, group) of the decided annual sheets in the decider's unit."""
    return list(
        AnnualSheet.objects.filter(
            annual_period=period,
            decider_id=decider_id,
            unit__path__startswith=path,
            status=AnnualSheet.Status.DECIDED,
        ).values_list("person_id", "decided_level", "task_group")
    )


def _locked_sheet(sheet: AnnualSheet) -> AnnualSheet:
    return (
        AnnualSheet.objects.select_for_update(of=("self",))
        .select_related("annual_period__rulebook", "annual_period__organisation", "person", "unit")
        .get(pk=sheet.pk)
    )


def _require_decidable(sheet: AnnualSheet, period: AnnualPeriod, by: User) -> None:
    if sheet.status == AnnualSheet.Status.DECIDED:
        raise AnnualError(
            _("The annual level of %(name)s has been decided and can no longer change.")
            % {"name": sheet.person.full_name}
        )
    if sheet.status == AnnualSheet.Status.NOT_CLASSIFIED:
        raise AnnualError(
            _("%(name)s is not classified this year: %(reason)s")
            % {"name": sheet.person.full_name, "reason": sheet.not_classified_reason}
        )
    if not acts_as_decider(by, sheet):
        raise AnnualError(
            _("Only the head who decides for %(name)s can decide this level.")
            % {"name": sheet.person.full_name}
        )
    _require_deciding(period)


def _require_deciding(period: AnnualPeriod) -> None:
    _require_open(period)
    if clock.today() > period.decision_due:
        raise AnnualError(
            _("The deadline for the annual decision was %(date)s. Ask the HR officer to extend it.")
            % {"date": _day(period.decision_due)}
        )


def _check_level(config: RulebookConfig, sheet: AnnualSheet, level: str, reason: str) -> None:
    """The reason rules of the monthly decision, plus the caps: raises AnnualError."""
    if level not in {item.code for item in config.levels}:
        raise AnnualError(_("“%(code)s” is not a level of this rulebook.") % {"code": level})
    name = sheet.person.full_name
    if sheet.veto:
        forced = lowest_level(config)
        if level != forced:
            raise AnnualError(
                _("%(name)s's level is “%(level)s” whatever the score: %(reasons)s")
                % {"name": name, "level": level_name(config, forced), "reasons": sheet.veto_reason}
            )
        return
    if sheet.cap_level and rank(config, level) > rank(config, sheet.cap_level):
        raise AnnualError(
            _("%(name)s's level can be at most “%(level)s”: %(reason)s")
            % {
                "name": name,
                "level": level_name(config, sheet.cap_level),
                "reason": sheet.cap_reason,
            }
        )
    if level != sheet.proposed_level and not reason:
        raise AnnualError(
            _(
                "“%(level)s” differs from the computed level (annual score %(score)s: "
                "“%(proposed)s”). Give the reason for the difference."
            )
            % {
                "level": level_name(config, level),
                "score": number_format(sheet.score or 0, 2),
                "proposed": level_name(config, sheet.proposed_level),
            }
        )


def _decide(
    period: AnnualPeriod,
    sheet: AnnualSheet,
    *,
    by: User,
    config: RulebookConfig,
    level: str,
    reason: str,
    quota_exception: bool,
) -> AnnualSheet:
    before = {name: getattr(sheet, name) for name in DECISION_FIELDS}
    before["decided_by"] = None
    sheet.status = AnnualSheet.Status.DECIDED
    sheet.decided_level = level
    sheet.decision_reason = reason
    sheet.quota_exception = quota_exception
    sheet.decided_by = by
    sheet.decided_at = clock.now()
    sheet.save(update_fields=DECISION_FIELDS)
    after = {name: getattr(sheet, name) for name in DECISION_FIELDS}
    after["decided_by"] = by.pk
    log_action(
        sheet,
        "annual.decided",
        by=by,
        data={
            "before": before,
            "after": after,
            "score": sheet.score,
            "band": sheet.band,
            "proposed_level": sheet.proposed_level,
            "veto": sheet.veto,
            "cap_level": sheet.cap_level,
        },
    )
    notify(
        sheet.person.user,
        _("Your annual level for %(year)d was decided: %(level)s.")
        % {"year": period.year, "level": level_name(config, level)},
        url=reverse("annual:sheet_detail", args=[sheet.pk]),
        kind="annual.decided",
    )
    return sheet


def _settle(period: AnnualPeriod, by: User) -> None:
    """The classification moves to "decided" once no sheet waits for a decision."""
    if period.state != AnnualPeriod.State.OPEN:
        return
    if period.sheets.filter(status=AnnualSheet.Status.PENDING).exists():
        return
    period.state = AnnualPeriod.State.DECIDED
    period.save(update_fields=["state"])
    levels = Counter(period.sheets.values_list("decided_level", flat=True))
    log_action(
        period,
        "annual.all_decided",
        by=by,
        data={
            "before": {"state": "open"},
            "after": {"state": period.state},
            "levels": dict(levels),
        },
    )


@transaction.atomic
def decide_annual(
    sheet: AnnualSheet, *, by: User, level: str, reason: str = "", use_exception: bool = False
) -> AnnualSheet:
    """The head decides a person's annual level, for good.

    A veto forces the lowest level; a cap (absence, a head above their unit) cannot be
    exceeded; any level other than the computed one needs a reason; the top level is
    checked against the quota of the decider's unit (the exception share with a reason when
    the rulebook allows it). Logs `annual.decided` (and `annual.all_decided` with the last
    one); notifies the person. Raises AnnualError for anyone but the decider, a sheet decided
    or not classified, a closed classification, the deadline passed, or any rule above.
    """
    period = _locked_period(sheet.annual_period_id)
    sheet = _locked_sheet(sheet)
    _require_decidable(sheet, period, by)
    config = config_of(period)
    level = (level or "").strip()
    reason = reason.strip()
    _check_level(config, sheet, level, reason)
    quota_exception = False
    if level == config.quota.top_level:
        path = scope_path(sheet.unit, head_paths(sheet.decider_id, period))
        decisions = scope_decisions(period, sheet.decider_id, path)
        check = check_decision(config, decisions, sheet.person_id, sheet.task_group)
        if check.outcome == "blocked":
            raise AnnualError(check.explanation)
        if check.outcome == "exception":
            if not use_exception:
                raise AnnualError(
                    check.explanation
                    + " "
                    + _(
                        "If the unit has outstanding achievements, use the exception and give "
                        "the reason."
                    )
                )
            if not reason:
                raise AnnualError(_("Give the reason for using the exception to the quota."))
            quota_exception = True
    sheet = _decide(
        period,
        sheet,
        by=by,
        config=config,
        level=level,
        reason=reason,
        quota_exception=quota_exception,
    )
    _settle(period, by)
    return sheet


@transaction.atomic
def accept_all_annual(period: AnnualPeriod, unit: Unit, *, by: User) -> AcceptResult:
    """Decide, at the computed level, every waiting sheet of `unit` (and below) that `by` is
    named to decide. Skipped with the reason: a veto (decided on its own, where it is shown)
    and a top level over the quota. Levels below the top first, the top by descending score,
    so the quota's base is counted before it is used. Raises AnnualError for a closed
    classification or the deadline passed."""
    period = _locked_period(period.pk)
    _require_deciding(period)
    config = config_of(period)
    top = config.quota.top_level
    sheets = list(
        AnnualSheet.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .filter(
            annual_period=period,
            unit__path__startswith=unit.path,
            decider=by,
            status=AnnualSheet.Status.PENDING,
        )
        .order_by("pk")
    )
    result = AcceptResult()
    heads = head_paths(by.pk, period)
    decisions: dict[str, list[Decision]] = {}
    ordered = sorted(
        sheets, key=lambda sheet: (sheet.proposed_level == top, -(sheet.score or 0), sheet.pk)
    )
    for sheet in ordered:
        if sheet.veto:
            result.skipped.append(
                Skipped(
                    sheet,
                    _("A veto applies: %(reasons)s Decide it on its own.")
                    % {"reasons": sheet.veto_reason},
                )
            )
            continue
        level = sheet.proposed_level
        path = scope_path(sheet.unit, heads)
        if path not in decisions:
            decisions[path] = scope_decisions(period, by.pk, path)
        if level == top:
            check = check_decision(config, decisions[path], sheet.person_id, sheet.task_group)
            if check.outcome != "allowed":
                result.skipped.append(Skipped(sheet, check.explanation))
                continue
        _decide(period, sheet, by=by, config=config, level=level, reason="", quota_exception=False)
        decisions[path].append((sheet.person_id, level, sheet.task_group))
        result.decided.append(sheet)
    if result.decided:
        _settle(period, by)
    return result


@transaction.atomic
def close_annual(period: AnnualPeriod, *, by: User | None) -> AnnualPeriod:
    """Lock the annual classification once no sheet waits for a decision. Logs
    `annual.closed` with the count of each level. Raises AnnualError for anyone but HR or
    an admin, a classification already closed, or sheets still waiting (by count)."""
    period = _locked_period(period.pk)
    _require_manager(by, period.organisation)
    if period.state == AnnualPeriod.State.CLOSED:
        raise AnnualError(
            _("The annual classification %(period)s is already closed.") % {"period": period}
        )
    waiting = period.sheets.filter(status=AnnualSheet.Status.PENDING).count()
    if waiting:
        raise AnnualError(
            _(
                "%(count)d annual levels are not decided yet: every level must be decided "
                "before the classification closes."
            )
            % {"count": waiting}
        )
    before = period.state
    period.state = AnnualPeriod.State.CLOSED
    period.closed_at = clock.now()
    period.save(update_fields=["state", "closed_at"])
    levels = Counter(period.sheets.values_list("decided_level", flat=True))
    log_action(
        period,
        "annual.closed",
        by=by,
        data={
            "before": {"state": before},
            "after": {"state": period.state},
            "levels": dict(levels),
        },
    )
    return period
