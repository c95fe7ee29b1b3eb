"""Exports: the template's columns, the user's scope, formula guard, and the round trip."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from danhgia.core.spreadsheet import safe_text
from danhgia.organisations.imports.columns import PEOPLE_COLUMNS, UNIT_COLUMNS
from danhgia.organisations.models import Person, Role, Unit, UnitRole
from tests.factories import JobPositionFactory, UserFactory
from tests.organisations.test_import_helpers import confirm, counts, sheet_rows, uploaded


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _export(client, kind: str) -> tuple[bytes, str]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("organisations:export_data", args=[kind]))
    assert response.status_code == 200
    return b"".join(response.streaming_content), response["Content-Disposition"]


def _snapshot() -> tuple[list, list]:
    people = list(
        Person.objects.order_by("id").values_list(
            "employee_code",
            "full_name",
            "unit_id",
            "staff_category",
            "title",
            "is_leader",
            "job_position_id",
            "email",
            "phone",
            "active_from",
            "active_to",
            "user_id",
            "search_text",
            "sort_key",
        )
    )
    units = list(
        Unit.objects.order_by("id").values_list(
            "code", "name", "kind", "parent_id", "path", "depth", "valid_from", "valid_to"
        )
    )
    return people, units


@pytest.mark.django_db
def test_people_export_has_template_columns_and_values(world, login):
    staff = world.people["staff"]
    staff.job_position = JobPositionFactory(code="VT-CV", name="Chuyên viên")
    staff.email, staff.is_leader, staff.active_to = (
        "an@example.vn",
        True,
        datetime.date(2030, 1, 31),
    )
    staff.save()
    data, disposition = _export(login(world.users["hr"]), "people")
    today = timezone.localdate()
    assert disposition == f'attachment; filename="nhan-su-{today:%Y-%m-%d}.xlsx"'
    rows = sheet_rows(data)
    assert rows[0] == tuple(column.header for column in PEOPLE_COLUMNS)
    assert len(rows) == 1 + Person.objects.count()
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["E-staff"] == (
        "E-staff",
        "Nguyễn Văn An",
        "SNV-CC",
        "công chức",
        "Chuyên viên",
        "Có",
        "VT-CV",
        "Chuyên viên",
        "an@example.vn",
        None,
        datetime.datetime(2020, 1, 1),
        datetime.datetime(2030, 1, 31),
    )


@pytest.mark.django_db
def test_export_is_limited_to_the_users_scope(world, login):
    user = UserFactory(username="hr_snv")
    UnitRole.objects.create(
        user=user, unit=world.dept, role=Role.HR_OFFICER, valid_from=datetime.date(2020, 1, 1)
    )
    client = login(user)
    people = sheet_rows(_export(client, "people")[0])
    assert sorted(row[0] for row in people[1:]) == ["E-head", "E-hr", "E-manager", "E-staff"]
    units = sheet_rows(_export(client, "units")[0])
    assert units[0] == tuple(column.header for column in UNIT_COLUMNS)
    assert units[1:] == [
        ("SNV", "Sở Nội vụ", "sở/ban/ngành", "TINH", datetime.datetime(2020, 1, 1), None),
        ("SNV-CC", "Phòng Công chức", "phòng", "SNV", datetime.datetime(2020, 1, 1), None),
    ]


def test_safe_text_prefixes_what_excel_would_evaluate():
    assert [safe_text(v) for v in ["=1+1", "+84 912", "-5", "@SUM(A1)", "An", "a=b"]] == [
        "'=1+1",
        "'+84 912",
        "'-5",
        "'@SUM(A1)",
        "An",
        "a=b",
    ]


@pytest.mark.django_db
def test_formula_like_text_is_exported_as_text_and_imports_back(world, login):
    staff = world.people["staff"]
    staff.title, staff.phone = '=HYPERLINK("http://x.invalid","Bấm")', "+84 912 345 678"
    staff.save()
    client = login(world.users["hr"])
    data, _disposition = _export(client, "people")
    row = next(row for row in sheet_rows(data) if row[0] == "E-staff")
    assert (row[4], row[9]) == ('\'=HYPERLINK("http://x.invalid","Bấm")', "'+84 912 345 678")
    batch = uploaded(client, data, "nhan-su.xlsx")
    assert (batch.status, batch.created_count, batch.updated_count) == ("previewed", 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["hr", "admin", "hr_snv"])
def test_export_then_import_changes_nothing(world, login, persona):
    if persona == "hr_snv":  # a subtree: SNV's parent TINH is outside the scope, unchanged
        world.users[persona] = UserFactory(username=persona)
        UnitRole.objects.create(
            user=world.users[persona],
            unit=world.dept,
            role=Role.HR_OFFICER,
            valid_from=datetime.date(2020, 1, 1),
        )
    client = login(world.users[persona])
    world.people["staff"].job_position = JobPositionFactory(code="VT-CV", name="Chuyên viên")
    world.people["staff"].save()
    before, before_counts = _snapshot(), counts()
    for kind in ("units", "people"):
        data, _disposition = _export(client, kind)
        batch = uploaded(client, data, f"{kind}.xlsx", kind)
        assert (batch.status, batch.errors) == ("previewed", [])
        assert (batch.created_count, batch.updated_count) == (0, 0)
        exported = len(sheet_rows(data)) - 1
        assert batch.row_count == exported and exported > 1
        assert confirm(client, batch).status == "committed"
    assert (_snapshot(), counts()) == (before, before_counts)
