"""Evidence files: check an upload by its content, then store it under a random name.

Checking and storing are separate so a service can check every file before it changes
anything: a refused file then leaves neither rows nor files behind.
"""

import hashlib
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.work.models import EvidenceFile, Task, TaskUpdate
from danhgia.work.services import WorkError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ACCEPTED_EXTENSIONS = ".pdf .png .jpg .jpeg .docx .xlsx .pptx .odt .ods .txt .csv"

# Detected type -> (extensions its name may end with, content type served back).
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (
        (".pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text"),
    "ods": ((".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
    "text": ((".txt", ".csv"), "text/plain; charset=utf-8"),
}
_OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed `check_evidence`, with what was learned about it."""

    upload: UploadedFile
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def safe_name(name: str) -> str:
    """The last part of `name`, without path separators or control characters, NFC, ≤ 255."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip()
    base = base.lstrip(".") or "file"
    if len(base) > 255:
        stem, dot, suffix = base.rpartition(".")
        base = f"{stem[: 254 - len(suffix)]}.{suffix}" if dot and len(suffix) < 10 else base[:255]
    return base


def _extension(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


def detect_kind(data: bytes, upload: UploadedFile) -> str | None:
    """The kind of file by its first bytes (and, for zips, its entries); None if not accepted."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text"
    return None


def _zip_kind(upload: UploadedFile) -> str | None:
    """Office Open XML or OpenDocument; any other zip is refused. Reads the listing only."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return kind
                return None
            if "mimetype" in names:
                with archive.open("mimetype") as handle:
                    return _ODF_MIMETYPES.get(handle.read(100).strip())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def check_evidence(upload: UploadedFile) -> CheckedFile:
    """Check size, type (by content) and name of one upload. Writes nothing.

    Raises WorkError when the file is empty or too large, of a kind not accepted, or named
    with an extension that does not match its content.
    """
    name = safe_name(upload.name or "")
    size = upload.size or 0
    limit = max_bytes()
    if size > limit:
        raise WorkError(
            _("%(name)s is %(size)s; the largest file accepted is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise WorkError(_("%(name)s is empty. Attach the file again.") % {"name": name})
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = detect_kind(data, upload)
    if kind is None:
        raise WorkError(
            _("%(name)s is not a file kind we accept. Attach one of: %(kinds)s.")
            % {"name": name, "kinds": ACCEPTED_EXTENSIONS}
        )
    extensions, content_type = KINDS[kind]
    suffix = _extension(name)
    if suffix not in extensions:
        raise WorkError(
            _(
                "%(name)s does not contain what its name says: its content is %(kind)s. "
                "Rename it to end in %(extension)s, or attach the right file."
            )
            % {"name": name, "kind": kind.upper(), "extension": extensions[0]}
        )
    return CheckedFile(
        upload=upload,
        original_name=name,
        extension=suffix,
        content_type=content_type,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def store_evidence(
    task: Task, checked: CheckedFile, *, update: TaskUpdate | None, by: User
) -> EvidenceFile:
    """Save a checked file under MEDIA_ROOT/evidence/<year>/<month>/<random><ext>; one row.

    Call inside the service's transaction, after its guards: the row goes with it, the file
    on disk does not (a rollback after this point leaves an unreferenced file).
    """
    evidence = EvidenceFile(
        task=task,
        update=update,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
        uploaded_at=clock.now(),
    )
    checked.upload.seek(0)
    evidence.file.save(f"{secrets.token_hex(16)}{checked.extension}", checked.upload, save=False)
    evidence.save()
    return evidence
