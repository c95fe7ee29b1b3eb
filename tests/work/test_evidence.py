"""Evidence files: checked by content, stored under a random name, served only to those who
may see the task, always as a download."""

import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.work.models import EvidenceFile, Task, TaskUpdate
from danhgia.work.services import WorkError
from danhgia.work.services.evidence import check_evidence, safe_name
from danhgia.work.services.tasks import complete_task, report_progress
from tests.conftest import World
from tests.work.conftest import days, docx_bytes, pdf_bytes, png_bytes, upload, zip_bytes

STORED = re.compile(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|docx|txt|csv|odt)$")

pytestmark = pytest.mark.usefixtures("english")


def _media_files(settings) -> list[Path]:  # type: ignore[no-untyped-def]
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.mark.django_db
def test_a_real_pdf_and_png_are_accepted_and_stored_under_random_names(
    world: World, task: Task, settings
) -> None:  # type: ignore[no-untyped-def]
    files = [upload("Báo cáo.pdf", pdf_bytes()), upload("ảnh chụp.png", png_bytes())]
    update = report_progress(task, by=world.users["staff"], progress=50, files=files)
    stored = list(update.files.order_by("id"))
    assert [item.original_name for item in stored] == ["Báo cáo.pdf", "ảnh chụp.png"]
    assert [item.content_type for item in stored] == ["application/pdf", "image/png"]
    assert [item.sha256 for item in stored] == [
        hashlib.sha256(pdf_bytes()).hexdigest(),
        hashlib.sha256(png_bytes()).hexdigest(),
    ]
    assert [item.size for item in stored] == [len(pdf_bytes()), len(png_bytes())]
    for item in stored:
        assert STORED.match(item.file.name), item.file.name
        assert (Path(settings.MEDIA_ROOT) / item.file.name).read_bytes() in (
            pdf_bytes(),
            png_bytes(),
        )
    entry = AuditLog.objects.filter(action="task.progress_reported").get()
    assert [item["name"] for item in entry.data["files"]] == ["Báo cáo.pdf", "ảnh chụp.png"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        (
            "to-trinh.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "bang-tinh.ods",
            zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("so-lieu.csv", "Họ tên;Số lượng\nAn;3\n".encode(), "text/plain; charset=utf-8"),
        ("ghi-chu.txt", "Đã gửi bản giấy".encode(), "text/plain; charset=utf-8"),
        ("anh.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    ],
)
def test_office_and_text_files_are_recognised(name: str, data: bytes, content_type: str) -> None:
    assert check_evidence(upload(name, data)).content_type == content_type


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "setup.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
            "setup.pdf is not a PDF document: it is a program",
        ),
        (
            "anh.pdf",
            png_bytes(),
            "anh.pdf is a PNG image, but its name ends in .pdf. Rename it to end in .png",
        ),
        (
            "bao-cao.png",
            pdf_bytes(),
            "is a PDF document, but its name ends in .png. Rename it to end in .pdf",
        ),
        (
            "nen.zip",
            zip_bytes({"a.txt": b"x"}),
            "nen.zip is not a file we accept: it is a zip archive",
        ),
        (
            "gia.docx",
            zip_bytes({"a.txt": b"x"}),
            "gia.docx is not a Word document \\(.docx\\): it is a zip archive",
        ),
        ("cp1258.txt", "Đơn".encode("cp1258"), "cp1258.txt is text in an old encoding"),
        ("rong.pdf", b"", "is empty"),
        (
            "trang.html",
            b"<html><script>alert(1)</script></html>",
            "trang.html is not a file we accept: it is a web page",
        ),
        ("ghi-chu.exe", b"ordinary words", "files ending in .exe are not accepted"),
    ],
)
def test_refused_files(name: str, data: bytes, message: str) -> None:
    with pytest.raises(WorkError, match=message):
        check_evidence(upload(name, data))


@pytest.mark.django_db
def test_oversize_file_is_refused_and_nothing_is_stored(world: World, task: Task, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_MAX_BYTES = 100
    files = [upload("nho.pdf", pdf_bytes()[:90]), upload("lon.pdf", pdf_bytes() + b"x" * 200)]
    with pytest.raises(WorkError, match="lon.pdf is .*the largest file accepted is 100"):
        report_progress(task, by=world.users["staff"], progress=50, files=files)
    task.refresh_from_db()
    assert (task.status, task.progress) == (Task.Status.NOT_STARTED, 0)
    assert TaskUpdate.objects.filter(kind=TaskUpdate.Kind.PROGRESS).count() == 0
    assert EvidenceFile.objects.count() == 0
    assert _media_files(settings) == []


@pytest.mark.django_db
def test_path_traversal_name_is_stored_under_a_random_name(
    world: World, task: Task, settings
) -> None:  # type: ignore[no-untyped-def]
    complete_task(
        task,
        by=world.users["staff"],
        on=days(0),
        files=[upload("../../etc/passwd.pdf", pdf_bytes())],
    )
    evidence = EvidenceFile.objects.get()
    assert evidence.original_name == "passwd.pdf"
    assert STORED.match(evidence.file.name)
    media = Path(settings.MEDIA_ROOT).resolve()
    assert _media_files(settings) == [media / evidence.file.name]
    assert not Path("/etc/passwd.pdf").exists()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\An\\Báo cáo quý.pdf", "Báo cáo quý.pdf"),
        ("..", "file"),
        ("bad\x00name\n.pdf", "badname.pdf"),
        ("Ba\u0301o.pdf", "Báo.pdf"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


@pytest.mark.django_db
def test_download_is_an_attachment_for_the_owner_and_404_for_another_unit(
    world: World, task: Task, login
) -> None:  # type: ignore[no-untyped-def]
    update = report_progress(
        task, by=world.users["staff"], progress=50, files=[upload("Kết quả.pdf", pdf_bytes())]
    )
    evidence = update.files.get()
    url = reverse("work:evidence_download", args=[evidence.pk])
    for persona in ["staff", "manager", "head", "supervisor"]:
        response = login(world.users[persona]).get(url)
        assert response.status_code == 200, persona
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''K%E1%BA%BFt%20qu%E1%BA%A3.pdf"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
    for persona in ["staff_other", "head_other"]:
        assert login(world.users[persona]).get(url).status_code == 404, persona
    assert login(None).get(url).status_code == 302


@pytest.mark.django_db
def test_download_of_a_missing_file_is_404(world: World, task: Task, login, settings) -> None:  # type: ignore[no-untyped-def]
    update = report_progress(
        task, by=world.users["staff"], progress=50, files=[upload("a.pdf", pdf_bytes())]
    )
    evidence = update.files.get()
    (Path(settings.MEDIA_ROOT) / evidence.file.name).unlink()
    url = reverse("work:evidence_download", args=[evidence.pk])
    assert login(world.users["staff"]).get(url).status_code == 404
