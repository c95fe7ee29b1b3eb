"""Importing units: new branches, paths, updates and moves."""

import datetime

import pytest

from danhgia.core.models import AuditLog
from danhgia.organisations.models import Unit, UnitKind
from tests.organisations.test_import_helpers import (
    UNITS_HEADER,
    confirm,
    counts,
    csv_text,
    problems,
    uploaded,
    xlsx,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_units_import_builds_paths_with_children_before_parents(world, login):
    client = login(world.users["hr"])
    rows = [
        UNITS_HEADER,
        ["SYT-KH", "Phòng Kế hoạch", "phong", "SYT", "01/01/2025"],
        ["SYT", "Sở Y tế", "Sở/Ban/Ngành", "TINH", datetime.datetime(2025, 1, 1)],
        ["BV", "Bệnh viện Đa khoa", "đơn vị sự nghiệp", "SYT", "15/03/2025"],
    ]
    batch = confirm(client, uploaded(client, xlsx(rows), "don-vi.xlsx", "units"))
    assert (batch.status, batch.created_count, batch.updated_count) == ("committed", 3, 0)
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=["SYT", "SYT-KH", "BV"])}
    syt = units["SYT"]
    assert (syt.parent, syt.kind, syt.depth) == (world.province, UnitKind.DEPARTMENT, 1)
    assert syt.path == f"{world.province.path}{syt.pk}/"
    assert units["SYT-KH"].path == f"{syt.path}{units['SYT-KH'].pk}/"
    assert units["BV"].kind == UnitKind.PUBLIC_SERVICE and units["BV"].depth == 2
    assert units["BV"].valid_from == datetime.date(2025, 3, 15)
    assert units["SYT-KH"].valid_from == datetime.date(2025, 1, 1)
    assert syt.search_text == "so y te syt"
    audit = AuditLog.objects.get(action="import.committed")
    assert sorted(audit.data["created_codes"]) == ["BV", "SYT", "SYT-KH"]


@pytest.mark.django_db
def test_reimport_renames_and_moves_a_unit_with_its_subtree(world, login):
    client = login(world.users["hr"])
    before = counts()
    rows = [UNITS_HEADER, ["SNV", "Sở Nội vụ tỉnh", "sở", "STC", "01/01/2020"]]
    batch = confirm(client, uploaded(client, csv_text(rows).encode(), "don-vi.csv", "units"))
    assert (batch.created_count, batch.updated_count) == (0, 1)
    assert counts() == before
    world.dept.refresh_from_db()
    world.division.refresh_from_db()
    assert (world.dept.name, world.dept.parent) == ("Sở Nội vụ tỉnh", world.dept_other)
    assert world.dept.path == f"{world.dept_other.path}{world.dept.pk}/"
    assert world.division.path == f"{world.dept.path}{world.division.pk}/"
    assert world.division.depth == 3


@pytest.mark.django_db
def test_admin_may_add_a_top_level_unit_and_end_one(world, login):
    client = login(world.users["admin"])
    rows = [
        UNITS_HEADER + ["Hiệu lực đến"],
        ["TINH2", "Tỉnh Mới", "tỉnh", "", "01/07/2025", ""],
        ["STC-NS", "Phòng Ngân sách", "phòng", "STC", "01/01/2020", "30/06/2025"],
    ]
    batch = confirm(client, uploaded(client, xlsx(rows), "don-vi.xlsx", "units"))
    assert batch.status == "committed", problems(batch)
    top = Unit.objects.get(code="TINH2")
    assert (top.parent, top.path, top.depth) == (None, f"/{top.pk}/", 0)
    world.division_other.refresh_from_db()
    assert world.division_other.valid_to == datetime.date(2025, 6, 30)


@pytest.mark.django_db
def test_hr_of_the_province_keeps_the_province_at_the_top(world, login):
    client = login(world.users["hr"])
    rows = [UNITS_HEADER, ["TINH", "Tỉnh Thử nghiệm", "tỉnh/thành phố", "", "01/01/2020"]]
    batch = uploaded(client, xlsx(rows), "don-vi.xlsx", "units")
    assert (batch.status, batch.created_count, batch.updated_count) == ("previewed", 0, 0)
