"""Hostile files built in memory for the upload tests (no tests here): zip bombs, archives
with too many entries or lying sizes, and files that are not what their names say."""

import functools
import io
import random
import struct
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes(rows: list[list[object]] | None = None) -> bytes:
    """A real .xlsx written by openpyxl (a header row by default)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows or [["Mã cán bộ", "Họ và tên", "Đơn vị", "Ngạch/Loại"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, change: dict[str, bytes], extra: dict[str, bytes]) -> bytes:
    """`data` (a zip) with some members' contents replaced and others added, deflated."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, change.get(info.filename, source.read(info)))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


@functools.cache
def bomb_xlsx() -> bytes:
    """An .xlsx of about 50 KB whose sheet XML unpacks to 50 MB of repeated bytes."""
    sheet = zipfile.ZipFile(io.BytesIO(workbook_bytes())).read(SHEET)
    head, tail = sheet.split(b"</sheetData>")
    padded = head + b"<row/>" * (50 * 1024 * 1024 // 6) + b"</sheetData>" + tail
    return _rewrite(workbook_bytes(), {SHEET: padded}, {})


@functools.cache
def crowded_xlsx() -> bytes:
    """A valid .xlsx with 2,000 extra tiny members."""
    extra = {f"xl/media/part{number}.xml": b"<x/>" for number in range(2000)}
    return _rewrite(workbook_bytes(), {}, extra)


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """`data` with `member`'s unpacked size declared as `size`, in the central directory and
    in the local header (the CRC stays that of the real content)."""
    name = member.encode()
    patched = bytearray(data)
    position = 0
    while (position := patched.find(b"PK\x01\x02", position)) != -1:
        name_length = struct.unpack_from("<H", patched, position + 28)[0]
        if patched[position + 46 : position + 46 + name_length] == name:
            struct.pack_into("<I", patched, position + 24, size)
            local = struct.unpack_from("<I", patched, position + 42)[0]
            struct.pack_into("<I", patched, local + 22, size)
        position += 4
    return bytes(patched)


def lying_xlsx() -> bytes:
    """The zip bomb with its sheet declaring 40,000 bytes instead of 50 MB: every declared size
    and ratio is within the limits, the real content is not."""
    return lie_about_size(bomb_xlsx(), SHEET, 40_000)


PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)
HTML = b"<!DOCTYPE html>\n<html><head><title>Bang luong</title></head><body>x</body></html>"


def random_bytes(size: int = 4096) -> bytes:
    """The same random-looking bytes on every run."""
    return random.Random(7).randbytes(size)  # noqa: S311 - test data, not a secret
