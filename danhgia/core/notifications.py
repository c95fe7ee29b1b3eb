"""In-app notifications: `notify()` for services, never the same keyed notice twice."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

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
                created_at=timezone.now(),
            )
    except IntegrityError:
        return False
    return True
