"""In-app notifications: `notify()` for services, never the same keyed notice twice."""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from danhgia.core import clock
from danhgia.core.models import Notification


def notify(recipient: Any, message: str, *, url: str = "", kind: str = "", key: str = "") -> bool:
    """Create one notification for `recipient` (a User). Return False when it was not created.

    With a `key`, a second call with the same key does nothing (deadline reminders from a
    periodic job stay single). A recipient without a login (None) is skipped.
    """
    if recipient is None:
        return False
    if key and Notification.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient=recipient,
                message=message[:500],
                url=url,
                kind=kind,
                key=key or None,
                created_at=clock.now(),
            )
    except IntegrityError:
        return False
    return True


def notify_many(notices: Iterable[tuple[Any, str, str, str, str]], batch_size: int = 1000) -> int:
    """Create keyed notifications in bulk: (recipient, message, url, kind, key) each.

    Notices whose key already exists, and those without a recipient, are skipped, so a nightly
    job over tens of thousands of tasks costs a few queries, not one per task. Returns the
    number created.
    """
    created = 0
    pending = [notice for notice in notices if notice[0] is not None and notice[4]]
    for start in range(0, len(pending), batch_size):
        chunk = pending[start : start + batch_size]
        known = set(
            Notification.objects.filter(key__in=[n[4] for n in chunk]).values_list("key", flat=True)
        )
        now = clock.now()
        rows = [
            Notification(
                recipient=recipient, message=message[:500], url=url, kind=kind, key=key,
                created_at=now,
            )
            for recipient, message, url, kind, key in chunk
            if key not in known
        ]  # fmt: skip
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created
