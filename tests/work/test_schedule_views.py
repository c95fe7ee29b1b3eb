"""Weekly schedule pages: the week view (what staff see, before and after publication), the
editor's htmx partials, the printable page, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.work.models import ScheduleChange, ScheduleEntry, WeeklySchedule
from danhgia.work.services import schedules as services
from tests.conftest import World
from tests.work.test_plan_helpers import (
    add_meeting,
    count_queries,
    english_client,
    monday,
    schedule_with,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.django_db
def test_staff_see_their_departments_schedule_only_once_published(world: World) -> None:
    schedule = schedule_with(world, entries=1)
    staff = english_client(world.users["staff"])
    before = staff.get(reverse("work:week_view")).content.decode()
    assert 'data-testid="no-schedule"' in before and "Họp giao ban 1" not in before
    assert staff.get(reverse("work:schedule_print", args=[schedule.pk])).status_code == 403
    head_page = english_client(world.users["head"]).get(reverse("work:week_view")).content.decode()
    assert "Draft: not published yet" in head_page and "Họp giao ban 1" in head_page
    services.publish_schedule(schedule, by=world.users["head"])
    after = staff.get(reverse("work:week_view")).content.decode()
    assert "Họp giao ban 1" in after and "Phòng họp tầng 2" in after
    assert "Trần Thị Hạnh" in after  # the chair
    assert "Sở Nội vụ" in after


@pytest.mark.django_db
def test_the_week_is_grouped_by_weekday_with_links_to_other_weeks(world: World) -> None:
    schedule = schedule_with(world, entries=0)
    add_meeting(world, schedule, day_offset=2, title="Hội nghị sơ kết")
    add_meeting(world, schedule, day_offset=6, title="Trực cơ quan")
    services.publish_schedule(schedule, by=world.users["head"])
    page = english_client(world.users["staff"]).get(reverse("work:week_view")).content.decode()
    wednesday = monday() + datetime.timedelta(days=2)
    sunday = monday() + datetime.timedelta(days=6)
    assert page.count('data-testid="week-day"') == 6  # Monday to Friday, and Sunday
    assert page.index(f"Wednesday, {wednesday:%d/%m/%Y}") < page.index("Hội nghị sơ kết")
    assert page.index(f"Sunday, {sunday:%d/%m/%Y}") < page.index("Trực cơ quan")
    assert f"week={monday(-1):%Y-%m-%d}" in page and f"week={monday(1):%Y-%m-%d}" in page
    next_week = english_client(world.users["staff"]).get(
        reverse("work:week_view"), {"week": monday(1).isoformat(), "unit": world.dept.pk}
    )
    assert 'data-testid="no-schedule"' in next_week.content.decode()


@pytest.mark.django_db
def test_a_unit_outside_scope_is_not_found(world: World) -> None:
    client = english_client(world.users["staff_other"])
    assert client.get(reverse("work:week_view"), {"unit": world.dept.pk}).status_code == 404
    assert client.get(reverse("work:week_view"), {"unit": "x"}).status_code == 404
    assert client.get(reverse("work:week_view"), {"unit": world.dept_other.pk}).status_code == 200


@pytest.mark.django_db
def test_week_view_query_count_is_constant(world: World) -> None:
    client = english_client(world.users["staff"])
    url = reverse("work:week_view")
    schedule_with(world, entries=1, published=True)
    one = count_queries(client, url)
    three = schedule_with(world, entries=3, published=True, week=1)
    assert three.entries.count() == 3
    assert count_queries(client, url, week=monday(1).isoformat()) == one > 0


@pytest.mark.django_db
def test_schedule_editor_query_count_is_constant(world: World) -> None:
    client = english_client(world.users["head"])
    one = schedule_with(world, entries=1)
    three = schedule_with(world, entries=3, week=1)
    first = count_queries(client, reverse("work:schedule_edit", args=[one.pk]))
    assert count_queries(client, reverse("work:schedule_edit", args=[three.pk])) == first > 0


@pytest.mark.django_db
def test_an_editor_starts_the_week_from_the_week_view(world: World) -> None:
    head = english_client(world.users["head"])
    page = head.get(reverse("work:week_view")).content.decode()
    assert 'data-testid="schedule-start"' in page
    response = head.post(
        reverse("work:schedule_create"),
        {"unit": world.dept.pk, "week_start": monday().isoformat()},
    )
    schedule = WeeklySchedule.objects.get()
    assert response["Location"] == reverse("work:schedule_edit", args=[schedule.pk])
    tuesday = (monday() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    refused = head.post(
        reverse("work:schedule_create"), {"unit": world.dept.pk, "week_start": tuesday}
    )
    assert "A weekly schedule starts on a Monday." in refused.content.decode()
    assert 'data-testid="schedule-start"' not in (
        english_client(world.users["staff"]).get(reverse("work:week_view")).content.decode()
    )


@pytest.mark.django_db
def test_htmx_entry_add_keeps_input_on_error_and_delete_swaps_the_body(world: World) -> None:
    schedule = schedule_with(world, entries=0)
    head = english_client(world.users["head"])
    url = reverse("work:schedule_entry_add", args=[schedule.pk])
    data = {
        "day": monday().isoformat(),
        "starts": "14:00",
        "ends": "13:00",
        "title": "Họp bàn kế hoạch",
        "place": "Hội trường",
        "kind": "meeting",
        "chair": world.people["head"].pk,
        "participants": [world.people["staff"].pk],
    }
    bad = head.post(url, data, **HTMX).content.decode()
    assert "<html" not in bad and 'id="schedule-body"' in bad
    assert "The end time must not be before the start time." in bad
    assert 'value="Họp bàn kế hoạch"' in bad and 'value="14:00"' in bad
    assert ScheduleEntry.objects.count() == 0
    good = head.post(url, {**data, "ends": "16:00"}, **HTMX).content.decode()
    assert "<html" not in good and "Họp bàn kế hoạch" in good
    entry = ScheduleEntry.objects.get()
    assert (list(entry.participants.all()), entry.chair) == (
        [world.people["staff"]],
        world.people["head"],
    )
    deleted = head.post(
        reverse("work:schedule_entry_delete", args=[entry.pk]), **HTMX
    ).content.decode()
    assert "<html" not in deleted and "Họp bàn kế hoạch" not in deleted
    assert ScheduleEntry.objects.count() == 0


@pytest.mark.django_db
def test_publish_and_changes_after_publication_are_shown(world: World) -> None:
    schedule = schedule_with(world, entries=1)
    head = english_client(world.users["head"])
    response = head.post(reverse("work:schedule_publish", args=[schedule.pk]), follow=True)
    assert "The schedule is published to the unit." in response.content.decode()
    schedule.refresh_from_db()
    add_meeting(world, schedule, day_offset=4, title="Tiếp công dân")
    page = english_client(world.users["staff"]).get(reverse("work:week_view")).content.decode()
    assert "changed after publication" in page and "Tiếp công dân" in page
    printed = english_client(world.users["staff"]).get(
        reverse("work:schedule_print", args=[schedule.pk])
    )
    assert "Changed after publication." in printed.content.decode()


@pytest.mark.django_db
def test_the_printable_page_is_a_standalone_administrative_document(world: World) -> None:
    schedule = schedule_with(world, entries=2, published=True)
    response = english_client(world.users["staff"]).get(
        reverse("work:schedule_print", args=[schedule.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "css/print.css" in page and "css/app.css" not in page and "topbar" not in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "TỈNH THỬ NGHIỆM" in page and "SỞ NỘI VỤ" in page
    assert "WEEKLY WORK SCHEDULE" in page
    end = monday() + datetime.timedelta(days=6)
    assert f"From {monday():%d/%m/%Y} to {end:%d/%m/%Y}" in page
    headers = ["Day", "Time", "Content", "Place", "Chaired by", "Taking part"]
    assert all(f"<th>{header}</th>" in page for header in headers)
    assert "08:00–10:00" in page and "Nguyễn Văn An" in page and "Đại diện các phòng" in page


@pytest.mark.django_db
def test_changes_after_publication_are_their_own_rows_not_read_from_the_audit_log(
    world: World,
) -> None:
    schedule = schedule_with(world, entries=1, published=True)
    added = add_meeting(world, schedule, day_offset=4, title="Tiếp công dân")
    services.delete_entry(added, by=world.users["head"])
    changes = list(ScheduleChange.objects.filter(schedule=schedule).values_list("kind", "title"))
    assert changes == [("added", "Tiếp công dân"), ("deleted", "Tiếp công dân")]
    # The page reads the changes, not the audit log.
    staff = english_client(world.users["staff"])
    with CaptureQueriesContext(connection) as queries:
        page = staff.get(reverse("work:week_view")).content.decode()
    assert not [query for query in queries if "core_auditlog" in query["sql"]]
    assert "changed after publication" in page
    assert page.count("Tiếp công dân") == 2
    assert "Entry added after publication" in page and "Entry deleted after publication" in page


@pytest.mark.django_db
def test_the_migration_brings_the_changes_logged_before_it_into_their_table(world: World) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("danhgia.work.migrations.0004_schedule_change")
    schedule = schedule_with(world, entries=1, published=True)
    add_meeting(world, schedule, day_offset=2, title="Tiếp công dân")
    kept = list(ScheduleChange.objects.values_list("schedule_id", "kind", "title", "starts_at"))
    ScheduleChange.objects.all().delete()  # as before the table existed

    migration.backfill(apps, None)

    rebuilt = ScheduleChange.objects.values_list("schedule_id", "kind", "title", "starts_at")
    assert list(rebuilt) == kept
