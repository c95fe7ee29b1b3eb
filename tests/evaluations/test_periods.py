"""Periods: opening (rulebook, deadlines, a computed sheet for everyone), late sheets, moving
on, closing, the bulk reviewer/decider rule and the command for a timer."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from danhgia.core.models import AuditLog
from danhgia.evaluations.facts import authority_for_people, fetch_authority_roles
from danhgia.evaluations.models import Period, Rulebook, Sheet, SheetTaskLine
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.periods import (
    add_sheet,
    advance_period,
    applicable_rulebook,
    change_deadlines,
    close_period,
    open_period,
    period_bounds,
)
from danhgia.evaluations.services.sheets import (
    current_lines,
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.authority import decider_for, manager_for
from danhgia.organisations.models import Person, Role, Unit, UnitKind, UnitRole
from tests.conftest import World
from tests.evaluations.conftest import (
    FULL_SCORES,
    OCT,
    OCT_END,
    MakeTask,
    OpenOctober,
    future_deadlines,
    oct_,
    sheet_of,
)
from tests.factories import JobPositionFactory, PersonFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english")


# Opening


@pytest.mark.django_db
def test_open_period_creates_a_computed_sheet_for_everyone(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    position = JobPositionFactory(code="CV-TH")
    Person.objects.filter(pk=world.people["staff"].pk).update(job_position=position)
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october()
    assert (period.start, period.end, period.state) == (OCT, OCT_END, Period.State.OPEN)
    people = set(Person.objects.values_list("pk", flat=True))
    assert set(period.sheets.values_list("person_id", flat=True)) == people
    sheet = sheet_of(period, world.people["staff"])
    assert (sheet.unit, sheet.title, sheet.task_group) == (world.division, "Chuyên viên", "CV-TH")
    assert (sheet.reviewer, sheet.decider) == (world.users["manager"], world.users["head"])
    assert (sheet.quantity_pct, sheet.task_points, sheet.total, sheet.band) == (
        Decimal("100.000"),
        Decimal("70.00"),
        Decimal("70.00"),
        "good",
    )
    # No task line is written at opening: the draft shows them computed from its tasks.
    assert sheet.task_lines.count() == 0
    assert [line.converted_done for line in current_lines(sheet)] == [Decimal(1)]
    assert sheet.computed_at is not None


@pytest.mark.django_db
def test_opening_freezes_the_rulebook_and_writes_one_audit_row(
    world: World, open_october: OpenOctober, nd335: Rulebook
) -> None:
    before = AuditLog.objects.count()
    period = open_october()
    nd335.refresh_from_db()
    assert nd335.is_frozen
    assert period.rulebook == nd335
    actions = list(
        AuditLog.objects.filter(id__gt=before).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["rulebook.frozen", "period.opened"]
    opened = AuditLog.objects.get(action="period.opened")
    assert opened.data["sheets"] == Person.objects.count()
    assert opened.data["rulebook"] == {"code": "ND335-2025", "version": 4}
    assert opened.actor == world.users["hr"]


@pytest.mark.django_db
def test_deadlines_default_to_the_rulebooks_days_after_the_end(
    world: World, nd335: Rulebook
) -> None:
    period = open_period(world.province, OCT, by=world.users["hr"])
    assert (period.self_evaluation_due, period.review_due, period.decision_due) == (
        datetime.date(2026, 11, 3),
        datetime.date(2026, 11, 5),
        datetime.date(2026, 11, 7),
    )


@pytest.mark.django_db
def test_deadlines_out_of_order_are_refused(world: World, nd335: Rulebook) -> None:
    due = future_deadlines()
    due["review_due"] = due["self_evaluation_due"] - datetime.timedelta(days=1)
    with pytest.raises(EvaluationError, match="in this order"):
        open_period(world.province, OCT, by=world.users["hr"], deadlines=due)
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_the_default_rulebook_is_the_latest_applicable_own_clone_first(
    world: World, nd335: Rulebook
) -> None:
    qnam = Rulebook.objects.get(code="QNAM-2022")
    assert applicable_rulebook(world.dept, OCT) == nd335
    assert applicable_rulebook(world.dept, datetime.date(2025, 10, 1)) == qnam
    clone = Rulebook.objects.create(
        **{
            name: getattr(nd335, name)
            for name in ("criteria", "task_scoring", "levels", "vetoes", "quota", "annual")
        },
        deadlines=nd335.deadlines,
        code="SNV-2026",
        name="Quy chế Sở Nội vụ",
        legal_source="Quyết định của Sở",
        applies_from=datetime.date(2026, 3, 1),
        organisation=world.province,
        based_on=nd335,
        created_at=timezone.now(),
    )
    assert applicable_rulebook(world.dept, OCT) == clone
    assert applicable_rulebook(world.dept, datetime.date(2026, 2, 1)) == nd335


@pytest.mark.django_db
def test_period_opens_once_and_not_over_another(world: World, open_october: OpenOctober) -> None:
    open_october()
    with pytest.raises(EvaluationError, match="already open"):
        open_october()
    with pytest.raises(EvaluationError, match="already covers these people"):
        open_october(world.dept)
    with pytest.raises(EvaluationError, match="already covers these people"):
        open_period(world.dept, datetime.date(2026, 10, 1), kind="quarter", by=None)


@pytest.mark.django_db
def test_only_hr_or_admin_opens_a_period(world: World, open_october: OpenOctober) -> None:
    with pytest.raises(EvaluationError, match="Only the HR officer"):
        open_october(by=world.users["head"])
    with pytest.raises(EvaluationError, match="first day"):
        open_period(world.province, oct_(2), by=world.users["hr"])
    assert open_october(by=world.users["admin"]).opened_by == world.users["admin"]


@pytest.mark.django_db
def test_people_active_on_any_day_of_the_period_get_a_sheet(
    world: World, open_october: OpenOctober
) -> None:
    left = PersonFactory(unit=world.division, active_to=oct_(3))
    joined = PersonFactory(unit=world.division, active_from=oct_(31))
    gone = PersonFactory(unit=world.division, active_to=datetime.date(2026, 9, 30))
    later = PersonFactory(unit=world.division, active_from=datetime.date(2026, 11, 1))
    period = open_october()
    people = set(period.sheets.values_list("person_id", flat=True))
    assert {left.pk, joined.pk} <= people
    assert not {gone.pk, later.pk} & people


@pytest.mark.django_db
def test_a_quarter(world: World, open_october: OpenOctober) -> None:
    assert period_bounds(datetime.date(2026, 11, 15), "quarter") == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    january = {
        "self_evaluation_due": datetime.date(2027, 1, 5),
        "review_due": datetime.date(2027, 1, 10),
        "decision_due": datetime.date(2027, 1, 15),
    }
    period = open_october(kind="quarter", deadlines=january)
    assert (period.start, period.end) == (OCT, datetime.date(2026, 12, 31))


# Leaders


@pytest.mark.django_db
def test_leaders_get_d_and_dd_from_their_staff_and_unit(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    Person.objects.filter(pk__in=[world.people["manager"].pk, world.people["head"].pk]).update(
        is_leader=True
    )
    make_task(done_on=oct_(10), meets_quality=True)
    make_task(done_on=oct_(10), meets_quality=False)
    make_task("manager", by="head", done_on=oct_(12), meets_quality=True)
    period = open_october()
    manager = sheet_of(period, world.people["manager"])
    staff = sheet_of(period, world.people["staff"])
    # The staff member scores 0 + 70 × (100 + 50 + 100) / 300 = 58.33: "completed", so d = 100.
    assert (staff.total, staff.band) == (Decimal("58.33"), "completed")
    assert manager.unit_result_pct == Decimal("100.000")
    # đ is assessed by the reviewer (version 2): until then, the provisional 100 %.
    assert manager.organising_pct == Decimal("100.000")
    assert manager.uniting_pct == Decimal("100.000")
    head = sheet_of(period, world.people["head"])
    assert head.unit_result_pct is not None
    assert not sheet_of(period, world.people["hr"]).unit_result_pct


# Reviewers and deciders for many people at once


def _assert_bulk_agrees(world: World, month: datetime.date) -> None:
    first = month
    last = period_bounds(month, "month")[1]
    people = list(Person.objects.select_related("unit"))
    roles = fetch_authority_roles(first, last, within=world.province)
    bulk = authority_for_people(people, first, last, roles)
    for person in people:
        decider = decider_for(person, month)
        manager = manager_for(person, month)
        assert bulk[person.pk].decider_id == (decider.pk if decider else None), person
        assert bulk[person.pk].reviewer_id == (manager.pk if manager else None), person


def _head(user, unit, **extra):  # type: ignore[no-untyped-def]
    extra.setdefault("valid_from", datetime.date(2020, 1, 1))
    return UnitRole.objects.create(user=user, unit=unit, role=Role.HEAD, **extra)


@pytest.mark.django_db
def test_bulk_authority_agrees_with_authority_on_the_world(world: World) -> None:
    _assert_bulk_agrees(world, OCT)


@pytest.mark.django_db
def test_bulk_authority_agrees_on_the_edge_cases(world: World) -> None:
    chair = UserFactory(username="chutich")
    PersonFactory(full_name="Chủ Tịch Tỉnh", unit=world.province, user=chair)
    _head(chair, world.province)
    # A vacant headship from mid-month, an acting head from then on.
    UnitRole.objects.filter(user=world.users["head"]).update(valid_to=oct_(14))
    acting = UserFactory(username="quyen")
    PersonFactory(full_name="Quyền Giám Đốc", unit=world.dept, user=acting)
    _head(acting, world.dept, acting=True, valid_from=oct_(15))
    # A substantive and an acting head of the same start in the other department.
    other_acting = UserFactory(username="quyen2")
    PersonFactory(full_name="Quyền Giám Đốc 2", unit=world.dept_other, user=other_acting)
    _head(other_acting, world.dept_other, acting=True)
    # A person heading two units; a manager made head of their own division.
    school = UnitFactory(
        code="TRUONG", name="Trường Thử", parent=world.dept_other, kind=UnitKind.PUBLIC_SERVICE
    )
    _head(world.users["head_other"], school)
    PersonFactory(full_name="Giáo Viên", unit=school)
    _head(world.users["manager"], world.division)
    # A second manager of the division who left in September, and a person without a login.
    former = UserFactory(username="cu")
    UnitRole.objects.create(
        user=former,
        unit=world.division,
        role=Role.MANAGER,
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2026, 9, 30),
    )
    PersonFactory(full_name="Không Đăng Nhập", unit=world.division_other)
    for month in (datetime.date(2026, 9, 1), OCT, datetime.date(2026, 11, 1)):
        _assert_bulk_agrees(world, month)


@pytest.mark.django_db
def test_sheets_name_the_reviewer_and_decider_of_authority(
    world: World, open_october: OpenOctober
) -> None:
    chair = UserFactory(username="chutich")
    PersonFactory(full_name="Chủ Tịch Tỉnh", unit=world.province, user=chair)
    _head(chair, world.province)
    period = open_october()
    for sheet in period.sheets.select_related("person__unit"):
        assert sheet.decider == decider_for(sheet.person, OCT)
        assert sheet.reviewer == manager_for(sheet.person, OCT)


# Scale


def _organisation_with(count: int, code: str) -> Unit:
    root = UnitFactory(code=code, name=f"Sở {code}")
    division = UnitFactory(code=f"{code}-P", parent=root, kind=UnitKind.DIVISION)
    head = UserFactory(username=f"{code}-head")
    PersonFactory(unit=root, user=head, is_leader=True)
    UnitRole.objects.create(
        user=head, unit=root, role=Role.HEAD, valid_from=datetime.date(2020, 1, 1)
    )
    for number in range(count):
        person = PersonFactory(unit=division, user=UserFactory(username=f"{code}-{number}"))
        from danhgia.work.models import Task

        Task.objects.create(
            title="Nhiệm vụ",
            unit=division,
            owner=person,
            assigned_by=head,
            source=Task.Source.ASSIGNMENT,
            start_date=OCT,
            due_date=oct_(20),
            deadline=oct_(20),
        )
    return root


@pytest.mark.django_db
def test_opening_takes_the_same_queries_for_3_and_10_people(world: World, nd335: Rulebook) -> None:
    Rulebook.objects.filter(pk=nd335.pk).update(frozen_at=timezone.now())  # frozen once only
    counts = []
    for count, code in ((3, "QA"), (10, "QB")):
        organisation = _organisation_with(count, code)
        with CaptureQueriesContext(connection) as queries:
            period = open_period(organisation, OCT, by=None, deadlines=future_deadlines())
        assert period.sheets.count() == count + 1
        assert SheetTaskLine.objects.filter(sheet__period=period).count() == 0
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Late sheets, deadlines, moving on, closing


@pytest.mark.django_db
def test_add_sheet_for_someone_who_joined_later(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    period = open_october()
    newcomer = PersonFactory(
        unit=world.division, user=UserFactory(username="moi"), active_from=oct_(20)
    )
    world.people["newcomer"] = newcomer
    make_task("newcomer", done_on=oct_(25), meets_quality=True)
    sheet = add_sheet(period, newcomer, by=world.users["hr"])
    assert (sheet.reviewer, sheet.decider) == (world.users["manager"], world.users["head"])
    assert sheet.task_points == Decimal("70.00")
    assert AuditLog.objects.filter(action="period.sheet_added", object_id=str(period.pk)).exists()
    with pytest.raises(EvaluationError, match="already has a sheet"):
        add_sheet(period, newcomer, by=world.users["hr"])
    stranger = PersonFactory(unit=UnitFactory(code="NGOAI"))
    with pytest.raises(EvaluationError, match="is not in"):
        add_sheet(period, stranger, by=world.users["hr"])


def _decide_everyone(world: World, period: Period) -> None:
    """Everyone scores themself fully; the reviewer reviews; the decider decides the band."""
    for sheet in period.sheets.select_related("person"):
        owner = sheet.person.user
        save_self_evaluation(sheet, by=owner, scores=FULL_SCORES, proposed_level="completed")
        submit_self_evaluation(sheet, by=owner)
        sheet.refresh_from_db()
        if sheet.reviewer_id and sheet.reviewer_id != sheet.decider_id:
            submit_review(sheet, by=sheet.reviewer, scores=FULL_SCORES, proposed_level=sheet.band)
            sheet.refresh_from_db()
        if sheet.decider_id:
            decide_sheet(sheet, by=sheet.decider, level=sheet.band)


@pytest.mark.django_db
def test_period_moves_on_and_closes_only_when_everything_is_decided(
    world: World, open_october: OpenOctober
) -> None:
    chair = UserFactory(username="chutich")
    PersonFactory(full_name="Chủ Tịch Tỉnh", unit=world.province, user=chair)
    _head(chair, world.province)
    period = open_october(world.dept)
    with pytest.raises(EvaluationError, match="still evaluating themselves"):
        advance_period(period, by=world.users["hr"])
    with pytest.raises(EvaluationError, match="not decided yet"):
        close_period(period, by=world.users["hr"])
    with pytest.raises(EvaluationError, match="Only the HR officer"):
        advance_period(period, by=world.users["staff"])
    _decide_everyone(world, period)
    period = advance_period(period, by=world.users["hr"])
    assert period.state == Period.State.REVIEWING
    period = advance_period(period, by=world.users["hr"])
    assert period.state == Period.State.DECIDED
    period = close_period(period, by=world.users["hr"])
    assert period.state == Period.State.CLOSED
    assert period.closed_at is not None
    with pytest.raises(EvaluationError, match="already closed"):
        close_period(period, by=world.users["hr"])
    with pytest.raises(EvaluationError, match="no sheet can be added"):
        add_sheet(period, PersonFactory(unit=world.division), by=world.users["hr"])
    actions = list(
        AuditLog.objects.filter(object_type="evaluations.period")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["period.opened", "period.advanced", "period.advanced", "period.closed"]
    closed = AuditLog.objects.get(action="period.closed")
    assert sum(closed.data["levels"].values()) == period.sheets.count()


@pytest.mark.django_db
def test_the_period_moves_on_after_the_self_evaluation_deadline(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    change_deadlines(period, by=world.users["hr"], deadlines={"self_evaluation_due": yesterday})
    assert advance_period(period, by=world.users["hr"]).state == Period.State.REVIEWING
    entry = AuditLog.objects.get(action="period.deadlines_changed")
    assert entry.data["after"]["self_evaluation_due"] == yesterday.isoformat()


# The command for a timer


@pytest.mark.django_db
def test_open_period_command_is_idempotent(world: World, nd335: Rulebook, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("open_period", "--organisation", "SNV", "--month", "2026-10")
    period = Period.objects.get()
    assert (period.organisation, period.start, period.opened_by) == (world.dept, OCT, None)
    assert "Opened" in capsys.readouterr().out
    call_command("open_period", "--organisation", "SNV", "--month", "2026-10")
    assert "already open" in capsys.readouterr().out
    assert Period.objects.count() == 1
    assert (
        Sheet.objects.filter(period=period).count()
        == Person.objects.filter(unit__path__startswith=world.dept.path).count()
    )


@pytest.mark.django_db
def test_open_period_command_for_a_quarter(world: World, nd335: Rulebook) -> None:
    call_command("open_period", "--organisation", "TINH", "--month", "2026-11", "--kind", "quarter")
    period = Period.objects.get()
    assert (period.kind, period.start, period.end) == ("quarter", OCT, datetime.date(2026, 12, 31))
