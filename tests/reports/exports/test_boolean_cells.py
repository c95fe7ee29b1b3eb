"""No Excel file we write holds Excel's TRUE/FALSE: every boolean is "Có" or "Không".

Each workbook: the month export, the supervision report, the unit and people exports, and the
import templates of people, units and products."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from danhgia.evaluations.models import Sheet
from danhgia.reports.exports import documents
from tests.conftest import World
from tests.reports.exports.test_xlsx import OCTOBER


def boolean_cells(data: bytes) -> list[str]:
    """Where a workbook holds a boolean ("Sheet!B2"), however it was written."""
    book = load_workbook(io.BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "b" or isinstance(cell.value, bool)
    ]


def column(data: bytes, header: str) -> list[object]:
    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].values)
    index = list(rows[0]).index(header)
    return [row[index] for row in rows[1:]]


def _get(client: Client, url: str, **params: str) -> bytes:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url, params)
    assert response.status_code == 200
    content = getattr(response, "streaming_content", None)
    return b"".join(content) if content is not None else response.content


@pytest.mark.django_db
def test_the_month_export_writes_leader_and_quota_exception_as_words(
    world: World, decided_sheet: Sheet, english: None, tmp_path: Path
) -> None:
    Sheet.objects.filter(person=world.people["head"]).update(is_leader=True)
    target = tmp_path / "month.xlsx"
    documents.write_month_workbook(world.dept, OCTOBER, str(target))
    data = target.read_bytes()
    assert boolean_cells(data) == []
    assert sorted(column(data, "Leader")) == ["Có", "Không", "Không", "Không"]
    assert set(column(data, "Quota exception")) == {"Không"}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["people", "units"])
def test_the_unit_and_people_exports_hold_no_boolean(world: World, login: Any, kind: str) -> None:
    manager = world.people["manager"]
    manager.is_leader = True
    manager.save(update_fields=["is_leader"])
    data = _get(login(world.users["hr"]), reverse("organisations:export_data", args=[kind]))
    assert boolean_cells(data) == []
    if kind == "people":
        leaders = dict(zip(column(data, "Mã cán bộ"), column(data, "Lãnh đạo"), strict=True))
        assert (leaders["E-manager"], leaders["E-staff"]) == ("Có", "Không")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "args"),
    [
        ("organisations:import_template", ["people"]),
        ("organisations:import_template", ["units"]),
        ("work:product_template", []),
    ],
)
def test_the_import_templates_hold_no_boolean(
    world: World, login: Any, url: str, args: list[str]
) -> None:
    data = _get(login(world.users["hr"]), reverse(url, args=args))
    assert boolean_cells(data) == []
    if args == ["people"]:
        assert column(data, "Lãnh đạo") == ["Không"]


@pytest.mark.django_db
def test_the_supervision_report_holds_no_boolean(
    world: World, decided_sheet: Sheet, login: Any
) -> None:
    url = reverse("dashboards:supervision_xlsx")
    data = _get(login(world.users["supervisor"]), url, thang="2026-10")
    assert boolean_cells(data) == []
