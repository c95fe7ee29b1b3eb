"""The yearly export for the national database (`danhgia/annual/national.py`): the decision
reference HR records, the CSV and JSON round trip against the shipped schema, the download."""

import csv
import datetime
import io
import json
from typing import Any

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.annual.models import AnnualPeriod
from danhgia.annual.national import (
    COLUMNS,
    SCHEMA_PATH,
    NationalRecord,
    export_for_national_database,
    national_records,
)
from danhgia.annual.services import AnnualError, decide_annual, record_annual_decision
from danhgia.core.models import AuditLog
from danhgia.organisations.models import Role, UnitRole
from tests.annual.conftest import Decided, OpenYear, sheet_of
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory

FULL_YEAR = range(1, 13)
DECISION_DAY = datetime.date(2026, 1, 20)


@pytest.fixture
def decided_year(world: World, decided: Decided, open_year: OpenYear) -> AnnualPeriod:
    """The department's 2025: `staff` (Nguyễn Văn An) decided "good" by the head, the three
    others with no month of the year not classified; the decision 15/QĐ-SNV recorded."""
    decided(world.people["staff"], FULL_YEAR, "80")
    period = open_year(world.dept)
    decide_annual(sheet_of(period, world.people["staff"]), by=world.users["head"], level="good")
    period.refresh_from_db()
    return record_annual_decision(
        period, number="15/QĐ-SNV", date=DECISION_DAY, by=world.users["hr"]
    )


def _from_csv(content: bytes) -> tuple[list[str], list[NationalRecord]]:
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    return header, [
        NationalRecord(**{**dict(zip(header, row, strict=True)), "year": int(row[2])})
        for row in body
    ]


def _from_json(content: bytes) -> tuple[dict[str, Any], list[NationalRecord]]:
    document = json.loads(content.decode("utf-8"))
    records = [
        NationalRecord(
            **{**row, "score": f"{row['score']:.2f}" if row["score"] is not None else ""}
        )
        for row in document["records"]
    ]
    return document, records


def test_the_export_lists_everyone_with_the_decided_level_and_the_decision(
    world: World, decided_year: AnnualPeriod
) -> None:
    records = national_records(decided_year)

    staff = next(record for record in records if record.employee_code == "E-staff")
    assert staff == NationalRecord(
        organisation_code="SNV",
        organisation_name="Sở Nội vụ",
        year=2025,
        employee_code="E-staff",
        full_name="Nguyễn Văn An",
        staff_category="cong_chuc",
        unit_code="SNV-CC",
        unit_name="Phòng Công chức",
        result="decided",
        level_code="good",
        level_name="Hoàn thành tốt nhiệm vụ",
        score=staff.score,
        decided_on=staff.decided_on,
        decision_number="15/QĐ-SNV",
        decision_date="2026-01-20",
    )
    assert staff.score == f"{sheet_of(decided_year, world.people['staff']).score:.2f}"
    assert staff.decided_on != ""
    others = [record for record in records if record is not staff]
    assert len(others) == 3
    assert {(record.result, record.level_code, record.level_name) for record in others} == {
        ("not_classified", "", "")
    }


def test_csv_and_json_round_trip_to_the_same_records_and_json_meets_the_schema(
    world: World, decided_year: AnnualPeriod
) -> None:
    expected = national_records(decided_year)
    hr = world.users["hr"]

    header, from_csv = _from_csv(export_for_national_database(decided_year, "csv", by=hr))
    document, from_json = _from_json(export_for_national_database(decided_year, "json", by=hr))

    assert header == list(COLUMNS)
    assert from_csv == expected
    assert from_json == expected
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert "Nguyễn Văn An" in {record.full_name for record in from_csv}
    logs = AuditLog.objects.filter(action="annual.exported").order_by("pk")
    assert [log.data for log in logs] == [
        {"format": "csv", "records": 4},
        {"format": "json", "records": 4},
    ]


def test_the_schema_refuses_a_decided_record_without_a_level(
    world: World, decided_year: AnnualPeriod
) -> None:
    content = export_for_national_database(decided_year, "json", by=world.users["hr"])
    document = json.loads(content)
    decided = next(row for row in document["records"] if row["result"] == "decided")
    decided["level_code"] = ""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_a_year_still_being_decided_or_without_its_decision_is_not_exported(
    world: World, decided: Decided, open_year: OpenYear, english: None
) -> None:
    decided(world.people["staff"], FULL_YEAR, "80")
    period = open_year(world.dept)
    hr = world.users["hr"]

    with pytest.raises(AnnualError, match="every level is decided"):
        export_for_national_database(period, "csv", by=hr)
    with pytest.raises(AnnualError, match="every level of the year is decided"):
        record_annual_decision(period, number="1/QĐ", date=DECISION_DAY, by=hr)
    decide_annual(sheet_of(period, world.people["staff"]), by=world.users["head"], level="good")
    period.refresh_from_db()
    with pytest.raises(AnnualError, match="Record the number and date"):
        export_for_national_database(period, "csv", by=hr)
    with pytest.raises(AnnualError, match="after the year"):
        record_annual_decision(period, number="1/QĐ", date=datetime.date(2025, 12, 1), by=hr)
    with pytest.raises(AnnualError, match="Only the HR officer"):
        record_annual_decision(period, number="1/QĐ", date=DECISION_DAY, by=world.users["head"])
    assert not AuditLog.objects.filter(action__in=["annual.exported", "annual.decision_recorded"])


def test_correcting_the_decision_is_logged_with_before_and_after(
    world: World, decided_year: AnnualPeriod
) -> None:
    record_annual_decision(
        decided_year, number=" 16/QĐ-SNV ", date=DECISION_DAY, by=world.users["hr"]
    )

    decided_year.refresh_from_db()
    assert decided_year.decision_number == "16/QĐ-SNV"
    log = AuditLog.objects.filter(action="annual.decision_recorded").order_by("pk").last()
    assert log is not None
    assert log.data == {
        "before": {"number": "15/QĐ-SNV", "date": "2026-01-20"},
        "after": {"number": "16/QĐ-SNV", "date": "2026-01-20"},
    }


# The download


def test_hr_downloads_the_csv_from_the_annual_periods_page(
    world: World, decided_year: AnnualPeriod, login: Any
) -> None:
    client = login(world.users["hr"])
    page = client.get(reverse("annual:period_list"))
    url = reverse("annual:national_export", args=[decided_year.pk])
    assert url in page.content.decode()

    response = client.post(url, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="csdl-quoc-gia-SNV-2025.csv"'
    assert _from_csv(response.content)[1] == national_records(decided_year)


def test_hr_records_the_decision_through_the_page(
    world: World, decided: Decided, open_year: OpenYear, login: Any
) -> None:
    decided(world.people["staff"], FULL_YEAR, "80")
    period = open_year(world.dept)
    decide_annual(sheet_of(period, world.people["staff"]), by=world.users["head"], level="good")
    client = login(world.users["hr"])

    response = client.post(
        reverse("annual:period_decision", args=[period.pk]),
        {"number": "20/QĐ-SNV", "date": "2026-01-25"},
    )

    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.decision_number, period.decision_date) == (
        "20/QĐ-SNV",
        datetime.date(2026, 1, 25),
    )


def test_hr_of_another_department_gets_404_and_a_head_403(
    world: World, decided_year: AnnualPeriod, login: Any
) -> None:
    outsider = UserFactory(username="hr_other")
    UnitRole.objects.create(user=outsider, unit=world.dept_other, role=Role.HR_OFFICER)
    url = reverse("annual:national_export", args=[decided_year.pk])

    assert login(outsider).post(url, {"format": "csv"}).status_code == 404
    assert login(world.users["head"]).post(url, {"format": "csv"}).status_code == 403
    assert not AuditLog.objects.filter(action="annual.exported").exists()


def test_the_records_take_the_same_queries_for_few_people_and_more(
    world: World, decided: Decided, open_year: OpenYear
) -> None:
    decided(world.people["staff"], FULL_YEAR, "80")
    PersonFactory.create_batch(3, unit=world.dept)
    counts = []
    for organisation in (world.dept_other, world.dept):
        period = open_year(organisation)
        with CaptureQueriesContext(connection) as captured:
            records = national_records(period)
        counts.append((len(captured.captured_queries), len(records)))

    (few_queries, few), (more_queries, more) = counts
    assert few < more
    assert few_queries == more_queries
