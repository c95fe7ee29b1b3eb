"""The audit log: `log_action()` for services, `verify_chain()` for the verifier command."""

from collections.abc import Iterator
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


def verify_chain(batch_size: int = 2000) -> tuple[int, AuditLog | None, str]:
    """Walk the chain in order. Return (rows checked, first broken row or None, why)."""
    expected_prev = GENESIS_HASH
    checked = 0
    for entry in _iterate(batch_size):
        if entry.prev_hash != expected_prev:
            return checked, entry, "previous hash does not match: a row before it was removed"
        if entry.compute_hash() != entry.hash:
            return checked, entry, "content does not match its hash: the row was edited"
        expected_prev = entry.hash
        checked += 1
    return checked, None, ""


def _iterate(batch_size: int) -> Iterator[AuditLog]:
    last_id = 0
    while True:
        rows = list(AuditLog.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
