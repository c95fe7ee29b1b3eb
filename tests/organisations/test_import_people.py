"""Importing people: encodings, headers, dates, re-import, commit and its audit row."""

import codecs
import datetime
import unicodedata

import pytest
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.organisations.models import ImportBatch, JobPosition, Person, StaffCategory
from tests.factories import JobPositionFactory
from tests.organisations.test_import_helpers import (
    PEOPLE_HEADER,
    confirm,
    counts,
    cp1258,
    csv_text,
    person_row,
    problems,
    uploaded,
    xlsx,
)

NAME = "Nguyễn Thị Ánh Tuyết"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _csv_bytes(encoding: str) -> tuple[bytes, str]:
    rows = [PEOPLE_HEADER, person_row("NV-9", NAME)]
    if encoding == "utf-8":
        return csv_text(rows).encode("utf-8"), "nhan-su.csv"
    if encoding == "utf-8-bom":
        return codecs.BOM_UTF8 + csv_text(rows, ";").encode("utf-8"), "nhan-su.csv"
    if encoding == "utf-16":
        return csv_text(rows, "\t").encode("utf-16"), "nhan-su.txt"
    return cp1258(csv_text(rows, ";")), "nhan-su.csv"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-bom", "utf-16", "cp1258"])
def test_csv_encodings_import_the_same_nfc_name(world, login, encoding):
    client = login(world.users["hr"])
    data, name = _csv_bytes(encoding)
    batch = uploaded(client, data, name)
    assert (batch.status, batch.errors, batch.row_count) == ("previewed", [], 1)
    confirm(client, batch)
    person = Person.objects.get(employee_code="NV-9")
    assert person.full_name == unicodedata.normalize("NFC", NAME)
    assert (person.unit, person.active_from) == (world.division, datetime.date(2024, 2, 1))


@pytest.mark.django_db
def test_nfd_names_are_stored_as_nfc(world, login):
    client = login(world.users["hr"])
    nfd = unicodedata.normalize("NFD", NAME)
    assert nfd != NAME
    batch = uploaded(client, xlsx([PEOPLE_HEADER, person_row("NV-9", nfd, title="Phó phòng")]))
    confirm(client, batch)
    person = Person.objects.get(employee_code="NV-9")
    assert person.full_name == unicodedata.normalize("NFC", NAME)
    assert person.search_text == "nguyen thi anh tuyet nv-9"


@pytest.mark.django_db
def test_headers_without_accents_and_other_names_are_accepted(world, login):
    client = login(world.users["hr"])
    header = ["MA NHAN SU", "ho va ten", "don vi", "loai", "LANH DAO", "tu ngay"]
    rows = [
        header,
        ["NV-9", NAME, "SNV", "Vien Chuc", "x", "01/02/2024"],
        ["NV-10", "Lê Văn Cường", "SNV", "cán bộ", "1", "01/02/2024"],
    ]
    confirm(client, uploaded(client, xlsx(rows)))
    first, second = (
        Person.objects.get(employee_code="NV-9"),
        Person.objects.get(employee_code="NV-10"),
    )
    assert (first.staff_category, first.is_leader) == (StaffCategory.PUBLIC_EMPLOYEE, True)
    assert (second.staff_category, second.is_leader) == (StaffCategory.CADRE, True)


@pytest.mark.django_db
def test_excel_dates_text_dates_and_numeric_codes(world, login):
    client = login(world.users["hr"])
    rows = [
        PEOPLE_HEADER,
        person_row(1234.0, "Lê Văn Cường", start=datetime.datetime(2023, 5, 4)),
        person_row(1235, "Lê Thị Dung", start="4/5/2023", end="31-12-2025"),
        person_row("NV-3", "Lê Văn Em", start="2023-05-04"),
    ]
    confirm(client, uploaded(client, xlsx(rows)))
    codes = ["1234", "1235", "NV-3"]
    people = {p.employee_code: p for p in Person.objects.filter(employee_code__in=codes)}
    assert sorted(people) == ["1234", "1235", "NV-3"]
    assert {p.active_from for p in people.values()} == {datetime.date(2023, 5, 4)}
    assert people["1235"].active_to == datetime.date(2025, 12, 31)


@pytest.mark.django_db
def test_empty_rows_are_skipped_and_row_numbers_follow_excel(world, login):
    client = login(world.users["hr"])
    rows = [
        PEOPLE_HEADER,
        person_row("NV-1"),
        [None] * 9,
        ["", "  "],
        person_row("NV-2", "Lê Văn Cường"),
    ]
    batch = uploaded(client, xlsx(rows, title="DANH SÁCH CÁN BỘ NĂM 2024"))
    assert (batch.status, batch.row_count, batch.created_count) == ("previewed", 2, 2)
    assert [row["row"] for row in batch.preview] == [4, 7]


@pytest.mark.django_db
def test_preview_page_shows_counts_and_rows_then_commit_writes_one_audit_row(world, login):
    client = login(world.users["hr"])
    rows = [
        PEOPLE_HEADER,
        person_row("NV-1"),
        person_row("E-staff", "Nguyễn Văn An", title="Phó phòng"),
    ]
    batch = uploaded(client, xlsx(rows))
    assert (batch.row_count, batch.created_count, batch.updated_count) == (2, 1, 1)
    page = client.get(reverse("organisations:import_preview", args=[batch.pk])).content.decode()
    assert "Trần Văn Bình" in page and "Confirm import" in page and "01/02/2024" in page
    before = counts()
    assert Person.objects.get(employee_code="E-staff").title == "Chuyên viên"
    batch = confirm(client, batch)
    assert batch.status == ImportBatch.Status.COMMITTED
    assert counts() == (before[0], before[1] + 1, before[2])
    assert Person.objects.get(employee_code="E-staff").title == "Phó phòng"
    entry = AuditLog.objects.get(action="import.committed")
    assert entry.object_id == str(batch.pk) and entry.actor == world.users["hr"]
    assert {key: entry.data[key] for key in ("kind", "rows", "created", "updated")} == {
        "kind": "people",
        "rows": 2,
        "created": 1,
        "updated": 1,
    }
    assert (entry.data["created_codes"], entry.data["updated_codes"]) == (["NV-1"], ["E-staff"])
    assert entry.data["sha256"] == batch.sha256 and len(batch.sha256) == 64


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(world, login):
    client = login(world.users["hr"])
    confirm(client, uploaded(client, xlsx([PEOPLE_HEADER, person_row("NV-1")])))
    before = counts()
    rows = [
        PEOPLE_HEADER,
        person_row("NV-1", "Trần Văn Bính", "SNV", title="Trưởng phòng", leader="có"),
    ]
    batch = confirm(client, uploaded(client, xlsx(rows)))
    assert (batch.created_count, batch.updated_count) == (0, 1)
    assert counts() == before
    person = Person.objects.get(employee_code="NV-1")
    assert (person.full_name, person.unit, person.title, person.is_leader) == (
        "Trần Văn Bính",
        world.dept,
        "Trưởng phòng",
        True,
    )
    again = uploaded(client, xlsx(rows))
    assert (again.created_count, again.updated_count, again.row_count) == (0, 0, 1)


@pytest.mark.django_db
def test_absent_columns_keep_their_values_on_update(world, login):
    client = login(world.users["hr"])
    staff = world.people["staff"]
    staff.email = "an@example.vn"
    staff.save()
    rows = [
        ["Mã cán bộ", "Họ và tên", "Đơn vị", "Ngạch/Loại"],
        ["E-staff", "Nguyễn Văn An", "SNV-CC", "viên chức"],
    ]
    confirm(client, uploaded(client, xlsx(rows)))
    staff.refresh_from_db()
    assert (staff.email, staff.title, staff.staff_category) == (
        "an@example.vn",
        "Chuyên viên",
        "vien_chuc",
    )
    assert staff.user == world.users["staff"]


@pytest.mark.django_db
def test_job_positions_known_new_with_name_and_reused(world, login):
    client = login(world.users["hr"])
    JobPositionFactory(code="VT-CV", name="Chuyên viên")
    header = [*PEOPLE_HEADER, "Vị trí việc làm", "Tên vị trí việc làm"]
    rows = [
        header,
        [*person_row("NV-1"), "VT-CV", ""],
        [*person_row("NV-2", "Lê Văn Cường"), "VT-KT", "Kế toán viên"],
        [*person_row("NV-3", "Lê Văn Em"), "VT-KT", ""],
    ]
    batch = confirm(client, uploaded(client, xlsx(rows)))
    assert batch.status == "committed"
    assert list(JobPosition.objects.order_by("code").values_list("code", "name")) == [
        ("VT-CV", "Chuyên viên"),
        ("VT-KT", "Kế toán viên"),
    ]
    positions = dict(
        Person.objects.filter(employee_code__startswith="NV-").values_list(
            "employee_code", "job_position__code"
        )
    )
    assert positions == {"NV-1": "VT-CV", "NV-2": "VT-KT", "NV-3": "VT-KT"}
    audit = AuditLog.objects.get(action="import.committed")
    assert audit.data["job_positions_created"] == ["VT-KT"]


@pytest.mark.django_db
def test_commit_rechecks_the_file_and_rejects_when_data_changed(world, login):
    from tests.factories import UnitFactory

    client = login(world.users["hr"])
    new_unit = UnitFactory(code="MOI", name="Phòng Mới", parent=world.dept)
    batch = uploaded(client, xlsx([PEOPLE_HEADER, person_row("NV-1", unit="MOI")]))
    assert batch.status == "previewed"
    new_unit.delete()
    before = counts()
    batch = confirm(client, batch)
    assert batch.status == "rejected"
    assert problems(batch) == [(2, "Đơn vị", "Unit code MOI does not exist.")]
    assert counts() == before and not AuditLog.objects.filter(action="import.committed").exists()


@pytest.mark.django_db
def test_a_committed_batch_cannot_be_committed_again(world, login):
    client = login(world.users["hr"])
    batch = confirm(client, uploaded(client, xlsx([PEOPLE_HEADER, person_row("NV-1")])))
    response = client.post(reverse("organisations:import_preview", args=[batch.pk]), follow=True)
    assert "This file is not waiting for confirmation." in response.content.decode()
    assert AuditLog.objects.filter(action="import.committed").count() == 1
