"""Uploaded files: what their content really is, and whether an archive is safe to open.

Two checks shared by every upload (imports of units, people and products; task evidence and
appeal files):

- `sniff(data)` names the kind of content from its first bytes, never from the file name, so
  a refusal can say what the file is ("it is a program (executable)") and what is accepted.
- `check_archive(data, name=...)` bounds a zip (every .xlsx, .docx, .pptx, .odt, .ods) before
  anything parses it: the number of members, the total unpacked size and the compression ratio
  from the central directory, then one inflating pass that stops as soon as the members give
  more than they declare or than the limit, or the time budget runs out. A 300 KB workbook
  that unpacks to 300 MB is refused in well under a second instead of keeping a server thread
  busy for half an hour (docs/decisions.md, "Archive uploads are bounded").

Both are pure functions of the bytes; `check_archive` raises `FileRefused`, which callers turn
into their own error type (a form error, `WorkError`, an import problem).
"""

import io
import time
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: Limits of `check_archive`, overridable in settings (UPLOAD_ARCHIVE_*).
DEFAULT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 1000
#: Office XML compresses 5-20 times; a member compressed 100 times more is a bomb.
DEFAULT_MAX_RATIO = 100
DEFAULT_MAX_SECONDS = 10.0
#: Members smaller than this are not held to the ratio (a tiny part compresses oddly).
RATIO_FLOOR_BYTES = 64 * 1024
_CHUNK = 64 * 1024

_PROGRAM_STARTS = (
    b"MZ",  # Windows .exe, .dll, .com
    b"\x7fELF",  # Linux
    b"\xca\xfe\xba\xbe",  # macOS universal, Java class
    b"\xcf\xfa\xed\xfe",  # macOS 64-bit
    b"\xce\xfa\xed\xfe",  # macOS 32-bit
    b"#!",  # a script
)
_ARCHIVE_STARTS = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
_WEB_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<?xml", b"<svg")
#: Control characters other than tab, line feed, form feed and carriage return.
_CONTROL = bytes(range(32)).translate(None, b"\t\n\x0c\r")


class FileRefused(ValueError):
    """The upload must not be used; the message, already translated, says why."""


def kind_label(kind: str) -> str:
    """What a `sniff` (or archive) kind is, in words: "a PDF document", "a program"."""
    labels = {
        "pdf": _("a PDF document"),
        "png": _("a PNG image"),
        "jpeg": _("a JPEG image"),
        "gif": _("a GIF image"),
        "zip": _("a zip archive"),
        "docx": _("a Word document (.docx)"),
        "xlsx": _("an Excel workbook (.xlsx)"),
        "pptx": _("a PowerPoint presentation (.pptx)"),
        "odt": _("an OpenDocument text (.odt)"),
        "ods": _("an OpenDocument spreadsheet (.ods)"),
        "ole": _("a file in the old Office format (.doc, .xls, .ppt)"),
        "program": _("a program (executable)"),
        "archive": _("a compressed archive"),
        "web": _("a web page or XML file"),
        "text": _("plain text"),
        "binary": _("binary data of an unknown kind"),
        "empty": _("an empty file"),
    }
    return labels.get(kind, labels["binary"])


def sniff(data: bytes) -> str:
    """The kind of content, from the first bytes: pdf, png, jpeg, gif, zip, ole, program,
    archive, web, text or binary ("empty" for no bytes). Text is UTF-8, UTF-16 or a legacy
    8-bit encoding without control characters; callers that need UTF-8 check it themselves."""
    if not data:
        return "empty"
    starts = {
        b"%PDF-": "pdf",
        b"\x89PNG\r\n\x1a\n": "png",
        b"\xff\xd8\xff": "jpeg",
        b"GIF8": "gif",
        b"PK\x03\x04": "zip",
        b"PK\x05\x06": "zip",  # an empty zip
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",
    }
    for start, kind in starts.items():
        if data.startswith(start):
            return kind
    if data.startswith(_PROGRAM_STARTS):
        return "program"
    if data.startswith(_ARCHIVE_STARTS):
        return "archive"
    if not _is_text(data[:4096]):
        return "binary"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_WEB_STARTS):
        return "web"
    return "text"


def _is_text(sample: bytes) -> bool:
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        # UTF-16 without a byte order mark: ASCII letters have a zero byte after (or before).
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return max(even, odd) >= len(sample) // 4 and min(even, odd) <= len(sample) // 50
    controls = sum(sample.count(byte) for byte in _CONTROL)
    return controls <= len(sample) // 100


@dataclass(frozen=True)
class ArchiveLimits:
    max_unpacked_bytes: int
    max_entries: int
    max_ratio: int
    max_seconds: float


def archive_limits() -> ArchiveLimits:
    """The limits from settings (UPLOAD_ARCHIVE_MAX_BYTES, _MAX_ENTRIES, _MAX_RATIO, _SECONDS)."""
    return ArchiveLimits(
        max_unpacked_bytes=int(
            getattr(settings, "UPLOAD_ARCHIVE_MAX_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
        ),
        max_entries=int(getattr(settings, "UPLOAD_ARCHIVE_MAX_ENTRIES", DEFAULT_MAX_ENTRIES)),
        max_ratio=int(getattr(settings, "UPLOAD_ARCHIVE_MAX_RATIO", DEFAULT_MAX_RATIO)),
        max_seconds=float(getattr(settings, "UPLOAD_ARCHIVE_SECONDS", DEFAULT_MAX_SECONDS)),
    )


def check_archive(data: bytes, *, name: str) -> list[str]:
    """Check the zip `data` (named `name` in messages) is safe to open; return its member names.

    Reads the central directory, refuses too many members, a declared unpacked total over the
    limit or a member compressed more than the ratio allows, then inflates every member once
    (without keeping the output) and refuses a member that gives more or less than it declared,
    a total over the limit, or a pass longer than the time budget. Raises FileRefused.
    """
    limits = archive_limits()
    damaged = FileRefused(
        _(
            "%(name)s is damaged: its contents do not match its own table of contents. Open "
            "it and save it again, then upload the new file."
        )
        % {"name": name}
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise damaged from error
    with archive:
        members = archive.infolist()
        _check_directory(members, name, limits)
        try:
            _inflate_all(archive, members, name, limits)
        except FileRefused:
            raise
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as error:
            raise damaged from error
        except (RuntimeError, NotImplementedError) as error:  # encrypted, unusual compression
            raise FileRefused(
                _("%(name)s is protected by a password or packed in a way we cannot read.")
                % {"name": name}
            ) from error
    return [member.filename for member in members]


def _too_big(name: str, limit: int) -> FileRefused:
    return FileRefused(
        _(
            "%(name)s unpacks to more than %(limit)s; at most %(limit)s is accepted. Split it "
            "into smaller files."
        )
        % {"name": name, "limit": filesizeformat(limit)}
    )


def _check_directory(members: list[zipfile.ZipInfo], name: str, limits: ArchiveLimits) -> None:
    if len(members) > limits.max_entries:
        raise FileRefused(
            _("%(name)s holds %(count)d files inside; at most %(limit)d are accepted.")
            % {"name": name, "count": len(members), "limit": limits.max_entries}
        )
    if sum(member.file_size for member in members) > limits.max_unpacked_bytes:
        raise _too_big(name, limits.max_unpacked_bytes)
    for member in members:
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise FileRefused(
                _(
                    "%(name)s is compressed more than %(ratio)d times; such a file is damaged "
                    "or built to overload the server, and is not accepted."
                )
                % {"name": name, "ratio": limits.max_ratio}
            )


def _inflate_all(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], name: str, limits: ArchiveLimits
) -> None:
    """Inflate every member, counting. zipfile never returns more than a member declares and
    fails its CRC check when the real data is longer or shorter, so a lying header ends here."""
    deadline = time.monotonic() + limits.max_seconds
    total = 0
    for member in members:
        if member.is_dir():
            continue
        given = 0
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                given += len(chunk)
                total += len(chunk)
                if given > member.file_size:
                    raise zipfile.BadZipFile(member.filename)
                if total > limits.max_unpacked_bytes:
                    raise _too_big(name, limits.max_unpacked_bytes)
                if time.monotonic() > deadline:
                    raise FileRefused(
                        _("%(name)s takes too long to unpack; split it into smaller files.")
                        % {"name": name}
                    )
        if given != member.file_size:
            raise zipfile.BadZipFile(member.filename)
