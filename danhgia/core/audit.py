"""The audit log: `log_action()` for services, `verify_chain()` for the verifier command."""

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from danhgia.core import clock
from danhgia.core.models import AuditLog

GENESIS_HASH = "0" * 64
_ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Each app names its audit actions for people (lazy translated strings), in ready()."""
    _ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The human name of an audit action, or its code when none is registered."""
    return str(_ACTION_LABELS.get(action, action))


_CHAIN_LOCK_KEY = 4_242_001


def _lock_chain() -> None:
    """Serialise chain appends. SQLite transactions here are IMMEDIATE, so already serial."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))


@transaction.atomic
def log_action(
    obj: models.Model | None,
    action: str,
    *,
    by: Any = None,
    data: dict[str, Any] | None = None,
    object_type: str = "",
) -> AuditLog:
    """Append one row to the audit chain, in the caller's transaction."""
    _lock_chain()
    last = AuditLog.objects.order_by("-id").values_list("hash", flat=True).first()
    entry = AuditLog(
        created_at=clock.now(),
        actor=by if by is not None and getattr(by, "pk", None) else None,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        data=_jsonable(data),
        prev_hash=last or GENESIS_HASH,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


@dataclass(frozen=True)
class Anchor:
    """A signed head of the chain, read back from an anchor file (danhgia/core/anchors.py)."""

    audit_id: int
    hash: str
    row_count: int
    at: str
    source: str = ""


@dataclass
class ChainReport:
    """What verification found. `trusted_until`: the last row proven sound (0: none);
    `untrusted_from`: the first row that can no longer be trusted (None when intact)."""

    checked: int = 0
    anchors_matched: int = 0
    trusted_until: int = 0
    untrusted_from: int | None = None
    broken: AuditLog | None = None
    why: str = ""
    # "edited", "removed", "recomputed" (an anchor no longer matches) or "truncated" (the
    # chain, sound up to its end, ends before the newest anchor: rows cut off, or an older
    # backup restored); "" when intact.
    kind: str = ""
    ends_at: int = 0  # the chain's last row (when it was walked to its end)

    @property
    def intact(self) -> bool:
        return not self.why


def check_chain(anchors: Iterable[Anchor] = (), batch_size: int = 2000) -> ChainReport:
    """Walk the chain in id order against itself and against the anchors (already checked for
    their HMAC). Finds an edited row, a removed row, a chain recomputed after an edit (an
    anchored hash or row count differs), and a truncated chain (it ends before an anchor).

    Gaps in ids are not evidence: a rolled-back transaction consumes its id on PostgreSQL. A
    deletion shows as a broken link, or, when the later hashes were recomputed, at an anchor.
    """
    pending = deque(sorted((a for a in anchors if a.audit_id > 0), key=lambda a: a.audit_id))
    report = ChainReport()
    expected_prev = GENESIS_HASH
    anchored_row = 0  # the last row whose hash and position an anchor proves
    last_id = 0
    for entry in _iterate(batch_size):
        if pending and pending[0].audit_id < entry.id:
            anchor = pending[0]
            start = _after(anchored_row, entry.id)
            return _fail(
                report,
                entry,
                anchored_row,
                start,
                f"row {anchor.audit_id}, anchored at {anchor.at} ({anchor.source}), is missing: "
                f"rows were deleted or the chain recomputed since that anchor, from row "
                f"{start}",
                "recomputed",
            )
        if entry.prev_hash != expected_prev:
            return _fail(
                report,
                entry,
                last_id,
                entry.id,
                "previous hash does not match: a row before it was removed",
                "removed",
            )
        if entry.compute_hash() != entry.hash:
            return _fail(
                report,
                entry,
                last_id,
                entry.id,
                "content does not match its hash: the row was edited",
                "edited",
            )
        report.checked += 1
        # Several anchors may name the same row (no audited change between two nights).
        while pending and pending[0].audit_id == entry.id:
            anchor = pending.popleft()
            if anchor.hash != entry.hash or anchor.row_count != report.checked:
                report.checked -= 1
                start = _after(anchored_row, entry.id)
                return _fail(
                    report,
                    entry,
                    anchored_row,
                    start,
                    f"recomputed or edited since anchor {anchor.at} ({anchor.source}): row "
                    f"{anchor.audit_id} had hash {anchor.hash[:12]}… as row {anchor.row_count}, "
                    f"it now has {entry.hash[:12]}… as row {report.checked + 1}; the history "
                    f"cannot be trusted from row {start}",
                    "recomputed",
                )
            anchored_row = entry.id
            report.anchors_matched += 1
        expected_prev = entry.hash
        last_id = entry.id
    report.ends_at = last_id
    if pending:
        anchor = pending[-1]
        return _fail(
            report,
            None,
            anchored_row,
            last_id + 1,
            f"truncated: the anchor of {anchor.at} ({anchor.source}) records row "
            f"{anchor.audit_id} ({anchor.row_count} rows), the chain ends at row {last_id} "
            f"({report.checked} rows): rows after {last_id} were deleted, or an older backup "
            f"was restored; the last row an anchor proves is {anchored_row}",
            "truncated",
        )
    report.trusted_until = last_id
    return report


def _after(anchored_row: int, current: int) -> int:
    """The first row after the last anchored one (the earliest a recomputation can start)."""
    first = AuditLog.objects.filter(id__gt=anchored_row).order_by("id").values_list("id", flat=True)
    return first.first() or current


def _fail(
    report: ChainReport,
    entry: AuditLog | None,
    trusted_until: int,
    untrusted_from: int,
    why: str,
    kind: str,
) -> ChainReport:
    report.kind = kind
    report.broken = entry
    report.why = why
    report.trusted_until = trusted_until
    report.untrusted_from = untrusted_from
    return report


def verify_chain(batch_size: int = 2000) -> tuple[int, AuditLog | None, str]:
    """Walk the chain in order. Return (rows checked, first broken row or None, why).
    Without anchors: `check_chain` checks against them too."""
    report = check_chain((), batch_size)
    return report.checked, report.broken, report.why


def _iterate(batch_size: int) -> Iterator[AuditLog]:
    last_id = 0
    while True:
        rows = list(AuditLog.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
