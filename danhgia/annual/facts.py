"""What the annual classification is computed from, read for many people in a few queries.

- the decided period results of the year, whatever organisation ran the period (a person
  transferred mid-year brings the months of their former unit);
- leave with its dates (months worked are counted in calendar months and days, which the
  days-per-kind totals of `evaluations.facts_leave` cannot give);
- the vetoes of the calendar year (`evaluations.facts.veto_facts_for` up to 31 December);
- who decides (the rule of `organisations/authority.py` for December) and which units each
  head leads at the end of the year.

Everything here reads; `services.py` writes.
"""

import datetime
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from danhgia.annual.rules import LeaveFact, PeriodResult, YearTotals
from danhgia.core.bulk import JsonText
from danhgia.evaluations.facts import (
    Authority,
    authority_for_people,
    fetch_authority_roles,
    veto_facts_for,
)
from danhgia.evaluations.models import Discipline, Finding, Leave, Period, Sheet
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import Veto, applicable_vetoes
from danhgia.organisations.models import Person, Role, Unit, UnitRole

_CHUNK = 2000
# What the annual sheets need of a person (50,000 people: no more columns than that).
PERSON_FIELDS = (
    "full_name",
    "title",
    "is_leader",
    "active_from",
    "active_to",
    "user_id",
    "staff_category",
    "unit__path",
    "unit__name",
    "job_position__code",
)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for index in range(0, len(ordered), _CHUNK):
        yield ordered[index : index + _CHUNK]


def period_results(
    person_ids: Collection[int], year: int, *, within: Unit | None = None
) -> dict[int, list[PeriodResult]]:
    """The decided sheets of periods lying within `year`, by person: a query per 2,000
    people, or with `within` one query for everyone now in that unit's subtree (the rows of
    people outside `person_ids` are dropped)."""
    first, last = year_bounds(year)
    found: dict[int, list[PeriodResult]] = {}
    decided = Sheet.objects.filter(
        status=Sheet.Status.DECIDED, period__start__gte=first, period__end__lte=last
    ).order_by()
    wanted = set(person_ids)
    if within is not None:
        batches = [decided.filter(person__unit__path__startswith=within.path)]
    else:
        batches = [decided.filter(person_id__in=ids) for ids in _chunks(wanted)]
    for batch in batches:
        rows = batch.values_list(
            "person_id",
            "period_id",
            "period__start",
            "period__end",
            "unit__name",
            "total",
            "decided_level",
        )
        for person_id, period_id, start, end, unit_name, total, level in rows:
            if person_id not in wanted:
                continue
            found.setdefault(person_id, []).append(
                PeriodResult(period_id, start, end, unit_name, total, level)
            )
    return found


# The decided results of the year by person, in one aggregate: what `sheet.months` holds for
# someone who worked every day of the year (every period counted, all its days worked) as
# JSON text built by the database, and the sums the average is taken from (totals in
# hundredths, so that SQLite's floating point sums exactly). Parameters: the year's first
# and last day, those of {people} (a query of person ids), then the decided status.
# On PostgreSQL the JSON is concatenated from each period's and unit's parts (built once):
# json_build_object for each of 55,000 rows made the query 6 times the aggregate without
# JSON, the concatenation about half that; the MATERIALIZED parts keep the planner on hash
# joins (a third faster than its index scan).
_TOTALS = {
    "postgresql": """
        WITH periods AS MATERIALIZED (
            SELECT id, start,
                   '{{"period": ' || id || ', "start": "' || to_char(start, 'YYYY-MM-DD')
                   || '", "end": "' || to_char("end", 'YYYY-MM-DD') || '", "days_worked": '
                   || ("end" - start + 1) || ', "counted": true, "unit": ' AS head,
                   CAST((EXTRACT(YEAR FROM "end") - EXTRACT(YEAR FROM start)) * 12
                        + EXTRACT(MONTH FROM "end") - EXTRACT(MONTH FROM start) + 1
                        AS INTEGER) AS months
            FROM evaluations_period WHERE start >= %s AND "end" <= %s
        ),
        units AS MATERIALIZED (SELECT id, to_json(name)::text AS name FROM organisations_unit),
        people AS MATERIALIZED ({people})
        SELECT person_id, SUM(cents * months), SUM(months),
               '[' || string_agg(item, ', ' ORDER BY start, period_id) || ']'
        FROM (
            SELECT s.person_id, p.start, p.id AS period_id, p.months,
                   CAST(ROUND(s.total * 100) AS INTEGER) AS cents,
                   p.head || u.name || ', "total": "' || s.total || '", "level": '
                   || to_json(s.decided_level)::text || '}}' AS item
            FROM evaluations_sheet s
            JOIN periods p ON p.id = s.period_id
            JOIN units u ON u.id = s.unit_id
            JOIN people ON people.id = s.person_id
            WHERE s.status = %s
        ) AS rows
        GROUP BY person_id
    """,
    "sqlite": """
        SELECT person_id, SUM(cents * months), SUM(months), json_group_array(json(item))
        FROM (
            SELECT s.person_id, CAST(ROUND(s.total * 100) AS INTEGER) AS cents,
                   (CAST(strftime('%%Y', p."end") AS INTEGER)
                    - CAST(strftime('%%Y', p.start) AS INTEGER)) * 12
                   + CAST(strftime('%%m', p."end") AS INTEGER)
                   - CAST(strftime('%%m', p.start) AS INTEGER) + 1 AS months,
                   json_object(
                       'period', p.id, 'start', p.start, 'end', p."end", 'unit', u.name,
                       'total', printf('%%.2f', s.total), 'level', s.decided_level,
                       'days_worked', CAST(julianday(p."end") - julianday(p.start) AS INTEGER) + 1,
                       'counted', json('true')
                   ) AS item
            FROM evaluations_sheet s
            JOIN evaluations_period p ON p.id = s.period_id
            JOIN organisations_unit u ON u.id = s.unit_id
            WHERE p.start >= %s AND p."end" <= %s AND s.person_id IN ({people})
                AND s.status = %s
            ORDER BY s.person_id, p.start, p.id
        ) AS rows
        GROUP BY person_id
    """,
}
_BY_ID = "SELECT id FROM organisations_person WHERE id IN ("
_IN_SUBTREE = (
    "SELECT pe.id FROM organisations_person pe"
    " JOIN organisations_unit pu ON pu.id = pe.unit_id WHERE pu.path LIKE %s"
)


def year_totals(
    person_ids: Collection[int], year: int, *, within: Unit | None = None
) -> dict[int, YearTotals]:
    """By person: the sums of the decided results of the periods lying within `year` and
    their JSON for `AnnualSheet.months`, as counted for someone who worked all year. One
    aggregate per 2,000 people, or with `within` one for everyone now in that subtree."""
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    first, last = year_bounds(year)
    wanted = set(person_ids)
    batches: list[tuple[str, list[Any]]]
    if within is not None:
        batches = [(_IN_SUBTREE, [within.path + "%"])]
    else:
        # Only placeholders are joined into the text: the ids go as parameters.
        batches = [(_BY_ID + ", ".join(["%s"] * len(ids)) + ")", ids) for ids in _chunks(wanted)]
    found: dict[int, YearTotals] = {}
    for people, params in batches:
        with connection.cursor() as cursor:
            cursor.execute(
                _TOTALS[vendor].format(people=people),
                [first, last, *params, Sheet.Status.DECIDED],
            )
            for person_id, cents, months, items in cursor.fetchall():
                if person_id in wanted:
                    found[person_id] = YearTotals(int(cents), int(months), JsonText(items))
    return found


def _of_people(
    queryset: QuerySet[Any], person_ids: Collection[int], within: Unit | None
) -> Iterator[QuerySet[Any]]:
    """`queryset` for `person_ids`: one query over everyone now in the subtree `within`
    (a 2,000-id list costs more to build than the query), else one per 2,000 ids."""
    if within is not None:
        yield queryset.filter(person__unit__path__startswith=within.path)
        return
    for ids in _chunks(person_ids):
        yield queryset.filter(person_id__in=ids)


def leaves(
    person_ids: Collection[int], year: int, *, within: Unit | None = None
) -> dict[int, list[LeaveFact]]:
    """Leave overlapping `year`, with its dates, by person (`within`: see `_of_people`)."""
    first, last = year_bounds(year)
    wanted = set(person_ids)
    found: dict[int, list[LeaveFact]] = {}
    overlapping = Leave.objects.filter(start__lte=last, end__gte=first).order_by()
    for batch in _of_people(overlapping, wanted, within):
        for person_id, kind, start, end in batch.values_list("person_id", "kind", "start", "end"):
            if person_id in wanted:
                found.setdefault(person_id, []).append(LeaveFact(kind, start, end))
    return found


def vetoes(
    config: RulebookConfig,
    people: Sequence[tuple[int, bool]],
    year: int,
    *,
    within: Unit | None = None,
) -> dict[int, list[Veto]]:
    """The vetoes of the calendar year for each (person id, is leader) who has one: a
    discipline or finding that took effect between 1 January and 31 December. The facts
    are read for the few people with a discipline or finding in the year."""
    first, last = year_bounds(year)
    ids = {person_id for person_id, _ in people}
    flagged: set[int] = set()
    disciplines = Discipline.objects.filter(effective_from__range=(first, last)).order_by()
    findings = Finding.objects.filter(concluded_on__range=(first, last)).order_by()
    for queryset in (disciplines, findings):
        for batch in _of_people(queryset, ids, within):
            flagged.update(batch.values_list("person_id", flat=True))
    chosen = [(person_id, leader) for person_id, leader in people if person_id in flagged]
    # veto_facts_for reads only the period's last day: an unsaved period spanning the year.
    facts = veto_facts_for(Period(start=first, end=last), chosen)
    return {
        person_id: applicable_vetoes(config, person_facts, first, last)
        for person_id, person_facts in facts.items()
    }


def people_of_year(organisation: Unit, year: int) -> list[Person]:
    """Everyone now in the organisation's subtree who was active on a day of `year`."""
    from django.db.models import Q

    first, last = year_bounds(year)
    return list(
        Person.objects.filter(unit__path__startswith=organisation.path, active_from__lte=last)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .select_related("unit", "job_position")
        .only(*PERSON_FIELDS)
        .order_by("pk")
    )


def authority_roles(organisation: Unit, year: int) -> list[UnitRole]:
    """Head and manager roles of December over the organisation (one query)."""
    first, last = year_bounds(year)
    return fetch_authority_roles(datetime.date(year, 12, 1), last, within=organisation)


def deciders(people: Sequence[Person], roles: list[UnitRole], year: int) -> dict[int, Authority]:
    """Who decides each person: the head over the unit the person is in, as for December
    (`organisations.authority.decider_for(person, 1 December)`)."""
    return authority_for_people(
        people, datetime.date(year, 12, 1), datetime.date(year, 12, 31), roles
    )


def led_units(roles: Sequence[UnitRole], year: int) -> dict[int, list[Unit]]:
    """The units each user heads at the end of the year (outermost only), by user id."""
    last = datetime.date(year, 12, 31)
    found: dict[int, list[Unit]] = {}
    for role in roles:
        if role.role == Role.HEAD and (role.valid_to is None or role.valid_to >= last):
            found.setdefault(role.user_id, []).append(role.unit)
    return {
        user_id: [
            unit
            for unit in units
            if not any(other.pk != unit.pk and unit.path.startswith(other.path) for other in units)
        ]
        for user_id, units in found.items()
    }
