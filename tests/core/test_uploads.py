"""`core.uploads`: naming content by its bytes, and bounding archives before anything parses
them (count, unpacked total, ratio, declared sizes, time)."""

import io
import zipfile
from typing import Any

import pytest
from django.utils import translation

from danhgia.core.uploads import FileRefused, check_archive, sniff
from tests.security.archives import (
    HTML,
    PROGRAM,
    SHEET,
    bomb_xlsx,
    crowded_xlsx,
    lie_about_size,
    lying_xlsx,
    random_bytes,
    workbook_bytes,
)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0", "jpeg"),
        (workbook_bytes(), "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(50), "ole"),
        (PROGRAM, "program"),
        (b"\x7fELF\x02\x01\x01", "program"),
        (b"Rar!\x1a\x07\x00", "archive"),
        (HTML, "web"),
        (b"\xef\xbb\xbf<?xml version='1.0'?><a/>", "web"),
        (random_bytes(), "binary"),
        ("Mã cán bộ,Họ và tên\nNV-1,An\n".encode(), "text"),
        ("Mã cán bộ\tHọ và tên\n".encode("utf-16"), "text"),
        ("Ma can bo,Ho va ten\n".encode("utf-16-le"), "text"),
        ("Đơn,Tên\n".encode("cp1258"), "text"),
        (b"", "empty"),
    ],
)
def test_sniff_names_content_by_its_bytes(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_a_real_workbook_passes_and_lists_its_members() -> None:
    rows: list[list[object]] = [["Mã cán bộ", "Họ và tên"]]
    rows += [[f"CB{number:05d}", "Nguyễn Văn An"] for number in range(5000)]
    assert SHEET in check_archive(workbook_bytes(rows), name="nhan-su.xlsx")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (bomb_xlsx, "x.xlsx is compressed more than 100 times"),
        (crowded_xlsx, "x.xlsx holds 2009 files inside; at most 1000 are accepted."),
        (lying_xlsx, "x.xlsx is damaged: its contents do not match its own table of contents."),
        (lambda: b"PK\x03\x04 not really a zip", "x.xlsx is damaged"),
    ],
)
def test_hostile_archives_are_refused(build: Any, message: str) -> None:
    with pytest.raises(FileRefused) as refused:
        check_archive(build(), name="x.xlsx")
    assert str(refused.value).startswith(message)


def test_the_declared_total_is_bounded(settings: Any) -> None:
    settings.UPLOAD_ARCHIVE_MAX_BYTES = 10_000
    with pytest.raises(FileRefused, match="x.xlsx unpacks to more than 9.8\xa0KB"):
        check_archive(workbook_bytes(), name="x.xlsx")


def test_a_member_shorter_than_declared_is_refused() -> None:
    data = workbook_bytes()
    real = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size
    with pytest.raises(FileRefused, match="is damaged"):
        check_archive(lie_about_size(data, SHEET, real + 10), name="x.xlsx")


def test_inflating_has_a_time_budget(settings: Any) -> None:
    settings.UPLOAD_ARCHIVE_SECONDS = 0
    with pytest.raises(FileRefused, match="x.xlsx takes too long to unpack"):
        check_archive(workbook_bytes(), name="x.xlsx")
