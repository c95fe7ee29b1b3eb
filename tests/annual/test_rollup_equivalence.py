"""The roll-up's short path (`rules.full_year`, most people of a year) gives the result of the
span arithmetic (`rules.classify_spans`, the path every result took before); an opened year
of varied people (missing months, a quarter, a transfer, leave, a late start, a veto, three
rulebooks) holds the sheets `classify_spans` computes from the facts read here one by one."""

import datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from danhgia.annual.models import AnnualSheet
from danhgia.annual.rules import (
    AnnualFacts,
    LeaveFact,
    PeriodResult,
    classify,
    classify_spans,
    full_year,
)
from danhgia.annual.services import annual_sheet_config, open_annual
from danhgia.core import clock
from danhgia.evaluations.models import Discipline, Leave, Period, Rulebook, Sheet
from danhgia.evaluations.rules.schema import RulebookConfig, parse_rulebook
from danhgia.evaluations.rules.vetoes import DisciplineFact, VetoFacts, applicable_vetoes
from danhgia.evaluations.services.categories import assign_rulebook
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person, StaffCategory, Unit
from tests.annual.conftest import YEAR, day
from tests.conftest import VIETNAM, World
from tests.factories import PersonFactory, UnitFactory


def shipped_configs() -> list[RulebookConfig]:
    ensure_shipped_rulebooks()
    return [parse_rulebook(rulebook) for rulebook in Rulebook.objects.order_by("pk")]


def month(number: int, total: Decimal) -> PeriodResult:
    first = day(number, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return PeriodResult(number, first, last, "Sở Nội vụ", total, "good")


def quarter(number: int, total: Decimal) -> PeriodResult:
    first = day(3 * number - 2, 1)
    last = (day(3 * number, 1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
        days=1
    )
    return PeriodResult(100 + number, first, last, "Sở Tài chính", total, "")


totals = st.decimals(min_value=0, max_value=100, places=2)


@given(
    months=st.dictionaries(st.integers(1, 12), totals, max_size=12),
    quarters=st.dictionaries(st.integers(1, 4), totals, max_size=2),
    index=st.integers(0, 50),
)
@settings(max_examples=300, deadline=None)
def check_full_year(configs: list[RulebookConfig], months: Any, quarters: Any, index: int) -> None:
    config = configs[index % len(configs)]
    periods = [month(number, total) for number, total in months.items()]
    periods += [quarter(number, total) for number, total in quarters.items()]
    facts = AnnualFacts(year=YEAR, active_from=day(1, 1), active_to=None, periods=periods)

    assert full_year(config, facts) == classify_spans(config, facts)


def test_the_short_path_equals_the_span_arithmetic_under_every_shipped_rulebook(
    db: None,
) -> None:
    configs = shipped_configs()
    assert len(configs) >= 4
    check_full_year(configs)


def test_the_short_path_leaves_leave_a_late_start_and_a_veto_to_the_spans(db: None) -> None:
    config = shipped_configs()[0]
    periods = [month(number, Decimal(90)) for number in range(1, 13)]
    whole = AnnualFacts(year=YEAR, active_from=day(1, 1), active_to=None, periods=periods)
    others = [
        AnnualFacts(YEAR, day(1, 1), None, (LeaveFact("sick", day(3, 1), day(3, 5)),), periods),
        AnnualFacts(YEAR, day(1, 2), None, (), periods),
        AnnualFacts(YEAR, day(1, 1), day(12, 30), (), periods),
    ]

    assert full_year(config, whole) is not None
    assert [full_year(config, facts) for facts in others] == [None, None, None]
    assert [classify(config, facts) for facts in others] == [
        classify_spans(config, facts) for facts in others
    ]


# An opened year against the span arithmetic: 2026, when VC-2025 and Nghị định 335 apply

OPENED = 2026


def on(month: int, day_: int) -> datetime.date:
    return datetime.date(OPENED, month, day_)


def decided(
    person: Person,
    months: Any,
    total: str,
    *,
    organisation: Unit,
    rulebook: Rulebook,
    kind: str = Period.Kind.MONTH,
) -> None:
    """A decided sheet with `total` for each month (quarter) starting in `months`."""
    for number in months:
        first = on(number, 1)
        last_month = number + 2 if kind == Period.Kind.QUARTER else number
        last = (on(last_month, 1) + datetime.timedelta(days=32)).replace(
            day=1
        ) - datetime.timedelta(days=1)
        period, _ = Period.objects.get_or_create(
            organisation=organisation,
            kind=kind,
            start=first,
            defaults={
                "end": last,
                "rulebook": rulebook,
                "state": Period.State.CLOSED,
                "self_evaluation_due": last,
                "review_due": last,
                "decision_due": last,
                "opened_at": clock.now(),
            },
        )
        Sheet.objects.create(
            period=period,
            person=person,
            unit=person.unit,
            total=Decimal(total),
            band="good",
            status=Sheet.Status.DECIDED,
            decided_level="good",
        )


def expected(sheet: AnnualSheet) -> dict[str, Any]:
    """What `classify_spans` makes of the sheet's person, from facts read here one by one."""
    config = annual_sheet_config(sheet)
    person = sheet.person
    rows = Sheet.objects.filter(
        person=person,
        status=Sheet.Status.DECIDED,
        period__start__gte=on(1, 1),
        period__end__lte=on(12, 31),
    ).select_related("period", "unit")
    periods = [
        PeriodResult(
            row.period_id,
            row.period.start,
            row.period.end,
            row.unit.name,
            row.total,
            row.decided_level,
        )
        for row in rows
    ]
    leaves = [
        LeaveFact(leave.kind, leave.start, leave.end)
        for leave in Leave.objects.filter(person=person, start__lte=on(12, 31), end__gte=on(1, 1))
    ]
    disciplines = [
        DisciplineFact(d.form, d.channel, d.public_duty, d.effective_from, d.effective_to)
        for d in Discipline.objects.filter(person=person, effective_from__lte=on(12, 31))
    ]
    vetoes = applicable_vetoes(
        config, VetoFacts(disciplines, [], person.is_leader), on(1, 1), on(12, 31)
    )
    result = classify_spans(
        config,
        AnnualFacts(OPENED, person.active_from, person.active_to, leaves, periods, vetoes),
    )
    return {
        "months": [
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
        ],
        "worked": (result.worked.months, result.worked.days),
        "absent": (result.absent.months, result.absent.days),
        "days_absent": result.days_absent,
        "score": result.score,
        "band": result.band,
        "cap": (result.cap_level, result.cap_reason),
        "not_classified": (result.not_classified, result.not_classified_reason),
        "veto": (result.veto, result.veto_reason),
        "proposed_level": result.level,
        "status": "not_classified" if result.not_classified else "pending",
    }


def stored(sheet: AnnualSheet) -> dict[str, Any]:
    return {
        "months": sheet.months,
        "worked": (sheet.months_worked, sheet.extra_days_worked),
        "absent": (sheet.months_absent, sheet.extra_days_absent),
        "days_absent": sheet.days_absent,
        "score": sheet.score,
        "band": sheet.band,
        "cap": (sheet.cap_level, sheet.cap_reason),
        "not_classified": (sheet.not_classified, sheet.not_classified_reason),
        "veto": (sheet.veto, sheet.veto_reason),
        "proposed_level": sheet.proposed_level,
        "status": sheet.status,
    }


def varied_people(world: World, rulebook: Rulebook) -> dict[str, Person]:
    def person(name: str, **fields: Any) -> Person:
        return PersonFactory(full_name=name, unit=fields.pop("unit", world.division), **fields)

    people = {
        "every month": person("A"),
        "months missing": person("B"),
        "quarter and months": person("C", unit=world.division_other),
        "transferred": person("D"),
        "sick": person("E"),
        "maternity": person("F", unit=world.division_other),
        "late start": person("G", active_from=on(3, 17)),
        "left": person("H", active_to=on(9, 30)),
        "disciplined": person("I"),
        "public employee": person("K", staff_category=StaffCategory.PUBLIC_EMPLOYEE),
        "public employee on leave": person(
            "L", staff_category=StaffCategory.PUBLIC_EMPLOYEE, unit=world.division_other
        ),
        "nothing decided": person("M"),
        "unit name to escape": person(
            "N", unit=UnitFactory(name='Bộ phận "Một cửa" \\ tiếp dân', parent=world.dept)
        ),
    }

    def decided_in(person: Person, months: Any, total: str, **options: Any) -> None:
        options.setdefault("organisation", world.province)
        decided(person, months, total, rulebook=rulebook, **options)

    for index, number in enumerate(range(1, 13)):
        decided_in(people["every month"], [number], str(60 + 3 * index))
        decided_in(people["public employee"], [number], str(99 - index))
        decided_in(people["public employee on leave"], [number], str(85 + index % 3))
        decided_in(people["unit name to escape"], [number], "84.55")
    decided_in(people["months missing"], [1, 2, 5, 11], "93.5")
    decided_in(people["quarter and months"], [1, 4], "77", kind=Period.Kind.QUARTER)
    decided_in(people["quarter and months"], [7, 8, 9, 10, 11, 12], "91")
    decided_in(people["transferred"], range(1, 7), "88", organisation=world.dept_other)
    decided_in(people["transferred"], range(7, 13), "72")
    for key in ("sick", "maternity", "late start", "left", "disciplined"):
        decided_in(people[key], range(1, 13), "95")
    leave = (
        ("sick", Leave.Kind.SICK, on(2, 10), on(5, 20)),
        ("maternity", Leave.Kind.MATERNITY, on(4, 1), on(9, 30)),
        ("public employee on leave", Leave.Kind.SICK, on(4, 1), on(6, 30)),
    )
    for key, kind, start, end in leave:
        Leave.objects.create(person=people[key], kind=kind, start=start, end=end)
    Discipline.objects.create(
        person=people["disciplined"],
        form=Discipline.Form.REPRIMAND,
        channel=Discipline.Channel.ADMINISTRATIVE,
        decision_number="01/QĐ-KL",
        decided_on=on(6, 1),
        effective_from=on(6, 1),
    )
    return people


def test_an_opened_year_holds_the_sheets_of_the_span_arithmetic(
    world: World, time_machine: Any
) -> None:
    time_machine.move_to(datetime.datetime(2027, 1, 10, 9, 0, tzinfo=VIETNAM), tick=True)
    ensure_shipped_rulebooks()
    hr = world.users["hr"]
    qnam = Rulebook.objects.get(code="QNAM-2022")
    assign_rulebook(
        world.province,
        StaffCategory.PUBLIC_EMPLOYEE,
        Rulebook.objects.get(code="VC-2025"),
        default=Rulebook.objects.filter(code="ND335-2025").order_by("-version")[0],
        by=hr,
    )
    nd335 = Rulebook.objects.filter(code="ND335-2025").order_by("-version").first()
    assert nd335 is not None
    assign_rulebook(world.dept_other, StaffCategory.CIVIL_SERVANT, qnam, default=nd335, by=hr)
    people = varied_people(world, nd335)

    period = open_annual(world.province, OPENED, by=hr, decision_due=datetime.date(2027, 1, 31))

    assert period.rulebook == nd335

    sheets = {
        sheet.person_id: sheet
        for sheet in AnnualSheet.objects.filter(annual_period=period).select_related(
            "person", "rulebook", "annual_period__rulebook"
        )
    }
    assert {sheets[p.pk].rulebook.code for p in people.values()} == {
        "QNAM-2022",
        "VC-2025",
        "ND335-2025",
    }
    for key, person in people.items():
        assert (key, stored(sheets[person.pk])) == (key, expected(sheets[person.pk]))
    statuses = {sheets[p.pk].status for p in people.values()}
    assert statuses == {"pending", "not_classified"}
    assert any(sheets[p.pk].veto for p in people.values())
    assert any(sheets[p.pk].cap_level for p in people.values())
