"""Tasks: a task owned by `staff` in the division, assigned by `manager`.

The owner reports, completes and asks for more time; the assigner comments, answers and
assesses; the assigner and leaders over the unit reassign and cancel; everyone with the unit
in scope (head, HR, supervisor) reads. Other units' people get 404.
"""

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from danhgia.work.models import EvidenceFile, Task
from danhgia.work.services.extensions import request_extension
from danhgia.work.services.tasks import assign_task, complete_task
from tests.conftest import World
from tests.matrix import Row

EVIDENCE_NAME = "evidence/matrix/bao-cao.pdf"


def _task(world: World) -> Task:
    today = timezone.localdate()
    return assign_task(
        title="Tham mưu văn bản",
        unit=world.division,
        owner=world.people["staff"],
        by=world.users["manager"],
        source=Task.Source.ASSIGNMENT,
        start_date=today,
        due_date=today + datetime.timedelta(days=10),
    )


def _open_task(world: World) -> list[Any]:
    return [_task(world).pk]


def _done_task(world: World) -> list[Any]:
    task = _task(world)
    complete_task(task, by=world.users["staff"], on=timezone.localdate())
    return [task.pk]


def _pending_extension(world: World) -> list[Any]:
    task = _task(world)
    extension = request_extension(
        task,
        by=world.users["staff"],
        proposed_deadline=task.deadline + datetime.timedelta(days=5),
        reason="Chờ số liệu",
    )
    return [extension.pk]


def _evidence(world: World) -> list[Any]:
    """One small file under MEDIA_ROOT, written once and reused by every run."""
    if not default_storage.exists(EVIDENCE_NAME):
        default_storage.save(EVIDENCE_NAME, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    evidence = EvidenceFile.objects.create(
        task=_task(world),
        file=EVIDENCE_NAME,
        original_name="bao-cao.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
        uploaded_by=world.users["staff"],
        uploaded_at=timezone.now(),
    )
    return [evidence.pk]


def _division(world: World) -> list[Any]:
    return [world.division.pk]


ROWS = [
    Row("work:my_tasks", "302 200 200 200 200 200 200 200"),
    Row("work:task_board", "302 404 404 200 200 404 200 200", args=_division),
    Row("work:task_assign", "302 403 403 200 200 200 403 403"),
    Row("work:task_detail", "302 200 404 200 200 404 200 200", args=_open_task),
    Row("work:task_progress", "302 200 404 200 403 404 403 403", args=_open_task),
    Row("work:task_complete", "302 200 404 403 403 404 403 403", args=_open_task),
    Row("work:extension_request", "302 200 404 403 403 404 403 403", args=_open_task),
    Row("work:extension_answer", "302 403 404 200 403 404 403 403", args=_pending_extension),
    Row("work:task_assess", "302 403 404 200 403 404 403 403", args=_done_task),
    Row("work:task_reassign", "302 403 404 200 200 404 403 403", args=_open_task),
    Row("work:task_cancel", "302 403 404 200 200 404 403 403", args=_open_task),
    Row("work:evidence_download", "302 200 404 200 200 404 200 200", args=_evidence),
]
