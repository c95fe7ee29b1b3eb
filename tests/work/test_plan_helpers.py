"""Helpers for the catalogue, plan and schedule tests (no tests here): products, plans,
schedules made through the services, and clients reading pages in English."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from danhgia.core.models import AuditLog
from danhgia.organisations.models import JobPosition, Unit
from danhgia.work.models import PlanItem, ProductType, ScheduleEntry, WeeklySchedule, WorkPlan
from danhgia.work.services import plans, schedules
from danhgia.work.services.catalogue import create_product_type
from tests.conftest import World

FIRST_OF_MONTH = timezone.localdate().replace(day=1)


def product(
    world: World,
    code: str = "VB",
    coefficient: str = "1.5",
    *,
    unit: Unit | None = None,
    job_position: JobPosition | None = None,
    valid_from: datetime.date = datetime.date(2024, 1, 1),
    name: str = "Văn bản tham mưu",
) -> ProductType:
    """A product of the catalogue of `unit` (the Sở Nội vụ by default), added by HR."""
    return create_product_type(
        unit=unit or world.dept,
        code=code,
        name=name,
        unit_of_measure="văn bản",
        coefficient=Decimal(coefficient),
        valid_from=valid_from,
        job_position=job_position,
        by=world.users["hr"],
    )


def staff_plan(world: World, *, items: int = 1, month: datetime.date = FIRST_OF_MONTH) -> WorkPlan:
    """The staff member's plan for the month with `items` items (a product of 1.5 on each)."""
    plan = plans.create_plan(world.division, world.people["staff"], month, by=world.users["staff"])
    made = ProductType.objects.filter(code="VB-PLAN").first() or product(world, code="VB-PLAN")
    for index in range(items):
        plans.add_item(
            plan,
            by=world.users["staff"],
            title=f"Văn bản số {index + 1}",
            due_date=month + datetime.timedelta(days=20),
            quantity=Decimal(2),
            product_type=made,
        )
    return plan


def submitted_plan(
    world: World, *, items: int = 1, month: datetime.date = FIRST_OF_MONTH
) -> WorkPlan:
    plan = staff_plan(world, items=items, month=month)
    return plans.submit_plan(plan, by=world.users["staff"])


def approved_plan(
    world: World, *, items: int = 1, month: datetime.date = FIRST_OF_MONTH
) -> WorkPlan:
    plan = submitted_plan(world, items=items, month=month)
    return plans.approve_plan(plan, by=world.users["manager"])


def first_item(plan: WorkPlan) -> PlanItem:
    return plan.items.order_by("pk").first()  # type: ignore[return-value]


def monday(weeks: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def schedule_with(
    world: World, *, entries: int = 1, published: bool = False, week: int = 0
) -> WeeklySchedule:
    """The Sở Nội vụ's schedule for a week, kept by its head, with `entries` meetings."""
    head = world.users["head"]
    schedule = schedules.create_schedule(world.dept, monday(week), by=head)
    for index in range(entries):
        add_meeting(world, schedule, day_offset=index % 5, title=f"Họp giao ban {index + 1}")
    if published:
        schedule = schedules.publish_schedule(schedule, by=head)
    return schedule


def add_meeting(
    world: World, schedule: WeeklySchedule, *, day_offset: int = 0, title: str = "Họp giao ban"
) -> ScheduleEntry:
    day = schedule.week_start + datetime.timedelta(days=day_offset)
    return schedules.add_entry(
        schedule,
        by=world.users["head"],
        starts_at=at(day, 8),
        ends_at=at(day, 10),
        title=title,
        place="Phòng họp tầng 2",
        chair=world.people["head"],
        participants=[world.people["manager"], world.people["staff"]],
        participants_note="Đại diện các phòng",
    )


def audit(obj: Any) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
            "id"
        )
    )


def actions(obj: Any) -> list[str]:
    return [entry.action for entry in audit(obj)]


def english_client(user: Any) -> Client:
    """A new client signed in as `user`, reading the pages in English (the msgids)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def count_queries(client: Client, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)
