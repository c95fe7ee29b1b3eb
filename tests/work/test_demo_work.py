"""The demo month of work: `seed_demo` adds it once, through the services, dated from today."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, QuerySet
from django.utils import timezone

from danhgia.core.models import AuditLog, Notification
from danhgia.organisations.authority import month_bounds
from danhgia.work.models import (
    DeadlineExtension,
    EvidenceFile,
    PlanItem,
    Task,
    WeeklySchedule,
    WorkPlan,
)
from danhgia.work.services.schedules import monday_of


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--stop-after", "work", stdout=out)
    return out.getvalue()


def months() -> tuple[tuple[datetime.date, datetime.date], tuple[datetime.date, datetime.date]]:
    today = timezone.localdate()
    current = month_bounds(today)
    return month_bounds(current[0] - datetime.timedelta(days=1)), current


def counts() -> dict[str, int]:
    return {
        "tasks": Task.objects.count(),
        "plans": WorkPlan.objects.count(),
        "extensions": DeadlineExtension.objects.count(),
        "files": EvidenceFile.objects.count(),
        "notifications": Notification.objects.count(),
        "audit": AuditLog.objects.count(),
    }


@pytest.mark.django_db
def test_demo_work_has_both_months_every_outcome_plans_and_a_published_week() -> None:
    output = seed()

    assert "Đã tạo công việc mô phỏng tháng" in output
    (previous, previous_last), (current, current_last) = months()
    last_month = Task.objects.in_month(previous, previous_last)
    assert last_month.count() >= 100
    assert Task.objects.in_month(current, current_last).count() >= 100
    assert set(Task.objects.values_list("status", flat=True)) == set(Task.Status.values)
    assert Task.objects.filter(completed_on__gt=F("deadline")).exists()
    assert Task.objects.filter(assessed_at__isnull=False, major_errors__gt=0).exists()
    assert Task.objects.filter(objective_cause=True).exclude(objective_cause_note="").exists()
    extended = Task.objects.filter(deadline__gt=F("due_date"))
    assert extended.filter(extensions__status=DeadlineExtension.Status.APPROVED).exists()
    statuses = set(DeadlineExtension.objects.values_list("status", flat=True))
    assert statuses == set(DeadlineExtension.Status.values)
    assert AuditLog.objects.filter(action="task.reassigned").exists()
    documents = Task.objects.filter(source=Task.Source.DOCUMENT)
    assert documents.exists()
    assert not documents.filter(document_number="").exists()
    assert set(Task.objects.values_list("source", flat=True)) >= {
        Task.Source.PLAN,
        Task.Source.ASSIGNMENT,
        Task.Source.DOCUMENT,
        Task.Source.REGULAR,
    }
    assert sorted(EvidenceFile.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "application/pdf",
    ]
    assert Notification.objects.filter(kind="task.overdue").exists()
    assert Notification.objects.filter(kind="task.due_soon").exists()

    # Last month is closed but for the one appraisal file of the worked example.
    still_open = last_month.open()
    assert [(t.owner.user.username, t.product_type.code) for t in still_open] == [
        ("chuyenvien.ccvc", "HSTD")
    ]
    star = Task.objects.filter(owner__user__username="chuyenvien.ccvc")
    assert star.count() >= 8
    assert worked_example(star.in_month(previous, previous_last)) == {
        "VBTM": (Decimal(4), Decimal(4), 1, 0),
        "BCCD": (Decimal(2), Decimal(2), 0, 1),
        "HSTD": (Decimal(2), Decimal("1.5"), 0, 0),
    }

    # Plans approved by the managers became their tasks; the week of Sở Nội vụ is out.
    approved = WorkPlan.objects.filter(status=WorkPlan.Status.APPROVED)
    assert approved.filter(person__isnull=True).count() == 1
    assert approved.filter(person__unit__code="SNV-CCVC").count() >= 4
    assert approved.filter(person__unit__code="XTM-VP").count() >= 4
    assert approved.filter(approved_by__username="truongphong.ccvc").exists()
    items = PlanItem.objects.filter(plan__in=approved).select_related("task")
    assert items.count() >= 30
    for item in items:
        assert item.task is not None
        assert (item.task.source, item.task.owner_id) == (Task.Source.PLAN, item.owner_id)
        if item.removed_at is not None:
            assert item.task.status == Task.Status.CANCELLED
    assert items.filter(removed_at__isnull=False).count() == 1
    assert items.filter(added_after_approval=True).count() == 1
    assert AuditLog.objects.filter(action="plan.returned").count() == 1
    waiting = WorkPlan.objects.get(status=WorkPlan.Status.SUBMITTED)
    assert not waiting.items.filter(task__isnull=False).exists()

    schedule = WeeklySchedule.objects.get(
        unit__code="SNV", week_start=monday_of(timezone.localdate())
    )
    assert schedule.is_published
    assert 5 <= schedule.entries.count() <= 8
    chairs = set(schedule.entries.values_list("chair__user__username", flat=True))
    assert "giamdoc.snv" in chairs


def worked_example(tasks: QuerySet[Task]) -> dict[str, tuple[Decimal, Decimal, int, int]]:
    """Per product: converted quantity assigned and done, major errors, late deliveries."""
    rows: dict[str, tuple[Decimal, Decimal, int, int]] = {}
    for task in tasks.select_related("product_type"):
        assert task.product_type is not None
        code = task.product_type.code
        assigned, done, errors, late = rows.get(code, (Decimal(0), Decimal(0), 0, 0))
        finished = task.status == Task.Status.DONE
        rows[code] = (
            assigned + task.converted_quantity,
            done + (task.converted_quantity if finished else 0),
            errors + task.major_errors,
            late + (1 if task.days_late else 0),
        )
    return rows


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_the_audit_log_is_intact() -> None:
    seed()
    before = counts()

    second = seed()

    assert "Công việc mô phỏng đã có sẵn: không thay đổi gì." in second
    assert counts() == before
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "intact" in out.getvalue()


@pytest.mark.django_db
def test_demo_work_needs_the_demo_province() -> None:
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_work", stdout=StringIO())
    assert not Task.objects.exists()
