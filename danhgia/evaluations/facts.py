"""What a period is computed from, read from the database in a few queries for many people.

- who reviews and who decides each person (the rule of `organisations/authority.py`, for a
  whole organisation from one fetch of roles);
- the task facts of each person, the facts of leaders and the facts vetoes look at.

Everything here reads; `services/` writes.
"""

import datetime
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Greatest

from danhgia.evaluations.models import Discipline, Finding, Period
from danhgia.evaluations.rules.facts import TaskFact
from danhgia.evaluations.rules.scoring import CreditRules, CreditSums
from danhgia.evaluations.rules.vetoes import DisciplineFact, FindingFact, VetoFacts
from danhgia.organisations.models import Person, Role, Unit, UnitRole
from danhgia.work.models import Task

AUTHORITY_ROLES = [Role.HEAD, Role.MANAGER]

# Who reviews and decides


@dataclass(frozen=True)
class Authority:
    reviewer_id: int | None
    decider_id: int | None


def fetch_authority_roles(
    first: datetime.date,
    last: datetime.date,
    *,
    within: Unit | None = None,
    unit_ids: Iterable[int] = (),
    users: Iterable[int] = (),
) -> list[UnitRole]:
    """Head and manager roles overlapping `first`..`last`, with their unit (one query).

    With `within`: the roles in that unit's subtree and on the units above it, which is all
    that people of the subtree can depend on; else the roles on `unit_ids` or held by
    `users`. The order is that of `organisations/authority.py` (the model's ordering), so
    ties resolve the same way.
    """
    roles = UnitRole.objects.overlapping(first, last).filter(role__in=AUTHORITY_ROLES)
    if within is not None:
        roles = roles.filter(
            Q(unit__path__startswith=within.path) | Q(unit_id__in=within.ancestor_ids)
        )
    else:
        roles = roles.filter(Q(unit_id__in=list(unit_ids)) | Q(user_id__in=list(users)))
    return list(roles.select_related("unit").order_by("unit__path", "role", "valid_from", "pk"))


def _pick(candidates: list[UnitRole], last: datetime.date) -> UnitRole:
    """`organisations.authority._pick`: in office at the end, then latest, then substantive."""

    def rank(role: UnitRole) -> tuple[bool, datetime.date, bool]:
        in_office_at_end = role.valid_to is None or role.valid_to >= last
        return (in_office_at_end, role.valid_from, not role.acting)

    return max(candidates, key=rank)


def _authority_in_chain(
    chain: list[int], by_unit: dict[int, list[UnitRole]], excluded: int, last: datetime.date
) -> Authority:
    decider_id: int | None = None
    reviewer_id: int | None = None
    for unit_id in chain:
        found = [role for role in by_unit.get(unit_id, ()) if role.user_id != excluded]
        heads = [role for role in found if role.role == Role.HEAD]
        managers = [role for role in found if role.role == Role.MANAGER]
        if reviewer_id is None and found:
            reviewer_id = _pick(managers or found, last).user_id
        if decider_id is None and heads:
            decider_id = _pick(heads, last).user_id
        if reviewer_id is not None and decider_id is not None:
            break
    return Authority(reviewer_id=reviewer_id, decider_id=decider_id)


def authority_for_people(
    people: Sequence[Person], first: datetime.date, last: datetime.date, roles: list[UnitRole]
) -> dict[int, Authority]:
    """Reviewer and decider of each person (by person id) for `first`..`last`, no queries.

    Follows `organisations/authority.py` exactly: walk up from the person's own unit; the
    first unit with a head (decider), or with a manager, else a head (reviewer), during the
    period answers; never the person themself. `roles` comes from `fetch_authority_roles`
    and must cover the people's units and the units above them; `person.unit` must be loaded.
    """
    by_unit: dict[int, list[UnitRole]] = {}
    for role in roles:
        by_unit.setdefault(role.unit_id, []).append(role)
    holders = {role.user_id for role in roles}
    cache: dict[tuple[int, int], Authority] = {}
    result: dict[int, Authority] = {}
    for person in people:
        # Only a person who holds one of the roles can change the answer for their unit.
        excluded = person.user_id if person.user_id in holders else 0
        key = (person.unit_id, excluded or 0)
        if key not in cache:
            chain = list(reversed(person.unit.ancestor_ids or [person.unit_id]))
            cache[key] = _authority_in_chain(chain, by_unit, excluded or 0, last)
        result[person.pk] = cache[key]
    return result


# Task facts

# Ids per `IN (...)` list.
_CHUNK = 2000
_TASK_COLUMNS = (
    "pk",
    "owner_id",
    "title",
    "coefficient",
    "quantity",
    "status",
    "completed_on",
    "deadline",
    "assessed_at",
    "meets_quality",
    "major_errors",
    "objective_cause",
)


def period_tasks(period: Period) -> QuerySet[Task]:
    """The tasks a period is judged on: deadline in force within the period, not cancelled."""
    return (
        Task.objects.in_month(period.start, period.end)
        .exclude(status=Task.Status.CANCELLED)
        .order_by()
    )


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for index in range(0, len(ids), _CHUNK):
        yield list(ids[index : index + _CHUNK])


def task_facts_by_owner(period: Period, person_ids: Collection[int]) -> dict[int, list[TaskFact]]:
    """The task facts of each person (by person id), in deadline order; a query per 2,000
    people. Built from plain values rather than model instances (a province has a million
    tasks a month), exactly as `rules.facts.fact_from_task` reads a task."""
    by_owner: dict[int, list[TaskFact]] = {}
    for ids in _chunks(sorted(set(person_ids))):
        rows = (
            period_tasks(period)
            .filter(owner_id__in=ids)
            .order_by("deadline", "pk")
            .values_list(*_TASK_COLUMNS)
        )
        for row in rows:
            (pk, owner_id, title, coefficient, quantity, status) = row[:6]
            (completed_on, deadline, assessed_at, meets_quality, errors, cause) = row[6:]
            done = status == Task.Status.DONE
            by_owner.setdefault(owner_id, []).append(
                TaskFact(
                    task_id=pk,
                    title=title,
                    coefficient=coefficient,
                    quantity=quantity,
                    converted_assigned=quantity * coefficient,
                    done=done,
                    delays=1 if done and completed_on and completed_on > deadline else 0,
                    assessed=assessed_at is not None,
                    meets_quality=meets_quality,
                    major_errors=errors,
                    objective_cause=cause,
                )
            )
    return by_owner


# Credits added up by the database

# A credit keeps 4 decimals (quantity and coefficient 2 each, a deduction 2 × a coefficient 2):
# sums are exact on PostgreSQL; SQLite adds them as floats, and rounding back to 4 decimals
# gives the exact sum again (a month's credits are far from a float's 15 digits).
_CREDIT = DecimalField(max_digits=20, decimal_places=4)


def _credit_expressions(rules: CreditRules) -> dict[str, Any]:
    """Sums per owner of what `rules.scoring.credit_line` credits each task, in SQL: the
    converted quantity to done (a done task); to quality when it meets quality (assessed, else
    `unassessed_meets_quality`), less the error deduction × coefficient × major errors, never
    below 0; to timeliness, less the delay deduction × coefficient when completed after the
    deadline, never below 0; an objective cause removes both deductions."""
    converted = F("converted_quantity")  # quantity × coefficient, stored
    zero = Value(Decimal(0), output_field=_CREDIT)
    done = Q(status=Task.Status.DONE)
    assessed = Q(assessed_at__isnull=False, meets_quality__isnull=False)
    meets = assessed & Q(meets_quality=True)
    if rules.unassessed_meets_quality:
        meets |= ~assessed
    errors = Value(rules.error_deduction) * F("coefficient") * F("major_errors")
    late = Value(rules.delay_deduction) * F("coefficient")
    quality = Case(
        When(
            done & meets & Q(major_errors__gt=0, objective_cause=False),
            then=Greatest(zero, converted - errors),
        ),
        When(done & meets, then=converted),
        default=zero,
        output_field=_CREDIT,
    )
    timeliness = Case(
        When(
            done & Q(completed_on__gt=F("deadline"), objective_cause=False),
            then=Greatest(zero, converted - late),
        ),
        When(done, then=converted),
        default=zero,
        output_field=_CREDIT,
    )
    return {
        "count": Count("pk"),
        "assigned": Sum(converted, output_field=_CREDIT),
        "done": Sum(Case(When(done, then=converted), default=zero, output_field=_CREDIT)),
        "quality": Sum(quality),
        "timeliness": Sum(timeliness),
    }


def credit_sums_by_owner(
    period: Period, rules: CreditRules, person_ids: Collection[int]
) -> dict[int, CreditSums]:
    """The sums of each person's task credits under `rules` (by person id; people without a
    task are left out), one grouped query per 2,000 people: what `score_sums` scores,
    equal to adding up the lines of `credit_line` (tests/evaluations/test_set_based.py).
    (Lists of ids measured faster than one query over the organisation's subtree, which
    joins the owners' units: bench/README.md.)"""
    sums: dict[int, CreditSums] = {}
    expressions = _credit_expressions(rules)
    for ids in _chunks(sorted(set(person_ids))):
        rows = period_tasks(period).filter(owner_id__in=ids).values("owner_id")
        for found in rows.annotate(**expressions):
            row: dict[str, Any] = dict(found)
            sums[row["owner_id"]] = CreditSums(
                count=row["count"],
                assigned=Fraction(row["assigned"]),
                done=Fraction(row["done"]),
                quality=Fraction(row["quality"]),
                timeliness=Fraction(row["timeliness"]),
            )
    return sums


# Leaders


@dataclass(frozen=True)
class TaskCount:
    total: int = 0
    on_time_with_quality: int = 0

    def __add__(self, other: "TaskCount") -> "TaskCount":
        return TaskCount(
            self.total + other.total, self.on_time_with_quality + other.on_time_with_quality
        )


def subtree_task_counts(period: Period, paths: Collection[str] = ()) -> dict[str, TaskCount]:
    """Tasks of the period and those done on time meeting quality, for every unit path,
    each count including the units below it (one grouped query).

    With `paths`, only units within those subtrees; else the organisation's subtree.
    """
    tasks = period_tasks(period)
    if paths:
        condition = Q()
        for path in paths:
            condition |= Q(unit__path__startswith=path)
        tasks = tasks.filter(condition)
    else:
        tasks = tasks.filter(unit__path__startswith=period.organisation.path)
    good = Q(status=Task.Status.DONE, completed_on__lte=F("deadline"), meets_quality=True)
    rows = tasks.values("unit__path").annotate(total=Count("pk"), good=Count("pk", filter=good))
    counts: dict[str, TaskCount] = {}
    for row in rows:
        own = TaskCount(row["total"], row["good"])
        parts = [part for part in row["unit__path"].strip("/").split("/") if part]
        for depth in range(1, len(parts) + 1):
            prefix = "/" + "/".join(parts[:depth]) + "/"
            counts[prefix] = counts.get(prefix, TaskCount()) + own
    return counts


def outermost(paths: Iterable[str]) -> list[str]:
    """The paths not inside another of them (a head of a department and of one of its
    divisions leads the department once)."""
    unique = sorted(set(paths))
    return [
        path
        for path in unique
        if not any(path != other and path.startswith(other) for other in unique)
    ]


def led_paths_by_user(roles: Iterable[UnitRole]) -> dict[int, list[str]]:
    """The units (paths) each user leads as head or manager, from roles with `unit` loaded."""
    paths: dict[int, list[str]] = {}
    for role in roles:
        if role.role in AUTHORITY_ROLES:
            paths.setdefault(role.user_id, []).append(role.unit.path)
    return {user_id: outermost(found) for user_id, found in paths.items()}


def on_time_with_quality_pct(
    counts: dict[str, TaskCount], led_paths: Sequence[str], no_tasks_pct: Decimal
) -> Decimal:
    """The share (%) of the led units' tasks done on time meeting quality; `no_tasks_pct`
    when they have none."""
    total = TaskCount()
    for path in led_paths:
        total = total + counts.get(path, TaskCount())
    if total.total == 0:
        return no_tasks_pct
    return Decimal(total.on_time_with_quality) * 100 / Decimal(total.total)


# Vetoes


def veto_facts_for(period: Period, people: Sequence[tuple[int, bool]]) -> dict[int, VetoFacts]:
    """The facts vetoes look at for each (person id, is leader), in two queries per chunk:
    disciplines that took effect and findings concluded by the period's last day."""
    leader = dict(people)
    disciplines: dict[int, list[DisciplineFact]] = {}
    findings: dict[int, list[FindingFact]] = {}
    for ids in _chunks(sorted(leader)):
        for row in Discipline.objects.filter(
            person_id__in=ids, effective_from__lte=period.end
        ).values_list(
            "person_id", "form", "channel", "public_duty", "effective_from", "effective_to"
        ):
            disciplines.setdefault(row[0], []).append(DisciplineFact(*row[1:]))
        for person_id, kind, concluded_on in Finding.objects.filter(
            person_id__in=ids, concluded_on__lte=period.end
        ).values_list("person_id", "kind", "concluded_on"):
            findings.setdefault(person_id, []).append(FindingFact(kind, concluded_on))
    return {
        person_id: VetoFacts(
            disciplines=disciplines.get(person_id, []),
            findings=findings.get(person_id, []),
            is_leader=is_leader,
        )
        for person_id, is_leader in leader.items()
    }
