"""Background exports end to end (huey runs inline under pytest, when the request's
transaction commits): ask, follow the status, download; failures, limits, purging; query
counts of the pages."""

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Sheet
from danhgia.reports.exports import services
from danhgia.reports.exports.models import ExportJob
from danhgia.reports.exports.services import purge_old_exports, run_export
from tests.conftest import World
from tests.reports.exports.conftest import pdf_text

MONTH_URL = "exports:month_export"


def in_english(client: Any) -> Any:
    """Pages (and the jobs they ask for) in English, the msgids asserted here."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def month_url(world: World, unit: Any = None) -> str:
    return reverse(MONTH_URL, args=[(unit or world.dept).pk, 2026, 10])


@pytest.mark.django_db
def test_a_months_workbook_is_made_in_the_background_and_downloaded(
    world: World,
    decided_sheet: Sheet,
    login: Any,
    english: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = in_english(login(world.users["head"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(month_url(world), {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job_detail", args=[job.pk])
    assert (job.status, job.progress, job.rows, job.filename) == (
        "done",
        100,
        4,
        "ket-qua-snv-2026-10.xlsx",
    )
    assert job.parameters == {"unit": world.dept.pk, "year": 2026, "month": 10, "language": "en"}
    assert job.file.name.startswith("exports/") and "snv" not in job.file.name  # random name
    entry = AuditLog.objects.get(action="export.requested")
    assert (entry.actor, entry.object_id) == (world.users["head"], str(job.pk))
    page = client.get(reverse("exports:job_detail", args=[job.pk]))
    assert "ket-qua-snv-2026-10.xlsx" in page.content.decode()
    assert "hx-trigger" not in page.content.decode()  # finished: no more polling
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert 'filename="ket-qua-snv-2026-10.xlsx"' in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.worksheets[0].max_row == 5  # header and four people
    # Nobody else sees the job or its file.
    other = login(world.users["hr"])
    assert other.get(reverse("exports:job_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("exports:job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_the_summary_pdf_job(
    world: World,
    decided_sheet: Sheet,
    login: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        login(world.users["supervisor"]).post(month_url(world), {"format": "pdf"})
    job = ExportJob.objects.get()
    assert (job.kind, job.status, job.filename) == ("month_pdf", "done", "ket-qua-snv-2026-10.pdf")
    text = pdf_text(job.file.read(), tmp_path)
    assert "Hoàn thành tốt nhiệm vụ" in text


@pytest.mark.django_db
def test_the_status_partial_polls_while_the_job_waits(
    world: World, decided_sheet: Sheet, login: Any, english: None
) -> None:
    client = in_english(login(world.users["head"]))
    client.post(month_url(world), {"format": "xlsx"})  # not committed: stays queued
    job = ExportJob.objects.get()
    assert job.status == "queued"
    url = reverse("exports:job_detail", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section class="card" id="export-status"')
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 2s"' in partial
    assert "<progress" in partial and "waiting" in partial
    assert "<html" not in partial
    run_export(job.pk)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert reverse("exports:job_download", args=[job.pk]) in partial
    assert run_export(job.pk) is None  # claimed once only


@pytest.mark.django_db
def test_a_month_without_sheets_or_too_big_for_a_pdf_is_refused_with_what_to_do(
    world: World, decided_sheet: Sheet, login: Any, english: None, monkeypatch: Any
) -> None:
    client = in_english(login(world.users["hr"]))
    response = client.get(reverse(MONTH_URL, args=[world.dept.pk, 2026, 9]))
    assert "0 sheets" in response.content.decode()
    response = client.post(reverse(MONTH_URL, args=[world.dept.pk, 2026, 9]), {"format": "xlsx"})
    assert response.status_code == 422
    assert (
        "No sheet of September 2026 in Sở Nội vụ: open the month first" in response.content.decode()
    )
    monkeypatch.setattr(services, "MONTH_PDF_MAX_ROWS", 3)
    response = client.post(month_url(world), {"format": "pdf"})
    assert response.status_code == 422
    assert "4 sheets are too many for a PDF (at most 3): download the Excel workbook" in (
        response.content.decode()
    )
    assert client.post(month_url(world), {"format": "csv"}).status_code == 422
    assert client.get(reverse(MONTH_URL, args=[world.dept.pk, 2026, 13])).status_code == 404
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_failing_export_is_marked_failed_with_a_message(world: World, english: None) -> None:
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.MONTH_XLSX,
        parameters={"unit": 0, "year": 2026, "month": 10, "language": "en"},
        title="gone",
        requested_by=world.users["hr"],
        created_at=timezone.now(),
    )
    job = run_export(job.pk)
    assert job is not None
    assert job.status == "failed"
    assert job.error.startswith("The export failed. Try again;")
    assert job.finished_at is not None


@pytest.mark.django_db
def test_annual_forms_of_a_unit_in_one_pdf(
    world: World,
    decided: Any,
    open_year: Any,
    login: Any,
    english: None,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    for key in ["staff", "manager"]:
        decided(world.people[key], range(1, 13), "80")
    period = open_year()
    url = reverse("exports:annual_export", args=[period.pk, world.division.pk])
    client = in_english(login(world.users["head"]))
    assert "2 people" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = ExportJob.objects.get()
    assert (job.status, job.rows) == ("done", 2)
    text = pdf_text(job.file.read(), tmp_path)
    assert text.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 2
    assert "Nguyễn Văn An" in text and "Phạm Minh Châu" in text


@pytest.mark.django_db
def test_old_exports_are_purged(world: World, settings: Any) -> None:
    from django.core.files.base import ContentFile

    def job(days_ago: int) -> ExportJob:
        made = ExportJob(
            kind=ExportJob.Kind.MONTH_XLSX,
            title=f"{days_ago}",
            requested_by=world.users["hr"],
            created_at=timezone.now() - datetime.timedelta(days=days_ago),
            status=ExportJob.Status.DONE,
        )
        made.file.save(f"{days_ago}.xlsx", ContentFile(b"PK"), save=False)
        made.save()
        return made

    old, recent = job(8), job(6)
    path = Path(old.file.path)
    assert purge_old_exports() == 1
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not path.exists()
    assert AuditLog.objects.get(action="export.purged").data["count"] == 1
    assert purge_old_exports() == 0


def _jobs(world: World, count: int) -> None:
    for number in range(count):
        ExportJob.objects.create(
            kind=ExportJob.Kind.MONTH_XLSX,
            parameters={"unit": world.dept.pk, "year": 2026, "month": 10},
            title=f"Sở Nội vụ {number}",
            requested_by=world.users["head"],
            created_at=timezone.now(),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_the_pages_run_a_constant_number_of_queries(
    world: World,
    october: Any,
    login: Any,
    count: int,
    django_assert_num_queries: Any,
) -> None:
    _jobs(world, count)
    client = login(world.users["head"])
    client.get(reverse("exports:job_list"))  # warm the session
    with django_assert_num_queries(6):
        assert client.get(reverse("exports:job_list")).content.decode().count("Sở Nội vụ ") == count
    with django_assert_num_queries(9):
        assert client.get(month_url(world)).status_code == 200
