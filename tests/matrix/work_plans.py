"""Catalogue, monthly plans and weekly schedules.

Catalogue: everyone reads the catalogues that apply to them; HR and heads maintain those of
their scope (the product lives in the Sở Nội vụ's catalogue, so staff and the manager see it
but may not revise it). Plans: the staff member's own plan; its author edits and submits, the
manager and head over the division approve or return it, HR and the supervisor read it.
Schedules: the Sở Nội vụ's schedule, kept by its head; its own staff read it once published.
Other units' people get 404 throughout.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from danhgia.organisations.models import ImportBatch, ImportKind
from danhgia.work.models import WeeklySchedule, WorkPlan
from danhgia.work.services import plans, schedules
from danhgia.work.services.catalogue import create_product_type
from tests.conftest import World
from tests.matrix import Row

TODAY = timezone.localdate()
MONTH = TODAY.replace(day=1)
MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())
DUE = (MONTH + datetime.timedelta(days=20)).strftime("%d/%m/%Y")


def _product(world: World) -> list[Any]:
    made = create_product_type(
        unit=world.dept,
        code="VB",
        name="Văn bản tham mưu",
        unit_of_measure="văn bản",
        coefficient=Decimal("1.5"),
        valid_from=datetime.date(2024, 1, 1),
        by=world.users["hr"],
    )
    return [made.pk]


def _hr_product_import(world: World) -> list[Any]:
    batch = ImportBatch(
        kind=ImportKind.PRODUCTS,
        original_name="danh-muc.csv",
        sha256="0" * 64,
        uploaded_by=world.users["hr"],
        uploaded_at=timezone.now(),
        status=ImportBatch.Status.REJECTED,
        errors=[],
    )
    batch.file.save("danh-muc.csv", ContentFile(b"x"), save=False)
    batch.save()
    return [batch.pk]


def _draft(world: World) -> WorkPlan:
    staff = world.people["staff"]
    plan = plans.create_plan(world.division, staff, MONTH, by=staff.user)
    plans.add_item(
        plan, by=staff.user, title="Báo cáo tháng", due_date=MONTH + datetime.timedelta(days=20)
    )
    return plan


def _draft_plan(world: World) -> list[Any]:
    return [_draft(world).pk]


def _draft_item(world: World) -> list[Any]:
    return [_draft(world).items.get().pk]


def _submitted_plan(world: World) -> list[Any]:
    plan = _draft(world)
    return [plans.submit_plan(plan, by=world.users["staff"]).pk]


def _schedule(world: World, *, published: bool) -> WeeklySchedule:
    head = world.users["head"]
    schedule = schedules.create_schedule(world.dept, MONDAY, by=head)
    schedules.add_entry(
        schedule,
        by=head,
        starts_at=timezone.make_aware(datetime.datetime.combine(MONDAY, datetime.time(8))),
        title="Họp giao ban",
        chair=world.people["head"],
    )
    return schedules.publish_schedule(schedule, by=head) if published else schedule


def _draft_schedule(world: World) -> list[Any]:
    return [_schedule(world, published=False).pk]


def _draft_entry(world: World) -> list[Any]:
    return [_schedule(world, published=False).entries.get().pk]


def _published_schedule(world: World) -> list[Any]:
    return [_schedule(world, published=True).pk]


ENTRY = {"day": MONDAY.isoformat(), "starts": "14:00", "title": "Họp chi bộ", "kind": "meeting"}
KEEPERS_ONLY = "302 403 404 403 302 404 403 403"

ROWS = [
    # Product catalogue
    Row("work:catalogue", "302 200 200 200 200 200 200 200"),
    Row("work:product_create", "302 403 403 403 200 200 200 403"),
    Row("work:product_revise", "302 403 404 403 200 404 200 403", args=_product),
    Row("work:product_import", "302 403 403 403 200 200 200 403"),
    Row(
        "work:product_import_preview",
        "302 404 404 404 404 404 200 404",
        args=_hr_product_import,
    ),
    Row("work:product_template", "302 403 403 403 200 200 200 403"),
    # Monthly plans
    Row("work:plan_list", "302 200 200 200 200 200 200 200"),
    Row("work:plan_create", "302 200 200 200 200 200 200 200"),
    Row("work:plan_edit", "302 200 404 200 200 404 200 200", args=_draft_plan),
    Row(
        "work:plan_item_add",
        "302 302 404 403 403 404 403 403",
        args=_draft_plan,
        method="post",
        data={"title": "Việc mới", "quantity": "1", "due_date": DUE},
    ),
    Row(
        "work:plan_item_remove",
        "302 302 404 403 403 404 403 403",
        args=_draft_item,
        method="post",
    ),
    Row("work:plan_submit", "302 302 404 403 403 404 403 403", args=_draft_plan, method="post"),
    Row(
        "work:plan_approve", "302 403 404 302 302 404 403 403", args=_submitted_plan, method="post"
    ),
    Row(
        "work:plan_return",
        "302 403 404 302 302 404 403 403",
        args=_submitted_plan,
        method="post",
        data={"reason": "Bổ sung"},
    ),
    # Weekly schedules
    Row("work:week_view", "302 200 200 200 200 200 200 200"),
    Row("work:schedule_create", "302 403 403 403 200 200 403 403"),
    Row("work:schedule_edit", "302 403 404 403 200 404 403 403", args=_draft_schedule),
    Row(
        "work:schedule_entry_add",
        KEEPERS_ONLY,
        args=_draft_schedule,
        method="post",
        data=ENTRY,
    ),
    Row("work:schedule_entry_delete", KEEPERS_ONLY, args=_draft_entry, method="post"),
    Row("work:schedule_publish", KEEPERS_ONLY, args=_draft_schedule, method="post"),
    Row("work:schedule_print", "302 200 404 200 200 404 200 200", args=_published_schedule),
]
