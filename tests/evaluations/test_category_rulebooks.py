"""Issue 14, contradiction 5: Nghị định 335 governs công chức. A rulebook applies per unit
AND staff category: HR sets the viên chức rulebook of a unit, each sheet records the rulebook
it is opened under, past sheets (no rulebook recorded) keep their period's."""

import datetime

import pytest
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.evaluations.models import CategoryRulebook, Rulebook, Sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.categories import assign_rulebook, rulebook_for, sheet_config
from danhgia.evaluations.services.rulebooks import clone_rulebook
from danhgia.organisations.models import StaffCategory
from tests.conftest import World
from tests.evaluations.conftest import OpenOctober, sheet_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def vien_chuc(world: World, nd335: Rulebook) -> Rulebook:
    """The shipped viên chức rulebook, assigned by HR to the viên chức of the province."""
    rulebook = Rulebook.objects.get(code="VC-2025", version=1)
    assign_rulebook(
        world.province,
        StaffCategory.PUBLIC_EMPLOYEE,
        rulebook,
        default=nd335,
        by=world.users["hr"],
    )
    return rulebook


def _category(world: World, key: str, category: str) -> None:
    person = world.people[key]
    person.staff_category = category
    person.save(update_fields=["staff_category"])


def test_a_public_employee_in_an_nd335_unit_is_scored_under_the_public_employees_rulebook(
    world: World, nd335: Rulebook, vien_chuc: Rulebook, open_october: OpenOctober
) -> None:
    _category(world, "staff", StaffCategory.PUBLIC_EMPLOYEE)

    period = open_october()

    assert period.rulebook == nd335
    employee = sheet_of(period, world.people["staff"])
    civil_servant = sheet_of(period, world.people["manager"])
    assert employee.rulebook == vien_chuc
    assert civil_servant.rulebook == nd335
    employee_rules, civil_rules = sheet_config(employee), sheet_config(civil_servant)
    # Nghị định 90/48's rules for the viên chức; Nghị định 335's for the công chức.
    assert "any_discipline" in employee_rules.vetoes
    assert "any_discipline" not in civil_rules.vetoes
    assert employee_rules.annual.params.min_months_worked == 6
    assert civil_rules.annual.params.min_months_worked == 0
    assert Rulebook.objects.get(pk=vien_chuc.pk).is_frozen  # used by a sheet: frozen


def test_a_contract_worker_follows_the_public_employees_and_a_cadre_the_period(
    world: World, nd335: Rulebook, vien_chuc: Rulebook, open_october: OpenOctober
) -> None:
    _category(world, "staff", StaffCategory.CONTRACT_WORKER)
    _category(world, "manager", StaffCategory.CADRE)

    period = open_october()

    assert sheet_of(period, world.people["staff"]).rulebook == vien_chuc
    assert sheet_of(period, world.people["manager"]).rulebook == nd335


def test_the_nearest_unit_assignment_applies_and_only_once_in_force(
    world: World, nd335: Rulebook, vien_chuc: Rulebook
) -> None:
    _category(world, "staff", StaffCategory.PUBLIC_EMPLOYEE)
    nd90 = Rulebook.objects.get(code="ND90-2020")
    assign_rulebook(
        world.division, StaffCategory.PUBLIC_EMPLOYEE, nd90, default=nd335, by=world.users["hr"]
    )
    staff = world.people["staff"]
    other = world.people["staff_other"]
    _category(world, "staff_other", StaffCategory.PUBLIC_EMPLOYEE)

    class Period:
        rulebook = nd335

    assert rulebook_for(staff, Period, datetime.date(2026, 10, 1)) == nd90  # its division's
    assert rulebook_for(other, Period, datetime.date(2026, 10, 1)) == vien_chuc  # province's
    # Before VC-2025 applies (2026), the period's rulebook.
    assert rulebook_for(other, Period, datetime.date(2025, 10, 1)) == nd335


def test_past_sheets_keep_their_periods_rulebook_and_opened_sheets_theirs(
    world: World, nd335: Rulebook, open_october: OpenOctober
) -> None:
    _category(world, "staff", StaffCategory.PUBLIC_EMPLOYEE)
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    assert sheet.rulebook == nd335  # no assignment yet: the period's
    # HR assigns VC-2025 afterwards: the sheet already opened keeps its rulebook.
    assign_rulebook(
        world.province,
        StaffCategory.PUBLIC_EMPLOYEE,
        Rulebook.objects.get(code="VC-2025"),
        default=nd335,
        by=world.users["hr"],
    )
    assert sheet_of(period, world.people["staff"]).rulebook == nd335
    # A sheet made before sheets recorded a rulebook (NULL) is scored under its period's.
    Sheet.objects.filter(pk=sheet.pk).update(rulebook=None)
    past = sheet_of(period, world.people["staff"])
    assert past.rulebook_id is None
    assert (
        sheet_config(past).vetoes == sheet_config(sheet_of(period, world.people["manager"])).vetoes
    )
    assert "any_discipline" not in sheet_config(past).vetoes


def test_the_assignment_is_audited_changed_and_removed(world: World, nd335: Rulebook) -> None:
    hr = world.users["hr"]
    vc = Rulebook.objects.get(code="VC-2025")
    nd90 = Rulebook.objects.get(code="ND90-2020")

    assign_rulebook(world.dept, StaffCategory.PUBLIC_EMPLOYEE, vc, default=nd335, by=hr)
    assign_rulebook(world.dept, StaffCategory.PUBLIC_EMPLOYEE, nd90, default=nd335, by=hr)
    assign_rulebook(world.dept, StaffCategory.PUBLIC_EMPLOYEE, None, default=nd335, by=hr)

    logs = AuditLog.objects.filter(action="rulebook.category_assigned").order_by("pk")
    assert [(log.data["before"], log.data["after"]) for log in logs] == [
        (None, {"code": "VC-2025", "version": 1}),
        ({"code": "VC-2025", "version": 1}, {"code": "ND90-2020", "version": 1}),
        ({"code": "ND90-2020", "version": 1}, None),
    ]
    assert {log.actor for log in logs} == {hr}
    assert not CategoryRulebook.objects.exists()


def test_an_assignment_with_incompatible_levels_or_by_another_is_refused(
    world: World, nd335: Rulebook
) -> None:
    hr = world.users["hr"]
    broken = clone_rulebook(nd335, by=hr, organisation=world.province, name="Hỏng")
    levels = {**broken.levels, "items": broken.levels["items"][:3]}  # no "not completed"
    Rulebook.objects.filter(pk=broken.pk).update(levels=levels)
    broken.refresh_from_db()

    with pytest.raises(EvaluationError, match="cannot be used here"):
        assign_rulebook(world.dept, StaffCategory.PUBLIC_EMPLOYEE, broken, default=nd335, by=hr)
    with pytest.raises(EvaluationError, match="Only the HR officer"):
        assign_rulebook(
            world.dept,
            StaffCategory.PUBLIC_EMPLOYEE,
            Rulebook.objects.get(code="VC-2025"),
            default=nd335,
            by=world.users["head"],
        )
    assert not CategoryRulebook.objects.exists()
    assert not AuditLog.objects.filter(action="rulebook.category_assigned").exists()


def test_the_page_sets_an_assignment_and_refuses_a_unit_out_of_scope(
    world: World,
    nd335: Rulebook,
    client,
    login,  # type: ignore[no-untyped-def]
) -> None:
    login(world.users["hr"])
    url = reverse("evaluations:category_rulebooks")
    vc = Rulebook.objects.get(code="VC-2025")

    response = client.post(
        url, {"unit": world.dept.pk, "staff_category": "vien_chuc", "rulebook": vc.pk}
    )

    assert response.status_code == 302
    row = CategoryRulebook.objects.get()
    assert (row.organisation, row.staff_category, row.rulebook) == (world.dept, "vien_chuc", vc)
    page = client.get(url)
    assert "VC-2025" in page.content.decode()

    login(world.users["head"])
    assert client.get(url).status_code == 403
