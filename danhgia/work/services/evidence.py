"""Evidence files: check an upload by its content, then store it under a random name.

Checking and storing are separate so a service can check every file before it changes
anything: a refused file then leaves neither rows nor files behind.
"""

import hashlib
import io
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
from danhgia.core.uploads import FileRefused, check_archive, kind_label, sniff
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


def accepted_kinds() -> str:
    """The accepted kinds in words, for messages and help texts."""
    return _(
        "PDF, PNG or JPEG images, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
        "OpenDocument (.odt, .ods) and text (.txt, .csv)"
    )


def detect_kind(data: bytes, name: str) -> str:
    """The kind of content (a key of `KINDS` when accepted, else a `core.uploads.sniff` kind).

    A zip is first bounded by `check_archive`, then named by its entries (Office Open XML or
    OpenDocument). Text must be UTF-8 to be "text". Raises FileRefused for an unsafe archive.
    """
    kind = sniff(data)
    if kind == "zip":
        return _zip_kind(data, check_archive(data, name=name))
    if kind == "text":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "legacy_text"
    return kind


def _zip_kind(data: bytes, names: list[str]) -> str:
    """Office Open XML or OpenDocument by the entries; "zip" for any other archive."""
    if "[Content_Types].xml" in names:
        for folder, kind in _OOXML_FOLDERS.items():
            if any(name.startswith(folder) for name in names):
                return kind
        return "zip"
    if "mimetype" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("mimetype") as handle:
            return _ODF_MIMETYPES.get(handle.read(100).strip(), "zip")
    return "zip"


def _expected_kind(suffix: str) -> str | None:
    return next((kind for kind, (names, _type) in KINDS.items() if suffix in names), None)


def _refusal(name: str, suffix: str, kind: str) -> str:
    """Why a file of content `kind` named `name` is refused (see check_evidence)."""
    expected = _expected_kind(suffix)
    accepted = accepted_kinds()
    if kind == "legacy_text":
        return _(
            "%(name)s is text in an old encoding. Save it again as UTF-8 text and attach it."
        ) % {"name": name}
    if kind in KINDS and kind != "text":
        return _(
            "%(name)s is %(actual)s, but its name ends in %(extension)s. Rename it to end in "
            "%(right)s, or attach the right file."
        ) % {
            "name": name,
            "actual": kind_label(kind),
            "extension": suffix or "—",
            "right": KINDS[kind][0][0],
        }
    if expected is not None:
        return _("%(name)s is not %(expected)s: it is %(actual)s. Accepted: %(accepted)s.") % {
            "name": name,
            "expected": kind_label(expected),
            "actual": kind_label(kind),
            "accepted": accepted,
        }
    if kind == "text":
        return _(
            "%(name)s is not a file we accept: files ending in %(extension)s are not "
            "accepted. Accepted: %(accepted)s."
        ) % {"name": name, "extension": suffix or "—", "accepted": accepted}
    return _("%(name)s is not a file we accept: it is %(actual)s. Accepted: %(accepted)s.") % {
        "name": name,
        "actual": kind_label(kind),
        "accepted": accepted,
    }


def check_evidence(upload: UploadedFile) -> CheckedFile:
    """Check size, type (by content) and name of one upload. Writes nothing.

    Raises WorkError when the file is empty or too large, an archive too large once unpacked
    (`core.uploads.check_archive`), of a kind not accepted, or named with an extension that
    does not match its content.
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
    try:
        kind = detect_kind(data, name)
    except FileRefused as error:
        raise WorkError(str(error)) from error
    suffix = _extension(name)
    if kind not in KINDS or suffix not in KINDS[kind][0]:
        raise WorkError(_refusal(name, suffix, kind))
    return CheckedFile(
        upload=upload,
        original_name=name,
        extension=suffix,
        content_type=KINDS[kind][1],
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
