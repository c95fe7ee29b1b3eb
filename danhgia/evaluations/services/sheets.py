"""A sheet's life before the decision: task results computed, self-evaluation, review, return.

Task results follow the tasks while the sheet is with its owner (DRAFT or RETURNED) and
freeze when it is submitted. The work app cannot call us (layers run one way), so results are
refreshed lazily: when the sheet's page is opened (`recompute_sheet`), when the owner submits
it, or for the sheets touched by given tasks (`recompute_open_sheets_for_tasks`). Nothing
here ever changes a submitted, reviewed or decided sheet's task results.
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
from danhgia.evaluations.rules.reading import round_points
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.scoring import TaskResult, score_tasks
from danhgia.evaluations.services import EvaluationError
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
from danhgia.work.models import Task

_BATCH = 1000
# Opening a period computes this many people's sheets at a time (memory stays small).
_PEOPLE_PER_SLICE = 2000
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
    sheet.computed_at = now
    update_total(sheet, config)


def _no_tasks_pct(config: RulebookConfig) -> Decimal:
    """đ for a unit without any task in the period, as the strategy treats a month without
    tasks ("zero" or "full")."""
    credit = getattr(config.task_scoring.parsed, "credit", None)
    return HUNDRED if credit is not None and credit.no_tasks == "full" else Decimal(0)


def score_sheets(
    period: Period,
    config: RulebookConfig,
    sheets: Sequence[Sheet],
    *,
    organisation_wide: bool = False,
) -> dict[int, TaskResult]:
    """Compute the task results of `sheets` in memory (no write); results by person id.

    Staff first, then leaders from the deepest unit up, so a leader's d sees the bands of the
    staff (and managers) they review or decide: those computed here from memory, the others
    from the database. `sheet.person` and `sheet.unit` must be loaded. `organisation_wide`:
    leaders' roles and their units' tasks are read for the whole organisation at once
    (opening a period) rather than for these leaders only.
    """
    now = clock.now()
    facts = task_facts_by_owner(period, [sheet.person_id for sheet in sheets])
    results: dict[int, TaskResult] = {}
    leaders = [sheet for sheet in sheets if sheet.is_leader]
    for sheet in sheets:
        if not sheet.is_leader:
            results[sheet.person_id] = score_tasks(config, facts.get(sheet.person_id, []))
            _apply(sheet, results[sheet.person_id], config, now)
    if not leaders:
        return results
    leader_users = {sheet.person.user_id for sheet in leaders if sheet.person.user_id is not None}
    staff = _staff_index(period, sheets, leader_users, organisation_wide)
    if organisation_wide:
        roles = fetch_authority_roles(period.start, period.end, within=period.organisation)
        counts = subtree_task_counts(period)
    else:
        roles = fetch_authority_roles(period.start, period.end, users=leader_users)
        led = {path for paths in led_paths_by_user(roles).values() for path in paths}
        counts = subtree_task_counts(period, led | {sheet.unit.path for sheet in leaders})
    led_paths = led_paths_by_user(roles)
    no_tasks_pct = _no_tasks_pct(config)
    for sheet in sorted(leaders, key=lambda item: -item.unit.depth):
        user_id = sheet.person.user_id or 0
        bands = [staff.bands[person_id] for person_id in staff.of_user.get(user_id, [])]
        leader = LeaderFacts(
            staff_bands=[band for band in bands if band],
            planned_on_time_with_quality_pct=on_time_with_quality_pct(
                counts, led_paths.get(user_id, [sheet.unit.path]), no_tasks_pct
            ),
        )
        results[sheet.person_id] = score_tasks(config, facts.get(sheet.person_id, []), leader)
        _apply(sheet, results[sheet.person_id], config, now)
        staff.bands[sheet.person_id] = sheet.band
    return results


class _StaffIndex:
    """The current band of every sheet reviewed or decided by a leader, and who they are."""

    def __init__(self) -> None:
        self.bands: dict[int, str] = {}
        self.of_user: dict[int, list[int]] = {}

    def add(self, person_id: int, band: str, *user_ids: int | None) -> None:
        self.bands[person_id] = band
        for user_id in {user_id for user_id in user_ids if user_id is not None}:
            self.of_user.setdefault(user_id, []).append(person_id)


def _staff_index(
    period: Period, sheets: Sequence[Sheet], leader_users: set[int], organisation_wide: bool
) -> _StaffIndex:
    staff = _StaffIndex()
    # The sheets being computed come from memory (their bands change as we go) ...
    for sheet in sheets:
        staff.add(sheet.person_id, sheet.band, sheet.reviewer_id, sheet.decider_id)
    if not leader_users:
        return staff
    # ... the others of the period from the database.
    in_memory = {sheet.person_id for sheet in sheets}
    rows = Sheet.objects.filter(period=period)
    if not organisation_wide:
        rows = rows.filter(Q(reviewer_id__in=leader_users) | Q(decider_id__in=leader_users))
    for person_id, band, reviewer_id, decider_id in rows.values_list(
        "person_id", "band", "reviewer_id", "decider_id"
    ):
        if person_id not in in_memory:
            staff.add(person_id, band, reviewer_id, decider_id)
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
    """Compute and insert the sheets of a period being opened, and their task lines; return
    (sheets, lines) created. No audit row: the caller writes one.

    Staff go by slices of people (their tasks, sheets and lines in memory one slice at a
    time), then the leaders, whose d reads the bands of the staff already inserted.
    """
    staff = [sheet for sheet in sheets if not sheet.is_leader]
    leaders = [sheet for sheet in sheets if sheet.is_leader]
    lines = 0
    for index in range(0, len(staff), _PEOPLE_PER_SLICE):
        chunk = staff[index : index + _PEOPLE_PER_SLICE]
        lines += _insert(chunk, score_sheets(period, config, chunk))
    if leaders:
        lines += _insert(leaders, score_sheets(period, config, leaders, organisation_wide=True))
    return len(sheets), lines


def _insert(sheets: list[Sheet], results: dict[int, TaskResult]) -> int:
    copy_insert(sheets, with_ids=True)
    return insert_task_lines(line_rows(sheets, results))


def compute_sheets(
    period: Period, sheets: Sequence[Sheet], *, by: User | None = None
) -> list[Sheet]:
    """Recompute the task results of the saved `sheets` still with their owner (others are
    left alone: results freeze at submission), rewrite their task lines, and log
    `sheet.recomputed` with before/after for each sheet whose figures changed.

    Returns the sheets whose figures changed. Call inside a transaction, sheets locked.
    """
    sheets = [sheet for sheet in sheets if sheet.status in OWNER_STATUSES]
    if not sheets:
        return []
    config = config_of(period)
    before = {sheet.pk: snapshot(sheet, COMPUTED_FIELDS) for sheet in sheets}
    lines = SheetTaskLine.objects.filter(sheet__in=sheets).values_list("sheet_id", "task_id")
    for sheet_id, task_id in lines.order_by("task_id"):
        before[sheet_id].setdefault("tasks", []).append(task_id)
    for values in before.values():
        values.setdefault("tasks", [])
    results = score_sheets(period, config, sheets)
    Sheet.objects.bulk_update(sheets, [*COMPUTED_FIELDS, "computed_at"], batch_size=_BATCH)
    SheetTaskLine.objects.filter(sheet__in=sheets).delete()
    insert_task_lines(line_rows(sheets, results))
    changed = []
    for sheet in sheets:
        after = snapshot(sheet, COMPUTED_FIELDS)
        after["tasks"] = sorted(line.task_id for line in results[sheet.person_id].lines)
        old, new = changes(before[sheet.pk], after)
        if new:
            changed.append(sheet)
            log_action(sheet, "sheet.recomputed", by=by, data={"before": old, "after": new})
    figures_changed([period] if changed else [])
    return changed


@transaction.atomic
def recompute_sheet(sheet: Sheet, *, by: User | None = None) -> Sheet:
    """Refresh the sheet's task results from its tasks if it is still with its owner (DRAFT
    or RETURNED); otherwise return it unchanged. Call it when the sheet's page is opened.

    Logs `sheet.recomputed` when a figure changed.
    """
    sheet = locked(sheet)
    if sheet.status in OWNER_STATUSES and sheet.period.state in OPEN_PERIOD_STATES:
        compute_sheets(sheet.period, [sheet], by=by)
    return sheet


@transaction.atomic
def recompute_open_sheets_for_tasks(task_ids: Sequence[int], *, by: User | None = None) -> int:
    """Refresh the sheets still with their owner that these tasks count on (their owner's
    sheet of a period containing the deadline in force) or counted on before (a line).

    For a job or a page of the evaluations app after tasks changed; the work app cannot call
    it. Returns the number of sheets whose figures changed.
    """
    tasks = list(Task.objects.filter(pk__in=list(task_ids)).values_list("owner_id", "deadline"))
    condition = Q(task_lines__task_id__in=list(task_ids))
    for owner_id, deadline in tasks:
        condition |= Q(person_id=owner_id, period__start__lte=deadline, period__end__gte=deadline)
    candidates = Sheet.objects.filter(condition).filter(
        status__in=list(OWNER_STATUSES), period__state__in=list(OPEN_PERIOD_STATES)
    )
    ids = sorted(set(candidates.values_list("pk", flat=True)))
    sheets = list(
        Sheet.objects.select_for_update(of=("self",))
        .select_related("period__rulebook", "period__organisation", "person", "unit")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    changed = 0
    by_period: dict[int, list[Sheet]] = {}
    for sheet in sheets:
        by_period.setdefault(sheet.period_id, []).append(sheet)
    for period_sheets in by_period.values():
        changed += len(compute_sheets(period_sheets[0].period, period_sheets, by=by))
    return changed


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
) -> Sheet:
    """The owner saves their scores (some may be missing), words and proposed level.

    Saving stays possible after the self-evaluation deadline (HR may extend it); submitting
    does not. Logs `sheet.self_saved` with the fields that changed (nothing when none did). Raises
    EvaluationError for anyone but the owner, a sheet not with the owner, a closed period,
    an unknown criterion or level, or a score outside 0..max of its criterion.
    """
    sheet = locked(sheet)
    require_owner(sheet, by)
    _require_with_owner(sheet)
    require_period_open(sheet)
    config = config_of(sheet.period)
    checked = _scores(config, scores, complete=False)
    level = check_level(config, proposed_level, required=False)
    before = snapshot(sheet, SELF_FIELDS)
    sheet.self_scores = _stored(checked)
    sheet.self_general = _sum(checked)
    sheet.strengths = strengths.strip()
    sheet.shortcomings = shortcomings.strip()
    sheet.proposals = proposals.strip()
    sheet.self_level = level
    update_total(sheet, config)
    old, new = changes(before, snapshot(sheet, SELF_FIELDS))
    if new:
        sheet.save(update_fields=list(new))
        log_action(sheet, "sheet.self_saved", by=by, data={"before": old, "after": new})
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
    sheet = locked(sheet)
    require_owner(sheet, by)
    _require_with_owner(sheet)
    require_period_open(sheet)
    period = sheet.period
    if sheet.status == Sheet.Status.RETURNED:
        require_before(period.review_due, _("correcting a returned sheet"), period)
    else:
        require_before(period.self_evaluation_due, _("self-evaluation"), period)
    config = config_of(period)
    _scores(config, sheet.self_scores, complete=True)
    check_level(config, sheet.self_level, required=True)
    compute_sheets(period, [sheet], by=by)
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
) -> Sheet:
    """The reviewer scores every criterion, comments and proposes a level: REVIEWED. The
    manager's scores replace the person's in the total.

    Logs `sheet.reviewed` with before/after. Raises EvaluationError for anyone but the
    reviewer, a sheet not submitted, a deadline passed, a criterion not scored, a score out
    of range or no proposed level.
    """
    sheet = locked(sheet)
    _require_reviewer(sheet, by)
    config = config_of(sheet.period)
    checked = _scores(config, scores, complete=True)
    level = check_level(config, proposed_level, required=True)
    before = snapshot(sheet, REVIEW_FIELDS)
    sheet.status = Sheet.Status.REVIEWED
    sheet.manager_scores = _stored(checked)
    sheet.manager_general = _sum(checked)
    sheet.manager_comment = comment.strip()
    sheet.manager_level = level
    sheet.reviewed_at = clock.now()
    update_total(sheet, config)
    sheet.save(update_fields=[*REVIEW_FIELDS, "reviewed_at"])
    old, new = changes(before, snapshot(sheet, REVIEW_FIELDS))
    log_action(sheet, "sheet.reviewed", by=by, data={"before": old, "after": new})
    return sheet
