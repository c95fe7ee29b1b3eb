"""Issue 14, contradiction 5, the year: a viên chức of a unit under Nghị định 335 is
classified under the viên chức rulebook (Nghị định 90/48's absence cap), a công chức under
Nghị định 335 (the time worked, Art. 21); the annual form is that of the regime: no Nghị định
90 Mẫu 02 for a công chức in 2026, Mẫu 03 for the viên chức, Mẫu 02 kept for a year under
Nghị định 90's rules."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from danhgia.annual.models import AnnualSheet
from danhgia.annual.services import annual_sheet_config, open_annual
from danhgia.core import clock
from danhgia.evaluations.models import Leave, Period, Rulebook, Sheet
from danhgia.evaluations.services.categories import assign_rulebook
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from danhgia.organisations.models import Person, StaffCategory
from danhgia.reports.exports import documents
from tests.conftest import VIETNAM, World
from tests.reports.exports.test_pdf import one_line, pdf_text

YEAR = 2026


def _month(world: World, month: int, rulebook: Rulebook) -> Period:
    first = datetime.date(YEAR, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    period, _ = Period.objects.get_or_create(
        organisation=world.province,
        kind=Period.Kind.MONTH,
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
    return period


def _worked(world: World, person: Person, rulebook: Rulebook) -> None:
    """95 every month but April to June, on sick leave."""
    for month in [1, 2, 3, 7, 8, 9, 10, 11, 12]:
        Sheet.objects.create(
            period=_month(world, month, rulebook),
            person=person,
            unit=person.unit,
            total=Decimal(95),
            band="excellent",
            status=Sheet.Status.DECIDED,
            decided_level="excellent",
        )
    Leave.objects.create(
        person=person,
        kind=Leave.Kind.SICK,
        start=datetime.date(YEAR, 4, 1),
        end=datetime.date(YEAR, 6, 30),
    )


@pytest.fixture
def year(world: World, time_machine: Any) -> Any:
    """The year 2026 of the province, opened in January 2027, its viên chức under VC-2025."""
    time_machine.move_to(datetime.datetime(2027, 1, 10, 9, 0, tzinfo=VIETNAM), tick=True)
    ensure_shipped_rulebooks()
    nd335 = Rulebook.objects.filter(code="ND335-2025").order_by("-version").first()
    assert nd335 is not None
    assign_rulebook(
        world.province,
        StaffCategory.PUBLIC_EMPLOYEE,
        Rulebook.objects.get(code="VC-2025"),
        default=nd335,
        by=world.users["hr"],
    )
    employee = world.people["staff"]
    employee.staff_category = StaffCategory.PUBLIC_EMPLOYEE
    employee.save(update_fields=["staff_category"])
    for person in (employee, world.people["manager"]):
        _worked(world, person, nd335)

    def sheet(key: str) -> AnnualSheet:
        return AnnualSheet.objects.select_related(
            "annual_period__rulebook", "rulebook", "person", "unit__parent"
        ).get(person=world.people[key])

    period = open_annual(
        world.province,
        YEAR,
        by=world.users["hr"],
        decision_due=datetime.date(2027, 1, 31),
    )
    assert period.rulebook == nd335
    return sheet


def test_a_public_employee_is_capped_by_nd90_and_a_civil_servant_is_not(year: Any) -> None:
    employee, civil_servant = year("staff"), year("manager")

    assert employee.rulebook.code == "VC-2025"
    assert (employee.band, employee.cap_level, employee.proposed_level) == (
        "excellent",
        "completed",
        "completed",
    )
    assert civil_servant.rulebook.code == "ND335-2025"
    assert (civil_servant.cap_level, civil_servant.proposed_level) == ("", "excellent")


def test_the_annual_form_is_that_of_the_regime(
    year: Any, world: World, tmp_path: Path, english_pages: None
) -> None:
    from django.utils import translation

    with translation.override("en"):
        civil = one_line(pdf_text(documents.annual_pdf([year("manager")]), tmp_path))
        employee = one_line(pdf_text(documents.annual_pdf([year("staff")]), tmp_path))

    assert "Form No." not in civil  # Nghị định 335: not Nghị định 90's Mẫu 02
    assert "EVALUATION AND CLASSIFICATION FORM OF A CIVIL SERVANT" in civil
    assert "Form No. 03" in employee
    assert "EVALUATION AND CLASSIFICATION FORM OF A PUBLIC EMPLOYEE" in employee
    assert documents.annual_filename(year("manager")).startswith("phieu-danh-gia-")
    assert documents.annual_filename(year("staff")).startswith("mau-03-")


def test_a_year_under_nd90_rules_keeps_its_form_number(year: Any) -> None:
    """A sheet made before sheets recorded a rulebook, of a year under a rulebook naming no
    forms (ND90-2020), prints Nghị định 90's Mẫu 02 as before."""
    sheet = year("manager")
    nd90 = Rulebook.objects.get(code="ND90-2020")
    sheet.annual_period.rulebook = nd90
    sheet.rulebook = None
    sheet.rulebook_id = None

    assert documents.annual_form_context(sheet, annual_sheet_config(sheet))["form"] == "02"
