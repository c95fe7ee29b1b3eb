"""Task writes: assign, and (see below) the whole life of a task. Guard, change, log."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import ProductType, Task, TaskUpdate
from danhgia.work.services import WorkError


def _event(task: Task, text: str, *, by: User | None) -> TaskUpdate:
    return TaskUpdate.objects.create(
        task=task, author=by, kind=TaskUpdate.Kind.EVENT, text=text, created_at=timezone.now()
    )


@transaction.atomic
def assign_task(
    *,
    title: str,
    unit: Unit,
    owner: Person,
    by: User,
    source: str,
    start_date: datetime.date,
    due_date: datetime.date,
    product_type: ProductType | None = None,
    quantity: Decimal = Decimal(1),
    description: str = "",
    coordinators: Iterable[Person] = (),
    document_number: str = "",
    document_date: datetime.date | None = None,
    external_id: str = "",
) -> Task:
    """Create one task with exactly one owner; notify the owner. Logs `task.assigned`.

    The task keeps the coefficient of `product_type` as it is today, so later revisions of
    the catalogue do not change it. Raises WorkError on a missing owner or inverted dates.
    """
    if owner is None:
        raise WorkError(_("Choose the one person accountable for this task."))
    if due_date < start_date:
        raise WorkError(_("The due date must not be before the start date."))
    if quantity <= 0:
        raise WorkError(_("The quantity must be greater than zero."))
    if source == Task.Source.DOCUMENT and not document_number:
        raise WorkError(_("Give the number of the incoming document."))
    task = Task.objects.create(
        title=title.strip(),
        description=description.strip(),
        unit=unit,
        owner=owner,
        assigned_by=by,
        source=source,
        product_type=product_type,
        quantity=quantity,
        coefficient=product_type.coefficient if product_type else Decimal(1),
        start_date=start_date,
        due_date=due_date,
        deadline=due_date,
        document_number=document_number,
        document_date=document_date,
        external_id=external_id,
    )
    coordinator_list = [person for person in coordinators if person.pk != owner.pk]
    task.coordinators.set(coordinator_list)
    _event(task, _("Assigned to %(name)s.") % {"name": owner.full_name}, by=by)
    log_action(
        task,
        "task.assigned",
        by=by,
        data={
            "owner": owner.employee_code,
            "unit": unit.code,
            "due_date": due_date,
            "source": source,
            "product_type": product_type.code if product_type else None,
            "quantity": quantity,
            "coordinators": [person.employee_code for person in coordinator_list],
        },
    )
    url = reverse("work:task_detail", args=[task.pk])
    notify(
        owner.user,
        _("New task: %(title)s (due %(date)s).")
        % {"title": task.title, "date": due_date.strftime("%d/%m/%Y")},
        url=url,
        kind="task.assigned",
    )
    for person in coordinator_list:
        notify(
            person.user,
            _("You coordinate on: %(title)s.") % {"title": task.title},
            url=url,
            kind="task.coordinating",
        )
    return task
