"""Notifications read as digests: one a day and a kind, counted so in the menu, opened by a
POST that marks them read and goes to their link."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.core.digests import digest_page, unread_digests
from danhgia.core.models import Notification
from tests.conftest import World

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=VIETNAM)


def notice(user, kind: str, when: datetime.datetime, url: str = "", n: int = 1) -> None:  # type: ignore[no-untyped-def]
    for index in range(n):
        Notification.objects.create(
            recipient=user, kind=kind, message=f"{kind} #{index}", url=url, created_at=when
        )


def test_a_day_and_a_kind_make_one_digest(world: World) -> None:
    staff = world.users["staff"]
    notice(staff, "task.assigned", at(5, 8), "/viec/", n=12)
    notice(staff, "task.assigned", at(5, 16), "/viec/", n=3)
    notice(staff, "task.assigned", at(6, 9), "/viec/")
    notice(staff, "reminder.self_evaluation.due", at(5, 7), "/phieu/1/", n=2)
    # 23:30 on the 5th in Vietnam is the 5th, though it is the 5th 16:30 in UTC...
    notice(staff, "sheet.returned", at(5, 23) + datetime.timedelta(minutes=30), "/phieu/1/")
    # ...and 00:30 on the 6th is the 6th, though UTC still says the 5th.
    notice(staff, "sheet.returned", at(6, 0) + datetime.timedelta(minutes=30), "/phieu/1/")

    assert unread_digests(staff) == 5
    digests = list(digest_page(staff, 1).object_list)
    tasks_5th = next(d for d in digests if d.kind == "task.assigned" and d.day.day == 5)
    assert tasks_5th.count == 15
    assert tasks_5th.title == "15 việc mới giao cho bạn"
    assert tasks_5th.url == "/viec/"
    assert len(tasks_5th.items) == 10
    assert unread_digests(world.users["manager"]) == 0


def test_a_single_notice_reads_as_itself(world: World) -> None:
    notice(world.users["staff"], "sheet.returned", at(5, 9), "/phieu/1/")

    (digest,) = digest_page(world.users["staff"], 1).object_list

    assert digest.title == "sheet.returned #0"


def test_the_menu_counts_digests_not_notices(world: World, client: Client) -> None:
    notice(world.users["staff"], "task.assigned", at(5, 8), "/viec/", n=30)
    client.force_login(world.users["staff"])

    page = client.get(reverse("core:notifications")).content.decode()

    assert '<span class="count">1</span>' in page
    assert page.count('data-testid="digest"') == 1
    assert "30 việc mới giao cho bạn" in page


def test_opening_a_digest_reads_it_and_goes_to_its_link(world: World, client: Client) -> None:
    staff = world.users["staff"]
    notice(staff, "task.assigned", at(5, 8), "/viec/", n=4)
    notice(staff, "task.assigned", at(6, 8), "/viec/", n=2)
    client.force_login(staff)

    response = client.post(
        reverse("core:notification_open"), {"digest": "2026-11-05|task.assigned"}
    )

    assert response.status_code == 302 and response["Location"] == "/viec/"
    assert Notification.objects.filter(recipient=staff, read_at__isnull=True).count() == 2
    assert unread_digests(staff) == 1


def test_a_digest_of_several_links_opens_the_list(world: World, client: Client) -> None:
    staff = world.users["staff"]
    notice(staff, "task.assigned", at(5, 8), "/viec/1/")
    notice(staff, "task.assigned", at(5, 9), "/viec/2/")
    client.force_login(staff)

    response = client.post(
        reverse("core:notification_open"), {"digest": "2026-11-05|task.assigned"}
    )

    assert response["Location"] == reverse("core:notifications")
    assert unread_digests(staff) == 0


@pytest.mark.parametrize("key", ["", "rubbish", "2026-13-45|task", "2026-11-05|"])
def test_a_bad_key_reads_nothing(world: World, client: Client, key: str) -> None:
    staff = world.users["staff"]
    notice(staff, "task.assigned", at(5, 8), "/viec/")
    client.force_login(staff)

    response = client.post(reverse("core:notification_open"), {"digest": key})

    assert response["Location"] == reverse("core:notifications")
    assert unread_digests(staff) == 1


def test_nobody_opens_anothers_digest(world: World, client: Client) -> None:
    notice(world.users["staff"], "task.assigned", at(5, 8), "/viec/")
    client.force_login(world.users["manager"])

    client.post(reverse("core:notification_open"), {"digest": "2026-11-05|task.assigned"})

    assert unread_digests(world.users["staff"]) == 1


def test_a_link_to_another_site_is_never_followed(world: World, client: Client) -> None:
    notice(world.users["staff"], "task.assigned", at(5, 8), "//evil.example/")
    client.force_login(world.users["staff"])

    response = client.post(
        reverse("core:notification_open"), {"digest": "2026-11-05|task.assigned"}
    )

    assert response["Location"] == reverse("core:notifications")
