"""Events out: which audited changes become events, what each carries, and the outbox.

An event is derived from the audit row of the change (`core.audit.action_logged`), in the
same transaction: whatever writes the audit row emits the event, and a rolled-back change
emits nothing. One `Event` row and one `Delivery` per subscription that wants the kind and
covers the object's unit; nothing goes over the network here. After the commit the worker
sends them (`api/delivery.py`, `api/tasks.py`). The payloads are described in
docs/events.openapi.yaml (a test checks every kind against it).
"""

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from danhgia.api.models import Delivery, Event, Subscription
from danhgia.core import clock
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Sheet
from danhgia.reports.publication.models import Publication
from danhgia.work.models import Task

# Event kind (= the audit action it comes from) → its name for people.
EVENT_KINDS: dict[str, Any] = {
    "task.assigned": _("task assigned"),
    "task.reassigned": _("task reassigned"),
    "task.progress_reported": _("task progress reported"),
    "task.completed": _("task completed"),
    "task.cancelled": _("task cancelled"),
    "task.assessed": _("task assessed"),
    "sheet.decided": _("sheet decided"),
    "period.closed": _("evaluation period closed"),
    "publication.published": _("results published"),
    "publication.unpublished": _("results unpublished"),
}


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _task(task: Task) -> tuple[str, dict[str, Any]]:
    task = Task.objects.select_related("unit", "owner", "external_link").get(pk=task.pk)
    link = getattr(task, "external_link", None)
    return task.unit.path, {
        "task": {
            "id": task.pk,
            "title": task.title,
            "unit": task.unit.code,
            "owner": task.owner.employee_code,
            "source": task.source,
            "document_number": task.document_number,
            "document_date": _day(task.document_date),
            "external_id": link.external_id if link is not None else None,
            "start_date": _day(task.start_date),
            "due_date": _day(task.due_date),
            "deadline": _day(task.deadline),
            "status": task.status,
            "progress": task.progress,
            "completed_on": _day(task.completed_on),
        }
    }


def _period(period: Period) -> dict[str, Any]:
    return {
        "id": period.pk,
        "organisation": period.organisation.code,
        "kind": period.kind,
        "start": _day(period.start),
        "end": _day(period.end),
        "state": period.state,
    }


def _sheet(sheet: Sheet) -> tuple[str, dict[str, Any]]:
    """No level: the API's sheet (`/api/v1/sheets/<id>/`) shows it as the month's
    publication allows; the event only says that it is decided."""
    sheet = Sheet.objects.select_related("unit", "person", "period__organisation").get(pk=sheet.pk)
    return sheet.unit.path, {
        "sheet": {
            "id": sheet.pk,
            "person": sheet.person.employee_code,
            "unit": sheet.unit.code,
            "decided_at": sheet.decided_at.isoformat() if sheet.decided_at else None,
            "period": _period(sheet.period),
        }
    }


def _closed(period: Period) -> tuple[str, dict[str, Any]]:
    period = Period.objects.select_related("organisation").get(pk=period.pk)
    closed_at = period.closed_at.isoformat() if period.closed_at else None
    return period.organisation.path, {"period": {**_period(period), "closed_at": closed_at}}


def _publication(publication: Publication) -> tuple[str, dict[str, Any]]:
    publication = Publication.objects.select_related("period__organisation").get(pk=publication.pk)
    unpublished = publication.unpublished_at
    return publication.period.organisation.path, {
        "publication": {
            "id": publication.pk,
            "audience": publication.audience,
            "privacy": publication.privacy,
            "published_at": publication.published_at.isoformat(),
            "unpublished_at": unpublished.isoformat() if unpublished else None,
            "period": _period(publication.period),
        }
    }


_PAYLOADS: dict[type[models.Model], Callable[[Any], tuple[str, dict[str, Any]]]] = {
    Task: _task,
    Sheet: _sheet,
    Period: _closed,
    Publication: _publication,
}


def wanted_by(subscription: Subscription, kind: str, unit_path: str) -> bool:
    """Does `subscription` take events of `kind` about an object of the unit at `unit_path`?"""
    return kind in subscription.kinds and unit_path.startswith(subscription.integration.unit.path)


def emit_event(kind: str, obj: models.Model) -> Event | None:
    """Write the event of `kind` about `obj` and its deliveries, in the caller's transaction,
    and have the worker send them once it commits. None (nothing written) when no active
    subscription wants it."""
    subscriptions = [
        subscription
        for subscription in Subscription.objects.filter(
            is_active=True, integration__revoked_at__isnull=True
        ).select_related("integration__unit")
        if kind in subscription.kinds
    ]
    if not subscriptions:
        return None
    unit_path, payload = _PAYLOADS[type(obj)](obj)
    subscriptions = [s for s in subscriptions if wanted_by(s, kind, unit_path)]
    if not subscriptions:
        return None
    now = clock.now()
    event = Event.objects.create(kind=kind, occurred_at=now, unit_path=unit_path, payload=payload)
    Delivery.objects.bulk_create(
        Delivery(event=event, subscription=subscription, key=uuid4(), next_attempt_at=now)
        for subscription in subscriptions
    )
    from danhgia.api.tasks import deliver_event_task  # the worker's module imports this one

    event_id = event.pk
    transaction.on_commit(lambda: deliver_event_task(event_id), robust=True)
    return event


def _complete_document_task(task: Task) -> None:
    """A task from an incoming document is assigned (`task.assigned`) before its link to the
    document system's id exists; `api.task_received` follows in the same transaction, so the
    event, not sent yet, is brought up to date with that id."""
    events = Event.objects.filter(kind="task.assigned", payload__task__id=task.pk)
    if events.exists():
        events.update(payload=_task(task)[1])


def on_action_logged(sender: Any, entry: AuditLog, obj: models.Model | None, **kwargs: Any) -> None:
    """The receiver of `action_logged`: an audited change of an event kind emits its event."""
    if entry.action in EVENT_KINDS and obj is not None and type(obj) in _PAYLOADS:
        emit_event(entry.action, obj)
    elif entry.action == "api.task_received" and isinstance(obj, Task):
        _complete_document_task(obj)
