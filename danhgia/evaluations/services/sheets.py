"""A sheet's life before the decision: task results computed, self-evaluation, review, return.

Task results follow the tasks while the sheet is with its owner (DRAFT or RETURNED) and
freeze when it is submitted. The work app cannot call us (layers run one way): its task
writes send `danhgia.work.signals.tasks_changed` in their transaction, and the sheets they
make stale are rescored there (`recompute_open_sheets_for_tasks`), by the writer; the owner's
submission refreshes them one last time. Opening a sheet's page never writes. Nothing here
ever changes a submitted, reviewed or decided sheet's task results.
"""

import datetime
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.bulk import copy_insert
from danhgia.core.notifications import notify
from danhgia.evaluations.facts import (
    AUTHORITY_ROLES,
    TaskCount,
    credit_sums_by_owner,
    fetch_authority_roles,
    led_paths_by_user,
    on_time_with_quality_pct,
    subtree_task_counts,
    task_facts_by_owner,
)
from danhgia.evaluations.holders import holds_for_review
from danhgia.evaluations.models import Period, Sheet, SheetTaskLine
from danhgia.evaluations.permissions import (
    OPEN_PERIOD_STATES,
    OWNER_STATUSES,
    is_owner,
)
from danhgia.evaluations.rules.facts import LeaderFacts
from danhgia.evaluations.rules.levels import level_name
from danhgia.evaluations.rules.reading import plain, round_points
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.scoring import (
    NO_CREDITS,
    AssessedCriterion,
    CreditRules,
    CreditSums,
    LineResult,
    TaskResult,
    credit_rules,
    rescore_lines,
    score_sums,
    score_tasks,
)
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.categories import Configs, sheet_config
from danhgia.evaluations.services.common import (
    HUNDRED,
    changes,
    check_level,
    config_of,
    locked,
    require_before,
    require_not_decided,
    require_period_open,
    sheet_url,
    snapshot,
    update_total,
)
from danhgia.evaluations.services.versions import figures_changed
from danhgia.organisations.models import Unit, UnitRole
from danhgia.work.models import Task
from danhgia.work.signals import TaskPlace

_BATCH = 1000
# The computed fields a recomputation may change (and logs when it does).
COMPUTED_FIELDS = [
    "quantity_pct",
    "quality_pct",
    "timeliness_pct",
    "unit_result_pct",
    "organising_pct",
    "uniting_pct",
    "task_points",
    "total",
    "band",
    "unit_result_staff",
    "no_tasks",
]

# Computing task results


def _apply(
    sheet: Sheet, result: TaskResult, config: RulebookConfig, now: datetime.datetime
) -> None:
    sheet.quantity_pct = result.a
    sheet.quality_pct = result.b
    sheet.timeliness_pct = result.c
    sheet.unit_result_pct = result.d
    sheet.organising_pct = result.dd
    sheet.uniting_pct = result.e
    sheet.task_points = result.task_points
    sheet.no_tasks = result.no_tasks
    sheet.computed_at = now
    update_total(sheet, config)


def _no_tasks_pct(config: RulebookConfig) -> Decimal:
    """đ of version 1 rulebooks for a unit without any task in the period, as the strategy
    treats a month without tasks ("zero" or "full"). Later versions assess đ instead."""
    credit = getattr(config.task_scoring.parsed, "credit", None)
    return HUNDRED if credit is not None and credit.no_tasks == "full" else Decimal(0)


def score_sheets(
    period: Period,
    config: RulebookConfig,
    sheets: Sequence[Sheet],
    *,
    organisation_wide: bool = False,
    frozen_lines: Mapping[int, Sequence[LineResult]] | None = None,
    with_lines: bool = False,
) -> dict[int, TaskResult]:
    """Compute the task results of `sheets` in memory (no write); results by person id.

    Set-based unless `with_lines`: a, b, c come from the sums of each person's credits that
    the database adds up (`credit_sums_by_owner`, one grouped query per credit rules), and the
    results carry no lines; `with_lines` (a submission freezing its lines) reads every task
    and credits it line by line (`score_tasks`), the same figures.

    Staff first, then leaders from the deepest unit up, so a leader's d sees the final levels
    of the staff (and managers) they review or decide: the decided level, else the band of
    the current total when general points are scored (staff not scored yet are listed but
    not counted); those computed here from memory, the others from the database. The staff
    counted are stored on the leader's sheet (`unit_result_staff`). `frozen_lines`: by person
    id, the credited lines of a submitted sheet, rescored as they are (a leader's own a, b, c
    stay frozen; only d, đ, e follow; a staff sheet is rescored from its lines alone).
    `sheet.person` and `sheet.unit` must be loaded.
    `organisation_wide`: leaders' roles and their units' tasks are read for the whole
    organisation at once (opening a period) rather than for these leaders only.
    """
    now = clock.now()
    configs = Configs(period, config)
    frozen = frozen_lines or {}
    live = [sheet for sheet in sheets if sheet.person_id not in frozen]
    own_tasks = _OwnTasks(period, configs, live, with_lines)
    results: dict[int, TaskResult] = {}
    leaders = [sheet for sheet in sheets if sheet.is_leader]
    for sheet in sheets:
        if not sheet.is_leader:
            own = frozen.get(sheet.person_id)
            rules = configs.of(sheet)
            results[sheet.person_id] = (
                own_tasks.score(sheet, rules) if own is None else rescore_lines(rules, own)
            )
            _apply(sheet, results[sheet.person_id], rules, now)
    if not leaders:
        return results
    leader_users = {sheet.person.user_id for sheet in leaders if sheet.person.user_id is not None}
    staff = _staff_index(period, sheets, leader_users, organisation_wide)
    # The led units' share of tasks done on time is read only for the rulebooks that use it.
    shares = any(_uses_unit_share(configs.of(sheet)) for sheet in leaders)
    counts: dict[str, TaskCount] = {}
    if organisation_wide:
        roles = fetch_authority_roles(period.start, period.end, within=period.organisation)
        if shares:
            counts = subtree_task_counts(period)
    else:
        roles = fetch_authority_roles(period.start, period.end, users=leader_users)
        led = {path for paths in led_paths_by_user(roles).values() for path in paths}
        if shares:
            counts = subtree_task_counts(period, led | {sheet.unit.path for sheet in leaders})
    led_paths = led_paths_by_user(roles)
    for sheet in sorted(leaders, key=lambda item: -item.unit.depth):
        rules = configs.of(sheet)
        user_id = sheet.person.user_id or 0
        counted = [
            staff.people[person_id]
            for person_id in staff.of_user.get(user_id, [])
            if person_id != sheet.person_id
        ]
        leader = LeaderFacts(
            staff_bands=[person.level for person in counted if person.level],
            planned_on_time_with_quality_pct=on_time_with_quality_pct(
                counts, led_paths.get(user_id, [sheet.unit.path]), _no_tasks_pct(rules)
            ),
            uniting_pct=sheet.uniting_assessed,
            organising_pct=sheet.organising_assessed,
        )
        lines = frozen.get(sheet.person_id)
        if lines is None:
            result = own_tasks.score(sheet, rules, leader)
        else:
            result = rescore_lines(rules, lines, leader)
        results[sheet.person_id] = result
        _apply(sheet, result, rules, now)
        sheet.unit_result_staff = [
            person.stored(rules) for person in sorted(counted, key=lambda item: item.sort_key)
        ]
        staff.set_level(sheet.person_id, _final_level(sheet), sheet.status)
    return results


def _uses_unit_share(config: RulebookConfig) -> bool:
    """Whether a leader's đ is the led units' share of tasks done on time meeting quality
    (version 1 of Nghị định 335's rulebook; later versions assess đ, QN 2022 has no đ)."""
    leader = getattr(config.task_scoring.parsed, "leader", None)
    return leader is not None and leader.dd is None


class _OwnTasks:
    """The task results of sheets scored from their owner's tasks: from the credit sums the
    database adds up, one query per credit rules (set-based), or `with_lines` from every task
    credited line by line."""

    def __init__(
        self,
        period: Period,
        configs: Configs,
        sheets: Sequence[Sheet],
        with_lines: bool,
    ) -> None:
        people = [sheet.person_id for sheet in sheets]
        self.facts = task_facts_by_owner(period, people) if with_lines else None
        self.sums: dict[int, CreditSums] = {}
        # Staff with the same sums under the same rules score the same (a province has many).
        self.scored: dict[tuple[int, CreditSums], TaskResult] = {}
        if with_lines or not sheets:
            return
        by_rules: dict[CreditRules, list[int]] = {}
        for sheet in sheets:
            by_rules.setdefault(credit_rules(configs.of(sheet)), []).append(sheet.person_id)
        for rules, ids in by_rules.items():
            self.sums.update(credit_sums_by_owner(period, rules, ids))

    def score(
        self, sheet: Sheet, rules: RulebookConfig, leader: LeaderFacts | None = None
    ) -> TaskResult:
        if self.facts is not None:
            return score_tasks(rules, self.facts.get(sheet.person_id, []), leader)
        sums = self.sums.get(sheet.person_id, NO_CREDITS)
        if leader is not None:
            return score_sums(rules, sums, leader)
        key = (id(rules), sums)
        if key not in self.scored:
            self.scored[key] = score_sums(rules, sums)
        return self.scored[key]


def _final_level(sheet: Sheet) -> str:
    """What a leader's d counts for this sheet: the decided level, else the band of the
    current total once general points are scored, else "" (not counted yet)."""
    return final_level(
        sheet.status, sheet.decided_level, sheet.band, sheet.self_general, sheet.manager_general
    )


def final_level(
    status: str,
    decided_level: str,
    band: str,
    self_general: Decimal | None,
    manager_general: Decimal | None,
) -> str:
    if status == Sheet.Status.DECIDED and decided_level:
        return decided_level
    if self_general is None and manager_general is None:
        return ""
    return band


class _Counted:
    """One person a leader's d looks at: the level counted and on what basis."""

    __slots__ = ("basis", "level", "name", "person_id", "sort_key")

    def __init__(self, person_id: int, name: str, sort_key: str, level: str, basis: str) -> None:
        self.person_id = person_id
        self.name = name
        self.sort_key = sort_key
        self.level = level
        self.basis = basis

    def stored(self, config: RulebookConfig) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "level": self.level,
            "level_name": level_name(config, self.level) if self.level else "",
            "basis": self.basis,
        }


def _basis(status: str, level: str) -> str:
    if not level:
        return "not_scored"
    return "decided" if status == Sheet.Status.DECIDED else "estimate"


class _StaffIndex:
    """The final level of every sheet reviewed or decided by a leader, and who they are."""

    def __init__(self) -> None:
        self.people: dict[int, _Counted] = {}
        self.of_user: dict[int, list[int]] = {}

    def add(self, counted: _Counted, *user_ids: int | None) -> None:
        self.people[counted.person_id] = counted
        for user_id in {user_id for user_id in user_ids if user_id is not None}:
            self.of_user.setdefault(user_id, []).append(counted.person_id)

    def set_level(self, person_id: int, level: str, status: str) -> None:
        counted = self.people.get(person_id)
        if counted is not None:
            counted.level = level
            counted.basis = _basis(status, level)


def _staff_index(
    period: Period, sheets: Sequence[Sheet], leader_users: set[int], organisation_wide: bool
) -> _StaffIndex:
    staff = _StaffIndex()
    # The sheets being computed come from memory (their levels change as we go) ...
    for sheet in sheets:
        level = _final_level(sheet)
        staff.add(
            _Counted(
                sheet.person_id,
                sheet.person.full_name,
                sheet.person.sort_key,
                level,
                _basis(sheet.status, level),
            ),
            sheet.reviewer_id,
            sheet.decider_id,
        )
    if not leader_users:
        return staff
    # ... the others of the period from the database.
    in_memory = {sheet.person_id for sheet in sheets}
    rows = Sheet.objects.filter(period=period)
    if not organisation_wide:
        rows = rows.filter(Q(reviewer_id__in=leader_users) | Q(decider_id__in=leader_users))
    for row in rows.values_list(
        "person_id",
        "person__full_name",
        "person__sort_key",
        "status",
        "decided_level",
        "band",
        "self_general",
        "manager_general",
        "reviewer_id",
        "decider_id",
    ):
        person_id, name, sort_key, status, decided, band, self_general, manager_general = row[:8]
        if person_id not in in_memory:
            level = final_level(status, decided, band, self_general, manager_general)
            staff.add(_Counted(person_id, name, sort_key, level, _basis(status, level)), *row[8:])
    return staff


_LINE_COLUMNS = (
    "sheet_id",
    "task_id",
    "title",
    "converted_assigned",
    "converted_done",
    "quality_credit",
    "timeliness_credit",
    "note",
)


def line_rows(sheets: Sequence[Sheet], results: dict[int, TaskResult]) -> Iterator[tuple[Any, ...]]:
    """The task lines of saved sheets as plain rows, in `_LINE_COLUMNS` order."""
    for sheet in sheets:
        for line in results[sheet.person_id].lines:
            yield (
                sheet.pk,
                line.task_id,
                line.title[:300],
                line.converted_assigned,
                line.converted_done,
                line.quality_credit,
                line.timeliness_credit,
                line.note[:300],
            )


def insert_task_lines(rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert task lines without model instances: COPY on PostgreSQL (a province's million
    lines in seconds), batched INSERTs elsewhere. Returns the number of lines."""
    table = SheetTaskLine._meta.db_table
    columns = ", ".join(_LINE_COLUMNS)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # Names from the model's metadata, values as parameters.
        placeholders = ", ".join(["%s"] * len(_LINE_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        iterator = iter(rows)
        while batch := [_adapted(row) for row in islice(iterator, _BATCH * 2)]:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _adapted(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(str(value) if isinstance(value, Decimal) else value for value in row)


def create_computed_sheets(
    period: Period, config: RulebookConfig, sheets: list[Sheet]
) -> tuple[int, int]:
    """Compute and insert the sheets of a period being opened (or the late sheets added to
    it); return (sheets, task lines) created. No audit row: the caller writes one.

    Set-based (`score_sheets`, organisation-wide): everyone's a, b, c from the credit sums the
    database adds up (a query per credit rules), then the leaders, whose d reads the staff's
    bands in memory. No task line is written: a sheet with its owner shows its lines computed
    from its tasks (`current_lines`) and writes them when submitted (`compute_sheets` with
    `freeze`), so the count of lines is 0.
    """
    score_sheets(period, config, sheets, organisation_wide=True)
    copy_insert(sheets, with_ids=True)
    return len(sheets), 0


def compute_sheets(
    period: Period, sheets: Sequence[Sheet], *, by: User | None = None, freeze: bool = False
) -> list[Sheet]:
    """Recompute the task results of the saved `sheets` still with their owner (others are
    left alone: results freeze at submission), rewrite the figures that changed, and log
    `sheet.recomputed` with before/after for each sheet whose figures changed.

    Set-based (`score_sheets`) unless `freeze`: the owner's submission credits every task line
    by line and writes the sheet's task lines, frozen from then on. A sheet with its owner
    keeps no lines of its own (those a returned sheet kept from its last submission are not
    read until it is submitted again, which replaces them).

    Returns the sheets whose figures changed. Call inside a transaction, sheets locked.
    """
    sheets = [sheet for sheet in sheets if sheet.status in OWNER_STATUSES]
    if not sheets:
        return []
    config = config_of(period)
    before = {sheet.pk: snapshot(sheet, COMPUTED_FIELDS) for sheet in sheets}
    results = score_sheets(period, config, sheets, with_lines=freeze)
    changed = []
    for sheet in sheets:
        old, new = changes(before[sheet.pk], snapshot(sheet, COMPUTED_FIELDS))
        if new:
            changed.append(sheet)
            log_action(sheet, "sheet.recomputed", by=by, data={"before": old, "after": new})
    _save_computed(sheets, changed)
    if freeze:
        SheetTaskLine.objects.filter(sheet__in=sheets).delete()
        insert_task_lines(line_rows(sheets, results))
    figures_changed([period] if changed else [])
    return changed


def current_lines(sheet: Sheet) -> list[LineResult]:
    """The task lines behind the sheet's a, b and c, in deadline order: computed from the
    owner's tasks while the sheet is with its owner in an open period (nothing is written),
    else the lines frozen at submission. `sheet.period` and its rulebook are read."""
    if sheet.status in OWNER_STATUSES and sheet.period.state in OPEN_PERIOD_STATES:
        facts = task_facts_by_owner(sheet.period, [sheet.person_id]).get(sheet.person_id, [])
        return list(score_tasks(sheet_config(sheet), facts).lines)
    return frozen_lines([sheet])[sheet.person_id]


_FEW = 20  # below this, one UPDATE a sheet is cheaper than bulk_update's CASE expressions


def _save_computed(sheets: Sequence[Sheet], changed: Sequence[Sheet]) -> None:
    """Store the figures of the `changed` sheets and every sheet's computation time."""
    fields = [*COMPUTED_FIELDS, "computed_at"]
    if len(changed) < _FEW:
        for sheet in changed:
            sheet.save(update_fields=fields)
    else:
        Sheet.objects.bulk_update(changed, fields, batch_size=_BATCH)
    unchanged = {sheet.pk for sheet in sheets} - {sheet.pk for sheet in changed}
    if unchanged:
        Sheet.objects.filter(pk__in=unchanged).update(computed_at=sheets[0].computed_at)


def rescore_leaders(
    changed: Sequence[Sheet], *, by: User | None = None, done: Collection[int] = ()
) -> list[Sheet]:
    """After `changed` sheets changed level or estimate (self-evaluation, review, decision,
    reopening, appeal), rescore in the same write the undecided sheets of the leaders who
    review or decide them, and so on up (a leader's new band counts for their own leader's d).

    A leader's sheet still with its owner is recomputed from its tasks; a submitted or
    reviewed one keeps its frozen task lines and only d, đ, e follow. Logs
    `sheet.recomputed` for each sheet whose figures changed; returns them. `done`: ids of
    sheets rescored already in this write (left alone). Never call it from a GET. Call
    inside a transaction.
    """
    all_changed: list[Sheet] = []
    seen: set[int] = {sheet.pk for sheet in changed} | set(done)
    frontier = list(changed)
    while frontier:
        # The periods as the changed sheets carry them (a rulebook is big to read per row).
        periods = {sheet.period_id: sheet.period for sheet in frontier}
        users = {
            user_id
            for sheet in frontier
            for user_id in (sheet.reviewer_id, sheet.decider_id)
            if user_id is not None
        }
        if not users:
            break
        leaders = list(
            Sheet.objects.select_for_update(of=("self",))
            .select_related("person", "unit")
            .filter(period_id__in=periods, is_leader=True, person__user_id__in=users)
            .exclude(status=Sheet.Status.DECIDED)
            .exclude(pk__in=seen)
            .order_by("pk")
        )
        seen.update(sheet.pk for sheet in leaders)
        frontier = []
        by_period: dict[int, list[Sheet]] = {}
        for sheet in leaders:
            sheet.period = periods[sheet.period_id]
            if sheet.period.state in OPEN_PERIOD_STATES:
                by_period.setdefault(sheet.period_id, []).append(sheet)
        for sheets in by_period.values():
            frontier += _rescore(sheets[0].period, sheets, by=by)
        all_changed += frontier
    return all_changed


def _rescore(period: Period, sheets: list[Sheet], *, by: User | None) -> list[Sheet]:
    """Rescore leaders' sheets: those with their owner from their tasks (`compute_sheets`),
    the others from their frozen lines. Returns the sheets whose figures changed."""
    changed = compute_sheets(period, [s for s in sheets if s.status in OWNER_STATUSES], by=by)
    frozen = [sheet for sheet in sheets if sheet.status not in OWNER_STATUSES]
    if not frozen:
        return changed
    before = {sheet.pk: snapshot(sheet, COMPUTED_FIELDS) for sheet in frozen}
    score_sheets(period, config_of(period), frozen, frozen_lines=frozen_lines(frozen))
    for sheet in frozen:
        old, new = changes(before[sheet.pk], snapshot(sheet, COMPUTED_FIELDS))
        if new:
            sheet.save(update_fields=[*new, "computed_at"])
            log_action(sheet, "sheet.recomputed", by=by, data={"before": old, "after": new})
            changed.append(sheet)
    return changed


def frozen_lines(sheets: Sequence[Sheet]) -> dict[int, list[LineResult]]:
    """The stored task lines of `sheets` (submitted or later: frozen), by person id."""
    lines: dict[int, list[LineResult]] = {sheet.person_id: [] for sheet in sheets}
    person_of = {sheet.pk: sheet.person_id for sheet in sheets}
    for line in SheetTaskLine.objects.filter(sheet__in=sheets).order_by("pk"):
        lines[person_of[line.sheet_id]].append(
            LineResult(
                line.task_id,
                line.title,
                line.converted_assigned,
                line.converted_done,
                line.quality_credit,
                line.timeliness_credit,
                line.note,
            )
        )
    return lines


@transaction.atomic
def recompute_sheet(sheet: Sheet, *, by: User | None = None) -> Sheet:
    """Refresh the sheet's task results from its tasks if it is still with its owner (DRAFT
    or RETURNED); otherwise return it unchanged. A write: never call it from a GET (task
    writes rescore the sheets they make stale, `recompute_open_sheets_for_tasks`).

    Logs `sheet.recomputed` when a figure changed.
    """
    sheet = locked(sheet)
    if sheet.status in OWNER_STATUSES and sheet.period.state in OPEN_PERIOD_STATES:
        compute_sheets(sheet.period, [sheet], by=by)
    return sheet


@transaction.atomic
def recompute_open_sheets_for_tasks(
    task_ids: Sequence[int], *, by: User | None = None, before: Iterable[TaskPlace] = ()
) -> int:
    """Refresh the sheets still with their owner that these tasks count on or counted on
    (`before`: where they were before a move of owner, unit or deadline): their owner's
    sheet of a period containing the deadline (a sheet with its owner has no stored lines to
    look the task up by: every write that moves a task sends where it was), and the sheets
    of the leaders whose led units hold the task (their d counts it); then the leaders whose
    d counts the changed sheets' levels (`rescore_leaders`).

    Called by every task write through `danhgia.work.signals.tasks_changed`, in its
    transaction, `by` the writer. A period whose rulebook no longer parses is skipped (HR
    fixes it, then its sheets are computed again). Returns the number of sheets whose
    figures changed.
    """
    rows = Task.objects.filter(pk__in=list(task_ids)).values_list("owner_id", "unit_id", "deadline")
    places = {*(TaskPlace(*row) for row in rows), *before}
    condition = Q(pk__in=[])
    for place in places:
        condition |= Q(
            person_id=place.owner_id,
            period__start__lte=place.deadline,
            period__end__gte=place.deadline,
        )
    condition |= _leaders_over(_open_periods_on({place.deadline for place in places}), places)
    candidates = Sheet.objects.filter(condition).filter(
        status__in=list(OWNER_STATUSES), period__state__in=list(OPEN_PERIOD_STATES)
    )
    ids = sorted(set(candidates.values_list("pk", flat=True)))
    if not ids:
        return 0
    sheets = list(
        Sheet.objects.select_for_update(of=("self",))
        .select_related("period__rulebook", "period__organisation", "person", "unit")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    changed: list[Sheet] = []
    by_period: dict[int, list[Sheet]] = {}
    for sheet in sheets:
        by_period.setdefault(sheet.period_id, []).append(sheet)
    for period_sheets in by_period.values():
        with suppress(EvaluationError):  # an invalid rulebook: shown on the sheet's page
            changed += compute_sheets(period_sheets[0].period, period_sheets, by=by)
    with suppress(EvaluationError):
        rescore_leaders(changed, by=by, done=ids)
    return len(changed)


def _open_periods_on(days: Collection[datetime.date]) -> list[Period]:
    """The open periods containing one of `days` (one query)."""
    if not days:
        return []
    condition = Q()
    for day in days:
        condition |= Q(start__lte=day, end__gte=day)
    return list(Period.objects.filter(condition, state__in=list(OPEN_PERIOD_STATES)))


def _leaders_over(periods: Sequence[Period], places: Collection[TaskPlace]) -> Q:
    """The leaders' sheets whose d counts a task at one of `places`: in the period holding
    the deadline, of a head or manager, during that period, of the task's unit or a unit
    above it (`facts.subtree_task_counts`)."""
    if not periods:
        return Q(pk__in=[])
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(pk__in={place.unit_id for place in places}).only("path")
    }
    condition = Q(pk__in=[])
    for period in periods:
        above = {
            ancestor
            for place in places
            if period.start <= place.deadline <= period.end and place.unit_id in units
            for ancestor in units[place.unit_id].ancestor_ids
        }
        if not above:
            continue
        users = (
            UnitRole.objects.overlapping(period.start, period.end)
            .filter(role__in=AUTHORITY_ROLES, unit_id__in=above)
            .values("user_id")
        )
        condition |= Q(period=period, is_leader=True, person__user_id__in=users)
    return condition


# Self-evaluation


def _scores(
    config: RulebookConfig, scores: Mapping[str, Decimal | int | str], *, complete: bool
) -> dict[str, Decimal]:
    """Checked scores by criterion code: known codes, each within 0..max of its criterion."""
    criteria = {criterion.code: criterion for criterion in config.criteria}
    checked: dict[str, Decimal] = {}
    for code, raw in scores.items():
        if raw is None or raw == "":
            continue
        criterion = criteria.get(code)
        if criterion is None:
            raise EvaluationError(
                _("“%(code)s” is not a criterion of this rulebook.") % {"code": code}
            )
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or not 0 <= value <= criterion.max_points:
            raise EvaluationError(
                _("Give “%(name)s” a score from 0 to %(max)s.")
                % {"name": criterion.name, "max": criterion.max_points}
            )
        checked[code] = value
    missing = [criterion.name for criterion in config.criteria if criterion.code not in checked]
    if complete and missing:
        raise EvaluationError(
            _("Score every criterion first; missing: %(names)s.") % {"names": "; ".join(missing)}
        )
    return checked


def _stored(scores: dict[str, Decimal]) -> dict[str, str]:
    """Scores as stored in JSON: exact decimal strings."""
    return {code: str(value) for code, value in scores.items()}


def _sum(scores: dict[str, Decimal]) -> Decimal | None:
    return round_points(sum(scores.values(), Decimal(0))) if scores else None


SELF_FIELDS = [
    "self_scores",
    "self_general",
    "strengths",
    "shortcomings",
    "proposals",
    "level_reason",
    "self_level",
    "total",
    "band",
]


def require_owner(sheet: Sheet, by: User) -> None:
    if not is_owner(by, sheet):
        raise EvaluationError(
            _("Only %(name)s evaluates themself on this sheet.") % {"name": sheet.person.full_name}
        )


def _require_with_owner(sheet: Sheet) -> None:
    require_not_decided(sheet)
    if sheet.status not in OWNER_STATUSES:
        raise EvaluationError(
            _(
                "This sheet was already submitted (%(status)s); ask your reviewer to return it "
                "if something must change."
            )
            % {"status": sheet.get_status_display()}
        )


@transaction.atomic
def save_self_evaluation(
    sheet: Sheet,
    *,
    by: User,
    scores: Mapping[str, Decimal | int | str],
    strengths: str = "",
    shortcomings: str = "",
    proposals: str = "",
    proposed_level: str = "",
    level_reason: str = "",
) -> Sheet:
    """The owner saves their scores (some may be missing), words, proposed level and why it
    differs from the band (`band_reason`).

    Saving stays possible after the self-evaluation deadline (HR may extend it); submitting
    does not. Logs `sheet.self_saved` with the fields that changed (nothing when none did). Raises
    EvaluationError for anyone but the owner, a sheet not with the owner, a closed period,
    an unknown criterion or level, or a score outside 0..max of its criterion. Returns the
    sheet locked (`submit_saved_self_evaluation` submits it in the same transaction).
    """
    sheet = locked(sheet)
    require_owner(sheet, by)
    _require_with_owner(sheet)
    require_period_open(sheet)
    config = sheet_config(sheet)
    checked = _scores(config, scores, complete=False)
    level = check_level(config, proposed_level, required=False)
    before = snapshot(sheet, SELF_FIELDS)
    sheet.self_scores = _stored(checked)
    sheet.self_general = _sum(checked)
    sheet.strengths = strengths.strip()
    sheet.shortcomings = shortcomings.strip()
    sheet.proposals = proposals.strip()
    sheet.level_reason = level_reason.strip()
    sheet.self_level = level
    update_total(sheet, config)
    old, new = changes(before, snapshot(sheet, SELF_FIELDS))
    if new:
        sheet.save(update_fields=list(new))
        log_action(sheet, "sheet.self_saved", by=by, data={"before": old, "after": new})
        if "band" in new or "self_general" in new:
            rescore_leaders([sheet], by=by)  # their leaders' d follows the estimate
    return sheet


@transaction.atomic
def submit_self_evaluation(sheet: Sheet, *, by: User) -> Sheet:
    """The owner hands the sheet to the reviewer: task results are refreshed one last time
    and freeze; the status becomes SUBMITTED. Logs `sheet.self_submitted`; notifies the
    reviewer (the decider when nobody else reviews).

    A first submission is due by the period's self-evaluation deadline; a returned sheet is
    corrected by the review deadline. Raises EvaluationError for anyone but the owner, a
    sheet not with the owner, a closed period, a deadline passed, a criterion not scored or
    no proposed level.
    """
    return submit_saved_self_evaluation(locked(sheet), by=by)


def submit_saved_self_evaluation(sheet: Sheet, *, by: User) -> Sheet:
    """`submit_self_evaluation` of the sheet `save_self_evaluation` returned, locked, in the
    caller's transaction: saving and submitting fetch the sheet once."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("submit_saved_self_evaluation runs in the saving transaction")
    require_owner(sheet, by)
    _require_with_owner(sheet)
    require_period_open(sheet)
    period = sheet.period
    if sheet.status == Sheet.Status.RETURNED:
        require_before(period.review_due, _("correcting a returned sheet"), period)
    else:
        require_before(period.self_evaluation_due, _("self-evaluation"), period)
    config = sheet_config(sheet)
    _scores(config, sheet.self_scores, complete=True)
    check_level(config, sheet.self_level, required=True)
    compute_sheets(period, [sheet], by=by, freeze=True)
    before = {"status": sheet.status}
    sheet.status = Sheet.Status.SUBMITTED
    sheet.self_submitted_at = clock.now()
    sheet.save(update_fields=["status", "self_submitted_at"])
    log_action(
        sheet,
        "sheet.self_submitted",
        by=by,
        data={
            "before": before,
            "after": {
                "status": sheet.status,
                "self_scores": sheet.self_scores,
                "self_general": sheet.self_general,
                "self_level": sheet.self_level,
                "task_points": sheet.task_points,
                "total": sheet.total,
                "band": sheet.band,
            },
        },
    )
    notify(
        sheet.reviewer or sheet.decider,
        _("%(name)s submitted their self-evaluation for %(period)s.")
        % {"name": sheet.person.full_name, "period": period},
        url=sheet_url(sheet),
        kind="sheet.self_submitted",
    )
    rescore_leaders([sheet], by=by)  # their leaders' d follows the estimate
    return sheet


# Review


def _require_reviewer(sheet: Sheet, by: User) -> None:
    require_not_decided(sheet)
    if not holds_for_review(by, sheet):
        raise EvaluationError(
            _("Only the manager who reviews %(name)s can do this.")
            % {"name": sheet.person.full_name}
        )
    if sheet.status != Sheet.Status.SUBMITTED:
        raise EvaluationError(
            _("Only a submitted sheet is reviewed; this one is %(status)s.")
            % {"status": sheet.get_status_display()}
        )
    require_period_open(sheet)
    require_before(sheet.period.review_due, _("the review"), sheet.period)


@transaction.atomic
def return_sheet(sheet: Sheet, *, by: User, reason: str) -> Sheet:
    """The reviewer sends a submitted sheet back to its owner for correction, with a reason.

    Logs `sheet.returned`; notifies the owner. Raises EvaluationError for anyone but the
    reviewer, a sheet not submitted, a deadline passed or no reason.
    """
    sheet = locked(sheet)
    _require_reviewer(sheet, by)
    reason = reason.strip()
    if not reason:
        raise EvaluationError(_("Say what must be corrected: the reason is sent to the person."))
    sheet.status = Sheet.Status.RETURNED
    sheet.return_reason = reason
    sheet.save(update_fields=["status", "return_reason"])
    log_action(
        sheet,
        "sheet.returned",
        by=by,
        data={
            "before": {"status": Sheet.Status.SUBMITTED},
            "after": {"status": sheet.status},
            "reason": reason,
        },
    )
    notify(
        sheet.person.user,
        _("Your sheet for %(period)s was returned for correction: %(reason)s")
        % {"period": sheet.period, "reason": reason},
        url=sheet_url(sheet),
        kind="sheet.returned",
    )
    return sheet


REVIEW_FIELDS = [
    "status",
    "manager_scores",
    "manager_general",
    "manager_comment",
    "manager_level",
    "total",
    "band",
]


@transaction.atomic
def submit_review(
    sheet: Sheet,
    *,
    by: User,
    scores: Mapping[str, Decimal | int | str],
    comment: str = "",
    proposed_level: str,
    organising: Decimal | int | str | None = None,
    uniting: Decimal | int | str | None = None,
) -> Sheet:
    """The reviewer scores every criterion, comments and proposes a level: REVIEWED. The
    manager's scores replace the person's in the total. For a leader, when the rulebook has
    the reviewer assess đ and e (`organising`, `uniting`; Nghị định 335, Art. 15 cl. 3), both
    are required among the rulebook's values, and the sheet's task results are rescored with
    them (its own task lines stay frozen).

    Logs `sheet.reviewed` with before/after. Raises EvaluationError for anyone but the
    reviewer, a sheet not submitted, a deadline passed, a criterion not scored, a score out
    of range or no proposed level.
    """
    sheet = locked(sheet)
    _require_reviewer(sheet, by)
    config = sheet_config(sheet)
    checked = _scores(config, scores, complete=True)
    level = check_level(config, proposed_level, required=True)
    assessed = _leader_assessment(config, sheet, organising=organising, uniting=uniting)
    before = snapshot(sheet, [*REVIEW_FIELDS, *assessed])
    for name, value in assessed.items():
        setattr(sheet, name, value)
    sheet.status = Sheet.Status.REVIEWED
    sheet.manager_scores = _stored(checked)
    sheet.manager_general = _sum(checked)
    sheet.manager_comment = comment.strip()
    sheet.manager_level = level
    sheet.reviewed_at = clock.now()
    update_total(sheet, config)
    sheet.save(update_fields=[*REVIEW_FIELDS, *assessed, "reviewed_at"])
    old, new = changes(before, snapshot(sheet, [*REVIEW_FIELDS, *assessed]))
    log_action(sheet, "sheet.reviewed", by=by, data={"before": old, "after": new})
    if assessed:
        _rescore(sheet.period, [sheet], by=by)
    rescore_leaders([sheet], by=by)  # their leaders' d follows the estimate
    return sheet


def leader_assessments(config: RulebookConfig, sheet: Sheet) -> dict[str, AssessedCriterion]:
    """The criteria the reviewer of this sheet assesses, by sheet field: đ and e of a leader
    under a rulebook that has them assessed by the reviewer (none otherwise)."""
    leader = getattr(config.task_scoring.parsed, "leader", None)
    if not sheet.is_leader or leader is None:
        return {}
    found = {"organising_assessed": leader.dd, "uniting_assessed": leader.e}
    return {
        name: criterion
        for name, criterion in found.items()
        if criterion is not None and criterion.assessed_by == "reviewer"
    }


def _leader_assessment(
    config: RulebookConfig,
    sheet: Sheet,
    *,
    organising: Decimal | int | str | None,
    uniting: Decimal | int | str | None,
) -> dict[str, Decimal]:
    given = {"organising_assessed": organising, "uniting_assessed": uniting}
    names = {
        "organising_assessed": _("đ: capacity to organise the tasks"),
        "uniting_assessed": _("e: capacity to unite the staff"),
    }
    checked: dict[str, Decimal] = {}
    for name, criterion in leader_assessments(config, sheet).items():
        raw = given[name]
        try:
            value = Decimal(str(raw)) if raw not in (None, "") else None
        except InvalidOperation:
            value = None
        if value is None or value not in criterion.values:
            raise EvaluationError(
                _("Assess “%(name)s” of this leader: choose one of %(values)s.")
                % {
                    "name": names[name],
                    "values": ", ".join(f"{plain(v)} %" for v in criterion.values),
                }
            )
        checked[name] = value
    return checked
