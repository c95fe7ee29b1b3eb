"""Every write of the annual classification: open it for an organisation and year (a sheet
for everyone, computed in bulk), recompute, decide one sheet or accept every computed level,
close.

The rules are those of the monthly decision (`evaluations/services/decisions.py`): a veto
forces the lowest level, any level other than the computed one needs a reason, the top level
is checked against the quota of the decider's unit; in addition a cap (absence, a head above
their unit) cannot be exceeded and a person not classified gets no level.
"""

import datetime
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.annual import facts
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.permissions import decidable_annual
from danhgia.annual.round import YEAR, AnnualError, require_open
from danhgia.annual.rules import (
    STRATEGIES,
    AnnualFacts,
    AnnualResult,
    YearTotals,
    cap_by_unit,
    classify,
    unit_level,
    whole_year_result,
    works_whole_year,
)
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.bulk import JsonText, copy_insert
from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.policy import annual_decision_due, policy_for
from danhgia.evaluations.rounds.close import close_round
from danhgia.evaluations.rounds.decide import AcceptResult, Skipped, accept_all, decide
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.services import common
from danhgia.evaluations.services.categories import (
    Assignments,
    config_for,
    freeze_sheet_rulebooks,
    parsed,
    rulebook_for,
    rulebook_of,
)
from danhgia.evaluations.services.common import freeze_rulebook, require_manager
from danhgia.evaluations.services.periods import applicable_rulebook
from danhgia.organisations.models import Person, Unit, UnitRole

ANNUAL_ACTION_LABELS: dict[str, Any] = {
    "annual.opened": gettext_lazy("annual classification opened"),
    "annual.recomputed": gettext_lazy("annual results recomputed"),
    "annual.decided": gettext_lazy("annual level decided"),
    "annual.all_decided": gettext_lazy("every annual level decided"),
    "annual.closed": gettext_lazy("annual classification closed"),
    "annual.decision_recorded": gettext_lazy("annual decision number recorded"),
    "annual.exported": gettext_lazy("annual results exported for the national database"),
}

# The sheet's fields that hold the result's field of the same name.
RESULT_FIELDS = (
    "days_absent",
    "score",
    "band",
    "cap_level",
    "cap_reason",
    "not_classified",
    "not_classified_reason",
    "veto",
    "veto_reason",
)
COMPUTED_FIELDS = [
    "months",
    "months_worked",
    "extra_days_worked",
    "months_absent",
    "extra_days_absent",
    *RESULT_FIELDS,
    "proposed_level",
    "status",
    "computed_at",
]
__all__ = [
    "ANNUAL_ACTION_LABELS",
    "COMPUTED_FIELDS",
    "AcceptResult",
    "AnnualError",
    "Skipped",
    "accept_all_annual",
    "annual_sheet_config",
    "close_annual",
    "config_of",
    "decide_annual",
    "insert_sheets",
    "open_annual",
    "recompute_annual",
    "record_annual_decision",
]
_BATCH = 2000


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def config_of(period: AnnualPeriod) -> RulebookConfig:
    return common.config_of(period, AnnualError)


def annual_sheet_config(sheet: AnnualSheet) -> RulebookConfig:
    """The rules an annual sheet is computed, decided and shown under: its own rulebook (the
    period's for a sheet made before sheets recorded one)."""
    return config_for(sheet, sheet.annual_period, AnnualError)


def _require_manager(by: User | None, organisation: Unit) -> None:
    require_manager(by, organisation, _("its annual classification"), AnnualError)


# Computing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computed:
    """A person's annual result and, for someone who worked the whole year, the JSON of
    their periods as the database built it (None: the result's own periods)."""

    result: AnnualResult
    periods_json: JsonText | None = None


def _apply(sheet: AnnualSheet, computed: Computed, now: datetime.datetime) -> None:
    result = computed.result
    if computed.periods_json is not None:
        sheet.months = computed.periods_json  # type: ignore[assignment]
    else:
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
    for name in RESULT_FIELDS:
        setattr(sheet, name, getattr(result, name))
    sheet.proposed_level = result.level
    sheet.status = (
        AnnualSheet.Status.NOT_CLASSIFIED if result.not_classified else AnnualSheet.Status.PENDING
    )
    sheet.computed_at = now


def _base_results(
    config: RulebookConfig,
    people: Sequence[Person],
    year: int,
    totals: dict[int, YearTotals],
    within: Unit | None = None,
) -> dict[int, Computed]:
    """Each person's result by person id. Who worked the whole year without leave or veto
    (most people) is scored from the database's `totals`; everyone else is classified from
    their periods, leave and vetoes (a few queries per 2,000 of them; `within`: the leave
    and vetoes of everyone in that subtree in one query each)."""
    ids = [person.pk for person in people]
    leaves_by = facts.leaves(ids, year, within=within)
    vetoes_by = facts.vetoes(config, [(p.pk, p.is_leader) for p in people], year, within=within)
    strategy = STRATEGIES[config.annual.strategy]
    computed: dict[int, Computed] = {}
    rest: list[AnnualFacts] = []
    for person in people:
        person_facts = AnnualFacts(
            year=year,
            active_from=person.active_from,
            active_to=person.active_to,
            leaves=leaves_by.get(person.pk, ()),
            vetoes=vetoes_by.get(person.pk, ()),
        )
        if not works_whole_year(config, person_facts):
            rest.append(person_facts)
            continue
        sums = totals.get(person.pk)
        score = strategy.score_of_totals(sums) if sums is not None else None
        computed[person.pk] = Computed(
            whole_year_result(config, year, score),
            JsonText(sums.periods_json) if sums is not None else None,
        )
    rest_ids = [pk for pk in ids if pk not in computed]
    results_by = facts.period_results(rest_ids, year)
    for pk, person_facts in zip(rest_ids, rest, strict=True):
        periods = results_by.get(pk, ())
        computed[pk] = Computed(classify(config, replace(person_facts, periods=periods)))
    return computed


def _results(
    period: AnnualPeriod,
    config: RulebookConfig,
    people: Sequence[Person],
    roles: Sequence[UnitRole],
    *,
    rulebooks: dict[int, Rulebook],
    everyone: bool = False,
) -> dict[int, Computed]:
    """Each person's result under their sheet's rulebook (`rulebooks` by person id; the
    period's when absent), `everyone`: `people` is the whole organisation (its totals in one
    aggregate); with the period's `head_not_above_unit`, a head is capped at the level of
    the units they lead, counted from everyone of the organisation under them."""
    within = period.organisation if everyone else None
    totals = facts.year_totals([person.pk for person in people], period.year, within=within)
    results: dict[int, Computed] = {}
    groups: dict[int, list[Person]] = {}
    chosen = {period.rulebook.pk: period.rulebook}
    for person in people:
        rulebook = rulebooks.get(person.pk, period.rulebook)
        chosen[rulebook.pk] = rulebook
        groups.setdefault(rulebook.pk, []).append(person)
    for pk, group in groups.items():
        rules = config if pk == period.rulebook.pk else parsed(chosen[pk], AnnualError)
        results.update(_base_results(rules, group, period.year, totals, within))
    if not config.annual.params.head_not_above_unit:
        return results
    led = facts.led_units(roles, period.year)
    heads = [person for person in people if person.user_id in led]
    if not heads:
        return results
    organisation = facts.people_of_year(period.organisation, period.year)
    scored = {pk: item.result for pk, item in results.items()}
    others = [person for person in organisation if person.pk not in results]
    everyone_else = facts.year_totals([person.pk for person in others], period.year)
    scored.update(
        {
            pk: item.result
            for pk, item in _base_results(config, others, period.year, everyone_else).items()
        }
    )
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
                capped = cap_by_unit(config, results[head.pk].result, level, unit.name)
                results[head.pk] = replace(results[head.pk], result=capped)
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
                _("The classification of %(period)s is already open.") % {"period": overlapping}
            )
        raise AnnualError(
            _(
                "The classification of %(period)s already covers these people: a person "
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
    freeze_rulebook(rulebook, by)
    period.computed_at = period.opened_at
    period.save()
    people = facts.people_of_year(organisation, year)
    roles = facts.authority_roles(organisation, year)
    authority = facts.deciders(people, roles, year)
    assignments = Assignments()
    last = datetime.date(year, 12, 31)
    rulebooks = {person.pk: rulebook_for(person, period, last, assignments) for person in people}
    results = _results(period, config, people, roles, rulebooks=rulebooks, everyone=True)
    sheets = []
    for person in people:
        sheet = AnnualSheet(
            annual_period=period,
            rulebook=rulebooks[person.pk],
            person_id=person.pk,
            unit_id=person.unit_id,
            title=person.title,
            is_leader=person.is_leader,
            task_group=person.job_position.code if person.job_position else "",
            decider_id=authority[person.pk].decider_id,
        )
        _apply(sheet, results[person.pk], period.opened_at)
        sheets.append(sheet)
    freeze_sheet_rulebooks(period, sheets, by)  # type: ignore[arg-type]
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
    return YEAR.lock_period(pk)


@transaction.atomic
def recompute_annual(period: AnnualPeriod, *, by: User | None) -> int:
    """Compute again every sheet not yet decided (periods decided, leave or discipline
    recorded since the opening). Logs `annual.recomputed` with the number changed; returns
    it. Raises AnnualError for anyone but HR or an admin, or a closed classification."""
    period = _locked_period(period.pk)
    _require_manager(by, period.organisation)
    require_open(period)
    config = config_of(period)
    sheets = list(
        AnnualSheet.objects.select_for_update(of=("self",))
        .filter(annual_period=period)
        .exclude(status=AnnualSheet.Status.DECIDED)
        .select_related("person__unit", "person__job_position", "rulebook")
        .order_by("pk")
    )
    people = [sheet.person for sheet in sheets]
    roles = facts.authority_roles(period.organisation, period.year)
    rulebooks = {sheet.person_id: rulebook_of(sheet, period) for sheet in sheets}
    results = _results(period, config, people, roles, rulebooks=rulebooks)
    now = clock.now()
    changed = []
    levels_before: dict[str, int] = Counter()
    for sheet in sheets:
        before = [getattr(sheet, name) for name in COMPUTED_FIELDS[:-1]]
        _apply(sheet, results[sheet.person_id], now)
        if isinstance(sheet.months, JsonText):
            sheet.months = json.loads(sheet.months)
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


# Deciding: the decision round (`evaluations/rounds/`, adapted by `annual/round.py`) -------


@transaction.atomic
def decide_annual(
    sheet: AnnualSheet, *, by: User, level: str, reason: str = "", use_exception: bool = False
) -> AnnualSheet:
    """The head decides a person's annual level, for good.

    A veto forces the lowest level; a cap (absence, a head above their unit) cannot be
    exceeded; any level other than the computed one needs a reason; the quota of the
    decider's unit refuses the decision only when the year could no longer end within it
    (the exception share with a reason when the rulebook allows it). Logs `annual.decided`
    (and `annual.all_decided` with the last one); notifies the person. Raises AnnualError for
    anyone but the decider, a sheet decided or not classified, a closed classification, the
    deadline passed, or any rule above.
    """
    decided: AnnualSheet = decide(
        YEAR, sheet, by=by, level=level, reason=reason, use_exception=use_exception
    )
    return decided


@transaction.atomic
def accept_all_annual(period: AnnualPeriod, unit: Unit, *, by: User) -> AcceptResult:
    """Decide, at the computed level, every waiting sheet of `unit` (and below) whose decision
    `by` holds (`permissions.decidable_annual`: named, deputy by delegation, stand-in).
    Skipped with the reason: a veto (decided on its own, where it is shown) and a computed
    level the quota refuses (the judgement of one decision). Levels below the top first, the
    top by descending score. Raises AnnualError for a closed classification or the deadline
    passed."""
    period = YEAR.lock_period(period.pk)
    YEAR.require_deciding(period)
    sheets = list(
        AnnualSheet.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .filter(
            decidable_annual(by),
            annual_period=period,
            unit__path__startswith=unit.path,
        )
        .order_by("pk")
    )
    return accept_all(YEAR, period, sheets, by=by, result=AcceptResult())


@transaction.atomic
def close_annual(period: AnnualPeriod, *, by: User | None) -> AnnualPeriod:
    """Lock the annual classification once no sheet waits for a decision. Logs
    `annual.closed` with the count of each level. Raises AnnualError for anyone but HR or
    an admin, a classification already closed, sheets still waiting (by count) or a quota
    scope over the quota (its people named)."""
    return close_round(YEAR, period.pk, by=by)


# The decision recognising the year --------------------------------------------------------

DECIDED_STATES = (AnnualPeriod.State.DECIDED, AnnualPeriod.State.CLOSED)


@transaction.atomic
def record_annual_decision(
    period: AnnualPeriod, *, number: str, date: datetime.date, by: User | None
) -> AnnualPeriod:
    """Record (or correct) the number and date of the decision recognising the year's levels,
    once no sheet waits for a decision. Logs `annual.decision_recorded` with the values before
    and after. Raises AnnualError for anyone but HR or an admin, a year still being decided,
    an empty number or a date before the year ended."""
    period = (
        AnnualPeriod.objects.select_for_update().select_related("organisation").get(pk=period.pk)
    )
    _require_manager(by, period.organisation)
    if period.state not in DECIDED_STATES:
        raise AnnualError(_("Record the decision once every level of the year is decided."))
    number = number.strip()
    if not number:
        raise AnnualError(_("Enter the number of the decision."))
    if date.year <= period.year:
        raise AnnualError(_("The decision is dated after the year it classifies."))
    before = {"number": period.decision_number, "date": period.decision_date}
    period.decision_number = number
    period.decision_date = date
    period.save(update_fields=["decision_number", "decision_date"])
    log_action(
        period,
        "annual.decision_recorded",
        by=by,
        data={"before": before, "after": {"number": number, "date": date}},
    )
    return period
