"""The head's decision: one sheet, or every proposal of a unit at once; vetoes and the quota.

A decision is final here: a decided sheet never changes (a later issue adds reopening). The
period row is locked for every decision, so two decisions in the same period cannot both
pass the quota.

The quota counts the decided sheets of the decider's unit: the nearest unit above the
person where the named decider holds the headship, with everything below it that the same
decider decides (and, per the rulebook, each group with similar tasks within it).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.evaluations.facts import veto_facts_for
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.permissions import OPEN_PERIOD_STATES, acts_as_decider, reviewed_by_decider
from danhgia.evaluations.queries import delegated_condition
from danhgia.evaluations.rules.levels import level_name, lowest_level
from danhgia.evaluations.rules.quota import Decision, check_decision
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import Veto, applicable_vetoes
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import (
    check_level,
    config_of,
    locked,
    require_before,
    require_not_decided,
    require_period_open,
    sheet_url,
    snapshot,
)
from danhgia.evaluations.services.sheets import rescore_leaders
from danhgia.organisations.models import Role, Unit, UnitRole

DECISION_FIELDS = [
    "status",
    "decided_level",
    "decision_reason",
    "veto",
    "veto_reason",
    "quota_exception",
    "decided_by",
    "decided_at",
]


@dataclass(frozen=True)
class Skipped:
    sheet: Sheet
    reason: str


@dataclass
class AcceptResult:
    """What `accept_all_proposals` did: the sheets decided, and those left with why."""

    decided: list[Sheet] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _locked_period(period_id: int) -> Period:
    return (
        Period.objects.select_for_update(of=("self",))
        .select_related("rulebook", "organisation")
        .get(pk=period_id)
    )


def _require_period(period: Period) -> None:
    if period.state not in OPEN_PERIOD_STATES:
        raise EvaluationError(
            _("The period %(period)s is %(state)s: levels can no longer be decided.")
            % {"period": period, "state": period.get_state_display()}
        )
    require_before(period.decision_due, _("the decision"), period)


def _require_decider(sheet: Sheet, by: User) -> None:
    require_not_decided(sheet)
    if not acts_as_decider(by, sheet):
        raise EvaluationError(
            _("Only the head who decides for %(name)s can decide this level.")
            % {"name": sheet.person.full_name}
        )
    ready = sheet.status == Sheet.Status.REVIEWED or (
        sheet.status == Sheet.Status.SUBMITTED and reviewed_by_decider(sheet)
    )
    if not ready:
        raise EvaluationError(
            _("This sheet is %(status)s: a level is decided once the manager has reviewed it.")
            % {"status": sheet.get_status_display()}
        )
    require_period_open(sheet)


def head_paths(user_id: int | None, period: Period) -> dict[int, str]:
    """Units (id → path) where the user held the headship during the period."""
    if user_id is None:
        return {}
    roles = (
        UnitRole.objects.overlapping(period.start, period.end)
        .filter(user_id=user_id, role=Role.HEAD)
        .select_related("unit")
    )
    return {role.unit_id: role.unit.path for role in roles}


def scope_path(unit: Unit, heads: dict[int, str]) -> str:
    """The path of the decider's unit for the quota: nearest headship at or above `unit`."""
    for unit_id in reversed(unit.ancestor_ids or [unit.pk]):
        if unit_id in heads:
            return heads[unit_id]
    return unit.path


def quota_decisions(
    period: Period, decider_id: int | None, unit: Unit, cache: dict[Any, Any] | None = None
) -> list[Decision]:
    """The decisions the quota counts for `decider_id` over `unit` (a sheet's unit, or the
    unit of a decision page): the one reading behind the decision page's meter, the offer of
    the quota exception and a refused decision's explanation, so that all give the same
    counts. `cache` (a dict kept by the caller) spares the queries across the rows of a page."""
    cache = {} if cache is None else cache
    heads_key = ("heads", decider_id)
    if heads_key not in cache:
        cache[heads_key] = head_paths(decider_id, period)
    key = ("decisions", decider_id, scope_path(unit, cache[heads_key]))
    if key not in cache:
        cache[key] = scope_decisions(period, decider_id, key[2])
    return list(cache[key])


def scope_decisions(period: Period, decider_id: int | None, path: str) -> list[Decision]:
    """(person, decided level, group) of the decided sheets in the decider's unit."""
    rows = Sheet.objects.filter(
        period=period,
        decider_id=decider_id,
        unit__path__startswith=path,
        status=Sheet.Status.DECIDED,
    ).values_list("person_id", "decided_level", "task_group")
    return list(rows)


def _vetoes(
    config: RulebookConfig, period: Period, sheets: Sequence[Sheet]
) -> dict[int, list[Veto]]:
    facts = veto_facts_for(period, [(sheet.person_id, sheet.is_leader) for sheet in sheets])
    return {
        person_id: applicable_vetoes(config, person_facts, period.start, period.end)
        for person_id, person_facts in facts.items()
    }


def _decide(
    sheet: Sheet,
    *,
    by: User,
    config: RulebookConfig,
    level: str,
    reason: str,
    vetoes: Sequence[Veto],
    quota_exception: bool,
) -> Sheet:
    before = snapshot(sheet, DECISION_FIELDS)
    sheet.status = Sheet.Status.DECIDED
    sheet.decided_level = level
    sheet.decision_reason = reason
    sheet.veto = vetoes[0].code if vetoes else ""
    sheet.veto_reason = " ".join(veto.reason for veto in vetoes)
    sheet.quota_exception = quota_exception
    sheet.decided_by = by
    sheet.decided_at = clock.now()
    sheet.save(update_fields=DECISION_FIELDS)
    after = snapshot(sheet, DECISION_FIELDS)
    before["decided_by"] = None
    after["decided_by"] = by.pk
    log_action(
        sheet,
        "sheet.decided",
        by=by,
        data={
            "before": before,
            "after": after,
            "total": sheet.total,
            "band": sheet.band,
            "manager_level": sheet.manager_level,
            "on_behalf_of": sheet.decider_id if sheet.decider_id != by.pk else None,
        },
    )
    notify(
        sheet.person.user,
        _("Your level for %(period)s was decided: %(level)s.")
        % {"period": sheet.period, "level": level_name(config, level)},
        url=sheet_url(sheet),
        kind="sheet.decided",
    )
    return sheet


@transaction.atomic
def decide_sheet(
    sheet: Sheet, *, by: User, level: str, reason: str = "", use_exception: bool = False
) -> Sheet:
    """The head decides the level of a reviewed sheet (a submitted one when nobody but the
    head reviews that person): DECIDED, for good.

    A veto (discipline, finding) forces the lowest level, recorded with its reason; no other
    level is accepted. Otherwise a level other than the score's band needs a reason, and the
    top level is checked against the quota of the decider's unit: over it, the rulebook may
    allow the exception share with a reason (`use_exception`, recorded) or block.

    Logs `sheet.decided` with before/after; notifies the person. Raises EvaluationError for
    anyone but the decider (or a stand-in when they are gone), a sheet not ready or already
    decided, a closed period, the decision deadline passed, an unknown level, a level other
    than a veto's, a missing reason, or the quota.
    """
    period = _locked_period(sheet.period_id)
    sheet = locked(sheet)
    _require_decider(sheet, by)
    _require_period(period)
    config = config_of(period)
    level = check_level(config, level, required=True)
    reason = reason.strip()
    vetoes = _vetoes(config, period, [sheet])[sheet.person_id]
    if vetoes:
        forced = lowest_level(config)
        if level != forced:
            raise EvaluationError(
                _("%(name)s's level is “%(level)s” whatever the score: %(reasons)s")
                % {
                    "name": sheet.person.full_name,
                    "level": level_name(config, forced),
                    "reasons": " ".join(veto.reason for veto in vetoes),
                }
            )
    elif level != sheet.band and not reason:
        raise EvaluationError(
            _(
                "“%(level)s” differs from the band of the score (%(total)s points: “%(band)s”). "
                "Give the reason for the difference."
            )
            % {
                "level": level_name(config, level),
                "total": number_format(sheet.total, 2),
                "band": level_name(config, sheet.band),
            }
        )
    quota_exception = False
    if level == config.quota.top_level and not vetoes:
        decisions = quota_decisions(period, sheet.decider_id, sheet.unit)
        check = check_decision(config, decisions, sheet.person_id, sheet.task_group)
        if check.outcome == "blocked":
            raise EvaluationError(check.explanation)
        if check.outcome == "exception":
            if not use_exception:
                raise EvaluationError(
                    check.explanation
                    + " "
                    + _(
                        "If the unit has outstanding achievements, use the exception and give "
                        "the reason."
                    )
                )
            if not reason:
                raise EvaluationError(_("Give the reason for using the exception to the quota."))
            quota_exception = True
    decided = _decide(
        sheet,
        by=by,
        config=config,
        level=level,
        reason=reason,
        vetoes=vetoes,
        quota_exception=quota_exception,
    )
    rescore_leaders([decided], by=by)  # their leaders' d follows the decided level
    return decided


@transaction.atomic
def accept_all_proposals(period: Period, unit: Unit, *, by: User) -> AcceptResult:
    """Decide every reviewed sheet of `unit` (and below) that `by` decides (named, or for a
    head who delegated the unit to them), at the manager's proposed level (the band when none
    was proposed).

    Skipped, with the reason: a proposal other than the band (it needs the head's reason), a
    veto (decided on its own page, where it is shown), and a top level over the quota (no
    exception is used without the head's reason). Levels below the top are decided first and
    the top level by descending score, so the quota's base is counted before it is used.
    Each decision logs `sheet.decided` and notifies the person. Raises EvaluationError for a
    closed period or the decision deadline passed.
    """
    period = _locked_period(period.pk)
    _require_period(period)
    config = config_of(period)
    top = config.quota.top_level
    sheets = list(
        Sheet.objects.select_for_update(of=("self",))
        .select_related("period", "person", "unit")
        .filter(
            Q(status=Sheet.Status.REVIEWED)
            | Q(status=Sheet.Status.SUBMITTED)
            & (Q(reviewer__isnull=True) | Q(reviewer=by) | Q(reviewer_id=F("decider_id"))),
            Q(decider=by) | delegated_condition(by, "decider"),
            period=period,
            unit__path__startswith=unit.path,
        )
        .order_by("pk")
    )
    result = AcceptResult()
    # Sheets the head reviews themself have no manager's proposal to accept: they are listed,
    # so the head opens each one, rather than accepting a self-proposal unseen.
    for sheet in [sheet for sheet in sheets if sheet.status == Sheet.Status.SUBMITTED]:
        result.skipped.append(
            Skipped(sheet, _("You review this sheet yourself: open it and decide it on its own."))
        )
    sheets = [sheet for sheet in sheets if sheet.status == Sheet.Status.REVIEWED]
    if not sheets:
        return result
    vetoes = _vetoes(config, period, sheets)
    heads: dict[int | None, dict[int, str]] = {}
    decisions: dict[tuple[int | None, str], list[Decision]] = {}

    def proposal(sheet: Sheet) -> str:
        return sheet.manager_level or sheet.band

    ordered = sorted(sheets, key=lambda sheet: (proposal(sheet) == top, -sheet.total, sheet.pk))
    for sheet in ordered:
        level = proposal(sheet)
        if vetoes[sheet.person_id]:
            reasons = " ".join(veto.reason for veto in vetoes[sheet.person_id])
            result.skipped.append(
                Skipped(
                    sheet,
                    _("A veto applies: %(reasons)s Decide it on its own.") % {"reasons": reasons},
                )
            )
            continue
        if level != sheet.band:
            result.skipped.append(
                Skipped(
                    sheet,
                    _(
                        "The proposal “%(level)s” differs from the band “%(band)s”: decide it "
                        "with a reason."
                    )
                    % {"level": level_name(config, level), "band": level_name(config, sheet.band)},
                )
            )
            continue
        # The quota is the named decider's, also when a deputy decides for them.
        if sheet.decider_id not in heads:
            heads[sheet.decider_id] = head_paths(sheet.decider_id, period)
        scope = (sheet.decider_id, scope_path(sheet.unit, heads[sheet.decider_id]))
        if scope not in decisions:
            decisions[scope] = scope_decisions(period, *scope)
        if level == top:
            check = check_decision(config, decisions[scope], sheet.person_id, sheet.task_group)
            if check.outcome != "allowed":
                result.skipped.append(Skipped(sheet, check.explanation))
                continue
        _decide(
            sheet, by=by, config=config, level=level, reason="", vetoes=(), quota_exception=False
        )
        decisions[scope].append((sheet.person_id, level, sheet.task_group))
        result.decided.append(sheet)
    rescore_leaders(result.decided, by=by)  # their leaders' d follows the decided levels
    return result
