"""API writes: integrations (create, revoke) and tasks from incoming documents.

Guard, change, log: every write appends an audit row in its own transaction.
"""

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.api.models import ExternalTask, Integration
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import Task
from danhgia.work.services.tasks import assign_task, reassign_task
from danhgia.work.signals import place_of, send_tasks_changed

API_ACTION_LABELS: dict[str, Any] = {
    "api.integration_created": gettext_lazy("integration created"),
    "api.integration_revoked": gettext_lazy("integration revoked"),
    "api.task_received": gettext_lazy("task received from a document system"),
    "api.task_updated": gettext_lazy("task updated by a document system"),
}

TOKEN_PREFIX = "dg_"


class ApiError(Exception):
    """A rule of the API was broken; the message says what to do. `status` is the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_integration(*, name: str, unit: Unit, by: User) -> tuple[Integration, str]:
    """A new integration scoped to `unit` and below. Returns it with its token, which is
    stored only as a hash (show it once). Logs `api.integration_created`."""
    name = name.strip()
    if not name:
        raise ApiError(_("Give the integration a name."))
    if Integration.objects.filter(name=name).exists():
        raise ApiError(_("An integration with this name exists already: choose another name."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    integration = Integration.objects.create(
        name=name,
        unit=unit,
        token_hash=hash_token(token),
        token_prefix=token[:10],
        created_by=by,
        created_at=clock.now(),
    )
    log_action(
        integration,
        "api.integration_created",
        by=by,
        data={"before": None, "after": {"name": name, "unit": unit.code}},
    )
    return integration, token


@transaction.atomic
def revoke_integration(integration: Integration, *, by: User | None) -> Integration:
    """Its token stops working at once. Logs `api.integration_revoked`."""
    integration = Integration.objects.select_for_update().get(pk=integration.pk)
    if integration.revoked_at is not None:
        raise ApiError(_("This integration is revoked already."))
    integration.revoked_at = clock.now()
    integration.revoked_by = by
    integration.save(update_fields=["revoked_at", "revoked_by"])
    log_action(
        integration,
        "api.integration_revoked",
        by=by,
        data={"before": {"revoked_at": None}, "after": {"revoked_at": integration.revoked_at}},
    )
    return integration


def _document_state(task: Task) -> dict[str, Any]:
    return {
        "title": task.title,
        "description": task.description,
        "document_number": task.document_number,
        "document_date": task.document_date,
        "due_date": task.due_date,
        "owner": task.owner.employee_code,
    }


@transaction.atomic
def put_document_task(
    integration: Integration,
    external_id: str,
    *,
    title: str,
    document_number: str,
    document_date: datetime.date,
    deadline: datetime.date,
    owner: Person,
    description: str = "",
) -> tuple[Task, bool]:
    """Create the task of an incoming document, or bring it up to date: idempotent by
    (integration, external id). Returns (task, created). Sending the same document again
    changes nothing and logs nothing; a change logs `api.task_updated` (a new owner goes
    through `reassign_task`). Raises ApiError (409) when the task is closed already."""
    # One integration's writes run one at a time: a double send cannot create two tasks.
    Integration.objects.select_for_update().filter(pk=integration.pk).first()
    if deadline < document_date:
        raise ApiError(_("The deadline must not be before the date of the document."))
    if not owner.unit.path.startswith(integration.unit.path):
        raise ApiError(_("Choose an owner within the units of this integration."))
    by = integration.created_by
    link = (
        ExternalTask.objects.select_related("task__owner")
        .filter(integration=integration, external_id=external_id)
        .first()
    )
    now = clock.now()
    if link is None:
        task = assign_task(
            title=title,
            unit=owner.unit,
            owner=owner,
            by=by,
            source=Task.Source.DOCUMENT,
            start_date=document_date,
            due_date=deadline,
            description=description,
            document_number=document_number,
            document_date=document_date,
        )
        ExternalTask.objects.create(
            integration=integration,
            external_id=external_id,
            task=task,
            created_at=now,
            updated_at=now,
        )
        log_action(
            task,
            "api.task_received",
            by=by,
            data={
                "before": None,
                "after": {"integration": integration.name, "external_id": external_id},
            },
        )
        return task, True

    task = Task.objects.select_for_update(of=("self",)).select_related("owner").get(pk=link.task_id)
    before = _document_state(task)
    before_place = place_of(task)
    title = title.strip()
    description = description.strip()
    wanted: dict[str, Any] = {
        "title": title,
        "description": description,
        "document_number": document_number,
        "document_date": document_date,
        "due_date": deadline,
        "owner": owner.employee_code,
    }
    if wanted == before:
        return task, False
    if not task.is_open:
        raise ApiError(
            _("This task is finished or cancelled and cannot change: send a new document."),
            status=409,
        )
    if deadline < task.start_date:
        raise ApiError(_("The deadline must not be before the start of the task."))
    if owner.pk != task.owner_id:
        task = reassign_task(
            task,
            by=by,
            new_owner=owner,
            reason=_("Changed by document %(number)s from %(system)s.")
            % {"number": document_number, "system": integration.name},
        )
    # An approved extension keeps the later deadline in force.
    extended = task.deadline > task.due_date
    task.title = title
    task.description = description
    task.document_number = document_number
    task.document_date = document_date
    task.deadline = max(task.deadline, deadline) if extended else deadline
    task.due_date = deadline
    task.save(
        update_fields=[
            "title",
            "description",
            "document_number",
            "document_date",
            "due_date",
            "deadline",
        ]
    )
    send_tasks_changed([task], by=by, before=[before_place])
    link.updated_at = now
    link.save(update_fields=["updated_at"])
    log_action(
        task,
        "api.task_updated",
        by=by,
        data={"before": before, "after": _document_state(task), "integration": integration.name},
    )
    return task, False
