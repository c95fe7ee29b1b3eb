"""Anchors of the audit chain outside the database (docs/deploy.md, "Audit anchors").

`write_anchor()` signs the chain's head (last row id, its hash, the number of rows, the time)
with HMAC-SHA256 under `AUDIT_ANCHOR_KEY`, a key that is never in the database, appends it as one
JSON line to the day's file in `AUDIT_ANCHOR_DIR` and records it for the public portal.
`read_anchors()` reads the files back and refuses every line whose HMAC does not match: without
the key nobody can write an anchor that verification accepts.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from danhgia.core import clock
from danhgia.core.audit import GENESIS_HASH, Anchor, chain_pending
from danhgia.core.models import AuditAnchor, AuditLog

_FIELDS = ("audit_id", "hash", "row_count", "at")


def _key() -> bytes:
    return str(settings.AUDIT_ANCHOR_KEY).encode("utf-8")


def _mac(head: dict[str, Any]) -> str:
    message = json.dumps([head[name] for name in _FIELDS], separators=(",", ":"))
    return hmac.new(_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def anchor_dir() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def write_anchor(directory: Path | None = None) -> AuditAnchor:
    """Chain what is pending, then sign the chain's head and append it to today's file."""
    chain_pending()
    with transaction.atomic():
        anchor = _record_head()
    # That COMMIT waited for the disk, and so wrote there everything committed before it,
    # the head's chaining included: a crash can no longer undo what the line vouches for.
    folder = directory or anchor_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"audit-anchors-{anchor.created_at:%Y-%m-%d}.jsonl"
    with path.open("a", encoding="utf-8") as file:
        file.write(anchor.line + "\n")
    return anchor


def _record_head() -> AuditAnchor:
    last = AuditLog.objects.filter(seq__isnull=False).order_by("-seq")
    head_row = last.values_list("id", "hash", "seq").first()
    # `seq` is the row's position in the chain: rows chained later come after it.
    audit_id, head_hash, position = head_row if head_row is not None else (0, GENESIS_HASH, 0)
    row_count = position or 0
    now = clock.now()
    head: dict[str, Any] = {
        "audit_id": audit_id,
        "hash": head_hash,
        "row_count": row_count,
        "at": now.isoformat(timespec="seconds"),
    }
    head["hmac"] = _mac(head)
    line = json.dumps(head, separators=(",", ":"))
    return AuditAnchor.objects.create(
        audit_id=audit_id, hash=head_hash, row_count=row_count, created_at=now, line=line
    )


@dataclass
class AnchorFiles:
    """The anchors read back: the valid ones, and one message per refused line."""

    anchors: list[Anchor] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def parse_line(line: str, source: str) -> Anchor:
    """One anchor line, checked; ValueError says why it is refused."""
    try:
        head = json.loads(line)
        values = {name: head[name] for name in _FIELDS}
        given = str(head["hmac"])
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{source}: not an anchor line") from error
    if not hmac.compare_digest(_mac(values), given):
        raise ValueError(
            f"{source}: HMAC does not match: forged, altered, or signed with another key"
        )
    return Anchor(
        audit_id=int(values["audit_id"]),
        hash=str(values["hash"]),
        row_count=int(values["row_count"]),
        at=str(values["at"]),
        source=source,
    )


def read_anchors(directory: Path | None = None) -> AnchorFiles:
    """Every anchor line of every file in the directory, each checked for its HMAC."""
    result = AnchorFiles()
    folder = directory or anchor_dir()
    if not folder.is_dir():
        return result
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                result.anchors.append(parse_line(line, f"{path.name}:{number}"))
            except ValueError as error:
                result.refused.append(str(error))
    return result
