"""Work fixtures: a task of `staff` assigned by `manager`, and small real files of each kind.

Uploaded files go to a temporary MEDIA_ROOT for every test in this directory.
"""

import datetime
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from danhgia.work.models import Task
from danhgia.work.services.tasks import assign_task
from tests.conftest import World


def days(count: int) -> datetime.date:
    """Today plus `count` days (negative: in the past)."""
    return timezone.localdate() + datetime.timedelta(days=count)


@pytest.fixture
def english() -> Iterator[None]:
    """Messages asserted in English (the msgids), whatever the default language.
    Task test modules use it with `pytestmark = pytest.mark.usefixtures("english")`."""
    with translation.override("en"):
        yield


MakeTask = Callable[..., Task]


@pytest.fixture
def make_task(world: World) -> MakeTask:
    """`make_task(owner="staff", by="manager", **fields)` assigns through the service."""

    def _make(owner: str = "staff", by: str = "manager", **fields: Any) -> Task:
        person = world.people[owner]
        values: dict[str, Any] = {
            "title": "Tham mưu văn bản trả lời Sở Tư pháp",
            "source": Task.Source.ASSIGNMENT,
            "start_date": days(-10),
            "due_date": days(10),
        }
        values.update(fields)
        return assign_task(owner=person, unit=person.unit, by=world.users[by], **values)

    return _make


@pytest.fixture
def task(make_task: MakeTask) -> Task:
    return make_task()


# Small real files


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
