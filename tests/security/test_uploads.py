"""Uploads: a file name that climbs out of its folder lands under MEDIA_ROOT with its last
part only, and an oversize file is refused with a clear message, the typed text kept and
nothing stored. Task evidence, appeal files, the units/people import and the product import."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danhgia.evaluations.models import Appeal, AppealFile
from danhgia.organisations.models import ImportBatch
from danhgia.work.models import EvidenceFile, TaskUpdate
from tests.conftest import World
from tests.matrix.appeals import decided_sheet
from tests.matrix.work_tasks import _task
from tests.work.conftest import pdf_bytes

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

CLIMBING_NAMES = [
    "../../../../etc/cron.d/bao-cao.pdf",
    "..\\..\\..\\Windows\\win.ini.pdf",
    "/etc/passwd.pdf",
    "%2e%2e%2fbao-cao.pdf",
]


def _inside_media(path: str) -> bool:
    media = Path(settings.MEDIA_ROOT).resolve()
    return media in Path(path).resolve().parents


def _pdf(name: str, size: int = 0) -> SimpleUploadedFile:
    data = pdf_bytes() + b"%" * max(size - len(pdf_bytes()), 0)
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.mark.django_db
@pytest.mark.parametrize("name", CLIMBING_NAMES)
def test_evidence_name_cannot_climb(world: World, login: Any, name: str) -> None:
    task = _task(world)
    client = login(world.users["staff"])
    url = reverse("work:task_progress", args=[task.pk])
    data = {"kind": "progress", "progress": "30", "text": "Tiến độ", "evidence": _pdf(name)}
    response = client.post(url, data)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert "/" not in evidence.original_name and "\\" not in evidence.original_name
    assert not evidence.original_name.startswith(".")
    assert _inside_media(evidence.file.path)


@pytest.mark.django_db
def test_oversize_evidence_is_refused_and_the_text_kept(
    world: World, login: Any, settings: Any, english_pages: None
) -> None:
    settings.EVIDENCE_MAX_BYTES = 2000
    task = _task(world)
    client = login(world.users["staff"])
    url = reverse("work:task_progress", args=[task.pk])
    data = {
        "kind": "progress",
        "progress": "30",
        "text": "Đã hoàn thành dự thảo",
        "evidence": _pdf("lon.pdf", 5000),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "the largest file accepted is" in page
    assert "Đã hoàn thành dự thảo" in page
    assert not EvidenceFile.objects.exists()
    assert not TaskUpdate.objects.filter(text="Đã hoàn thành dự thảo").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", CLIMBING_NAMES[:2])
def test_appeal_file_name_cannot_climb(world: World, login: Any, name: str) -> None:
    sheet = decided_sheet(world)
    client = login(world.users["staff"])
    url = reverse("evaluations:appeal_create", args=[sheet.pk])
    response = client.post(url, {"text": "Đề nghị xem lại", "attachments": [_pdf(name)]})
    assert response.status_code == 302
    stored = AppealFile.objects.get()
    assert "/" not in stored.original_name and "\\" not in stored.original_name
    assert _inside_media(stored.file.path)


@pytest.mark.django_db
def test_oversize_appeal_file_is_refused_and_the_text_kept(
    world: World, login: Any, settings: Any, english_pages: None
) -> None:
    settings.EVIDENCE_MAX_BYTES = 2000
    sheet = decided_sheet(world)
    client = login(world.users["staff"])
    url = reverse("evaluations:appeal_create", args=[sheet.pk])
    response = client.post(url, {"text": "Lý do khiếu nại", "attachments": [_pdf("lon.pdf", 5000)]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "the largest file accepted is" in page
    assert "Lý do khiếu nại" in page
    assert not Appeal.objects.exists() and not AppealFile.objects.exists()


CSV = "Mã nhân sự,Họ và tên\nE-1,Nguyễn Văn A\n".encode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", CLIMBING_NAMES[:2])
def test_import_name_cannot_climb(world: World, login: Any, name: str) -> None:
    client = login(world.users["hr"])
    upload = SimpleUploadedFile(name.replace(".pdf", ".csv"), CSV, content_type="text/csv")
    client.post(reverse("organisations:import_start"), {"kind": "people", "file": upload})
    batch = ImportBatch.objects.get()
    assert "/" not in batch.original_name and "\\" not in batch.original_name
    assert _inside_media(batch.file.path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "data"),
    [("organisations:import_start", {"kind": "people"}), ("work:product_import", {})],
)
def test_oversize_import_is_refused(
    world: World, login: Any, settings: Any, english_pages: None, url_name: str, data: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 1000
    client = login(world.users["hr"])
    upload = SimpleUploadedFile("lon.csv", CSV * 100, content_type="text/csv")
    response = client.post(reverse(url_name), {**data, "file": upload})
    assert response.status_code == 200
    assert "the largest file accepted is" in response.content.decode()
    assert not ImportBatch.objects.exists()
