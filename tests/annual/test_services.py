"""Opening, computing, deciding and closing the annual classification of 2025."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import (
    AnnualError,
    accept_all_annual,
    close_annual,
    decide_annual,
    open_annual,
    recompute_annual,
)
from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Discipline, Leave, Period, Rulebook
from danhgia.evaluations.services.rulebooks import clone_rulebook, update_rulebook_part
from danhgia.organisations.models import Person
from tests.annual.conftest import YEAR, Decided, OpenYear, day, sheet_of
from tests.conftest import World
from tests.factories import PersonFactory

FULL_YEAR = range(1, 13)


def people(world: World, count: int, name: str) -> list[Person]:
    return [
        PersonFactory(full_name=f"{name} {number}", unit=world.division) for number in range(count)
    ]


# Opening


def test_opening_computes_a_sheet_for_everyone_active_in_the_year(
    world: World, decided: Decided, open_year: OpenYear, qnam: Rulebook
) -> None:
    staff = world.people["staff"]
    decided(staff, FULL_YEAR, "80")
    left = PersonFactory(unit=world.division, active_to=datetime.date(2024, 12, 31))

    period = open_year()

    assert period.rulebook == qnam
    qnam.refresh_from_db()
    assert qnam.is_frozen
    people_ids = set(period.sheets.values_list("person_id", flat=True))
    assert staff.pk in people_ids and left.pk not in people_ids
    sheet = sheet_of(period, staff)
    assert (sheet.status, sheet.score, sheet.band, sheet.proposed_level) == (
        AnnualSheet.Status.PENDING,
        Decimal("80.00"),
        "good",
        "good",
    )
    assert (sheet.months_worked, sheet.extra_days_worked) == (12, 0)
    assert sheet.decider == world.users["head"]
    assert len(sheet.months) == 12 and all(month["counted"] for month in sheet.months)
    without = sheet_of(period, world.people["manager"])
    assert without.status == AnnualSheet.Status.NOT_CLASSIFIED
    opened = AuditLog.objects.get(action="annual.opened")
    assert opened.data["sheets"] == period.sheets.count()
    assert opened.data["year"] == YEAR


def test_the_deadline_is_15_december_by_default(world: World, qnam: Rulebook) -> None:
    period = open_annual(world.province, YEAR, by=world.users["hr"])

    assert period.decision_due == datetime.date(YEAR, 12, 15)


def test_opening_twice_or_over_a_covered_organisation_is_refused(
    world: World, open_year: OpenYear, english: None
) -> None:
    open_year()

    with pytest.raises(AnnualError, match="already open"):
        open_year()
    with pytest.raises(AnnualError, match="already covers these people"):
        open_year(world.dept)


def test_only_hr_opens_and_a_future_year_cannot_open(
    world: World, qnam: Rulebook, english: None
) -> None:
    with pytest.raises(AnnualError, match="Only the HR officer"):
        open_annual(world.province, YEAR, by=world.users["head"])
    with pytest.raises(AnnualError, match="has not begun"):
        open_annual(world.province, timezone.localdate().year + 1, by=world.users["hr"])


# Transfers


def test_a_transfer_mid_year_brings_the_months_of_both_units_and_the_new_head_decides(
    world: World, decided: Decided, open_year: OpenYear
) -> None:
    staff = world.people["staff"]
    decided(staff, range(1, 7), "70", organisation=world.dept_other, unit=world.division_other)
    decided(staff, range(7, 13), "90", organisation=world.dept)

    period = open_year(world.dept)

    sheet = sheet_of(period, staff)
    assert sheet.score == Decimal("80.00")
    assert [month["unit"] for month in sheet.months] == ["Phòng Ngân sách"] * 6 + [
        "Phòng Công chức"
    ] * 6
    assert sheet.decider == world.users["head"]
    assert not period.sheets.filter(person=world.people["staff_other"]).exists()


# Vetoes


def discipline(person: Person, effective: datetime.date) -> Discipline:
    return Discipline.objects.create(
        person=person,
        form=Discipline.Form.REPRIMAND,
        channel=Discipline.Channel.ADMINISTRATIVE,
        decision_number="01/QĐ-KL",
        decided_on=effective,
        effective_from=effective,
    )


def test_discipline_effective_on_31_december_vetoes_that_year(
    world: World, decided: Decided, open_year: OpenYear
) -> None:
    staff, other = world.people["staff"], world.people["staff_other"]
    decided(staff, FULL_YEAR, "95")
    decided(other, FULL_YEAR, "95")
    discipline(staff, day(12, 31))
    discipline(other, datetime.date(YEAR + 1, 1, 1))

    period = open_year()

    vetoed = sheet_of(period, staff)
    assert (vetoed.veto, vetoed.band, vetoed.proposed_level) == (
        "any_discipline",
        "excellent",
        "not_completed",
    )
    assert vetoed.veto_reason
    assert sheet_of(period, other).proposed_level == "excellent"
    with pytest.raises(AnnualError):
        decide_annual(vetoed, by=world.users["head"], level="completed", reason="Có tiến bộ")
    decided_sheet = decide_annual(vetoed, by=world.users["head"], level="not_completed")
    assert decided_sheet.decided_level == "not_completed"


# Leave, through the whole path


def test_leave_recorded_after_opening_caps_the_level_once_recomputed(
    world: World, decided: Decided, open_year: OpenYear
) -> None:
    staff = world.people["staff"]
    decided(staff, FULL_YEAR, "92")
    period = open_year()
    assert sheet_of(period, staff).proposed_level == "excellent"
    Leave.objects.create(person=staff, kind=Leave.Kind.SICK, start=day(5, 1), end=day(7, 31))

    changed = recompute_annual(period, by=world.users["hr"])

    sheet = sheet_of(period, staff)
    assert changed == 1
    assert (sheet.cap_level, sheet.proposed_level, sheet.days_absent) == (
        "completed",
        "completed",
        {"sick": 92},
    )
    assert sheet.score == Decimal("92.00")  # May–July were not counted, the rest are all 92
    assert AuditLog.objects.get(action="annual.recomputed").data["changed"] == 1
    with pytest.raises(AnnualError):
        decide_annual(sheet, by=world.users["head"], level="good", reason="Cố gắng")


def test_recomputing_leaves_decided_sheets_alone(
    world: World, decided: Decided, open_year: OpenYear
) -> None:
    staff = world.people["staff"]
    decided(staff, range(1, 12), "80")
    period = open_year()
    decide_annual(sheet_of(period, staff), by=world.users["head"], level="good")
    decided(world.people["manager"], FULL_YEAR, "70")
    decided(staff, [12], "10")

    recompute_annual(period, by=world.users["hr"])

    assert sheet_of(period, staff).score == Decimal("80.00")
    assert sheet_of(period, world.people["manager"]).status == AnnualSheet.Status.PENDING


# Deciding


def test_a_level_other_than_the_computed_one_needs_a_reason(
    world: World, decided: Decided, open_year: OpenYear, english: None
) -> None:
    staff = world.people["staff"]
    decided(staff, FULL_YEAR, "80")
    period = open_year()
    sheet = sheet_of(period, staff)

    with pytest.raises(AnnualError, match="Give the reason"):
        decide_annual(sheet, by=world.users["head"], level="completed")
    with pytest.raises(AnnualError, match="Only the head"):
        decide_annual(sheet, by=world.users["manager"], level="good")

    sheet = decide_annual(sheet, by=world.users["head"], level="completed", reason="Sai sót hồ sơ")

    assert (sheet.status, sheet.decided_level, sheet.decision_reason) == (
        AnnualSheet.Status.DECIDED,
        "completed",
        "Sai sót hồ sơ",
    )
    row = AuditLog.objects.get(action="annual.decided")
    assert row.data["before"]["status"] == "pending"
    assert row.data["after"]["decided_level"] == "completed"
    assert Notification.objects.filter(recipient=world.users["staff"], kind="annual.decided")
    with pytest.raises(AnnualError, match="can no longer change"):
        decide_annual(sheet, by=world.users["head"], level="good")


def test_nobody_decides_a_person_not_classified(
    world: World, open_year: OpenYear, english: None
) -> None:
    period = open_year()

    with pytest.raises(AnnualError, match="not classified"):
        decide_annual(sheet_of(period, world.people["staff"]), by=world.users["head"], level="good")


def test_the_decision_deadline_is_enforced(
    world: World, decided: Decided, open_year: OpenYear, english: None
) -> None:
    decided(world.people["staff"], FULL_YEAR, "80")
    period = open_year(decision_due=timezone.localdate() - datetime.timedelta(days=1))

    with pytest.raises(AnnualError, match="deadline for the annual decision"):
        decide_annual(sheet_of(period, world.people["staff"]), by=world.users["head"], level="good")


# The quota


def test_accept_all_fills_the_quota_and_leaves_the_rest_with_the_reason(
    world: World, decided: Decided, open_year: OpenYear, english: None
) -> None:
    goods = people(world, 8, "Tốt")
    tops = people(world, 3, "Xuất sắc")
    for person in goods:
        decided(person, FULL_YEAR, "80")
    for number, person in enumerate(tops):
        decided(person, FULL_YEAR, str(97 - number))
    period = open_year()
    head = world.users["head"]

    result = accept_all_annual(period, world.dept, by=head)

    levels = {sheet.person_id: sheet.decided_level for sheet in result.decided}
    assert [levels.get(person.pk) for person in goods] == ["good"] * 8
    assert [levels.get(person.pk) for person in tops] == ["excellent", None, None]
    assert len(result.skipped) == 2
    assert result.skipped[0].reason.startswith("Over the quota")
    second = sheet_of(period, tops[1])
    with pytest.raises(AnnualError, match="exception"):
        decide_annual(second, by=head, level="excellent")
    second = decide_annual(
        second, by=head, level="excellent", reason="Thành tích nổi bật", use_exception=True
    )
    assert second.quota_exception
    with pytest.raises(AnnualError, match="not allowed"):
        decide_annual(
            sheet_of(period, tops[2]),
            by=head,
            level="excellent",
            reason="Thành tích nổi bật",
            use_exception=True,
        )


# The head's cap (rulebook option)


def test_with_the_option_a_head_is_not_above_the_level_of_their_unit(
    world: World, decided: Decided, qnam: Rulebook, english: None
) -> None:
    hr = world.users["hr"]
    rulebook = clone_rulebook(qnam, by=hr, organisation=world.province, name="Quy tắc thử")
    annual = dict(rulebook.annual)
    annual["params"] = {**annual["params"], "head_not_above_unit": True}
    rulebook = update_rulebook_part(rulebook, by=hr, part="annual", value=annual)
    decided(world.people["head"], FULL_YEAR, "95")
    decided(world.people["staff"], FULL_YEAR, "80")
    decided(world.people["manager"], FULL_YEAR, "76")

    period = open_annual(
        world.province,
        YEAR,
        by=hr,
        rulebook=rulebook,
        decision_due=timezone.localdate() + datetime.timedelta(days=5),
    )

    head = sheet_of(period, world.people["head"])
    assert (head.band, head.cap_level, head.proposed_level) == ("excellent", "good", "good")
    assert "Head of Sở Nội vụ" in head.cap_reason
    assert sheet_of(period, world.people["head_other"]).cap_level == ""


# Closing


def test_closing_waits_for_every_decision_and_the_state_follows(
    world: World, decided: Decided, open_year: OpenYear, english: None
) -> None:
    decided(world.people["staff"], FULL_YEAR, "80")
    period = open_year(world.dept)
    hr = world.users["hr"]

    with pytest.raises(AnnualError, match="not decided yet"):
        close_annual(period, by=hr)
    decide_annual(sheet_of(period, world.people["staff"]), by=world.users["head"], level="good")
    period.refresh_from_db()
    assert period.state == AnnualPeriod.State.DECIDED

    period = close_annual(period, by=hr)

    assert period.state == AnnualPeriod.State.CLOSED
    assert AuditLog.objects.get(action="annual.closed").data["levels"] == {"good": 1, "": 3}
    with pytest.raises(AnnualError, match="closed"):
        recompute_annual(period, by=hr)
    assert Period.objects.exists()
