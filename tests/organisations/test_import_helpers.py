"""Helpers for the import and export tests (no tests here): files built in memory, uploads.

Uploads send the English language cookie, so tests compare English msgids whatever the
Vietnamese catalogue says later.
"""

import csv
import io
import unicodedata
from collections.abc import Sequence

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from danhgia.organisations.models import ImportBatch, JobPosition, Person, Unit

PEOPLE_HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Đơn vị",
    "Ngạch/Loại",
    "Chức vụ",
    "Lãnh đạo",
    "Email",
    "Ngày bắt đầu",
    "Ngày kết thúc",
]
UNITS_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]
PEOPLE_KEYS = {"category": 3, "title": 4, "leader": 5, "email": 6, "start": 7, "end": 8}
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def person_row(
    code: str = "NV-1", name: str = "Trần Văn Bình", unit: str = "SNV-CC", **extra: object
):  # type: ignore[no-untyped-def]
    """A valid row under PEOPLE_HEADER; keyword arguments replace cells by header index name."""
    row: list[object] = [
        code,
        name,
        unit,
        "công chức",
        "Chuyên viên",
        "không",
        "",
        "01/02/2024",
        "",
    ]
    for key, value in extra.items():
        row[PEOPLE_KEYS[key]] = value
    return row


def xlsx(rows: Sequence[Sequence[object]], *, title: str | None = None) -> bytes:
    """An .xlsx whose first sheet holds `rows`; with `title`, a merged title row and a blank
    row come first (so the header is on Excel row 3)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
        sheet.append([])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Sequence[Sequence[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else str(cell) for cell in row])
    return buffer.getvalue()


def cp1258(text: str) -> bytes:
    """`text` as Windows-1258 writes it: letters precomposed, tone marks combining."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def upload(client: Client, data: bytes, name: str = "nhan-su.xlsx", kind: str = "people"):  # type: ignore[no-untyped-def]
    """POST the file to the upload form, in English; returns the response (not followed)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(
        reverse("organisations:import_start"),
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
    )


def uploaded(client: Client, data: bytes, name: str = "nhan-su.xlsx", kind: str = "people"):  # type: ignore[no-untyped-def]
    """Upload and return the new ImportBatch (the response must redirect to its preview)."""
    response = upload(client, data, name, kind)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def confirm(client: Client, batch: ImportBatch) -> ImportBatch:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("organisations:import_preview", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    return batch


def problems(batch: ImportBatch) -> list[tuple[int | None, str, str]]:
    return [(error["row"], error["column"], error["message"]) for error in batch.errors]


def counts() -> tuple[int, int, int]:
    return Unit.objects.count(), Person.objects.count(), JobPosition.objects.count()


def sheet_rows(data: bytes, sheet: int = 0) -> list[tuple[object, ...]]:
    workbook = load_workbook(io.BytesIO(data))
    return [tuple(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]
