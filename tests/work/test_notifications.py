"""Deadline notices from `notify_deadlines`, and the notification pages."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from danhgia.core.models import Notification
from danhgia.core.notifications import notify
from danhgia.work.services.extensions import answer_extension, request_extension
from danhgia.work.services.tasks import cancel_task, complete_task
from danhgia.work.tasks import notify_daily_deadlines
from tests.conftest import World
from tests.factories import PersonFactory
from tests.work.conftest import MakeTask, days

pytestmark = pytest.mark.usefixtures("english")


def _run(today: datetime.date) -> str:
    out = StringIO()
    call_command("notify_deadlines", "--today", today.strftime("%d/%m/%Y"), stdout=out)
    return out.getvalue()


def _deadline_notices() -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(kind__in=["task.due_soon", "task.overdue"])
        .order_by("kind", "id")
        .values_list("kind", "message")
    )


@pytest.mark.django_db
def test_notify_deadlines_twice_sends_each_notice_once(world: World, make_task: MakeTask) -> None:
    make_task(title="Sắp đến hạn", due_date=days(2))
    make_task(title="Quá hạn", start_date=days(-10), due_date=days(-1))
    make_task(title="Còn xa", due_date=days(3))
    done = make_task(title="Xong rồi", start_date=days(-10), due_date=days(-2))
    complete_task(done, by=world.users["staff"], on=days(-1))
    cancelled = make_task(title="Đã hủy", start_date=days(-10), due_date=days(-2))
    cancel_task(cancelled, by=world.users["manager"], reason="Không cần nữa")
    assert _run(days(0)) == "1 reminder(s) and 1 overdue notice(s) sent.\n"
    assert _run(days(0)) == "0 reminder(s) and 0 overdue notice(s) sent.\n"
    assert _deadline_notices() == [
        ("task.due_soon", f"“Sắp đến hạn” is due in 2 days ({days(2):%d/%m/%Y})."),
        ("task.overdue", f"“Quá hạn” is overdue: it was due {days(-1):%d/%m/%Y}."),
    ]
    assert set(
        Notification.objects.filter(kind="task.overdue").values_list("recipient", flat=True)
    ) == {world.users["staff"].pk}


@pytest.mark.django_db
def test_the_daily_huey_task_sends_todays_notices(make_task: MakeTask) -> None:
    """The worker's schedule runs the notices (docs/deploy.md, "Scheduled jobs")."""
    make_task(title="Sắp đến hạn", due_date=days(2))
    make_task(title="Quá hạn", start_date=days(-10), due_date=days(-1))
    notify_daily_deadlines()  # immediate mode under pytest: runs inline
    assert [kind for kind, _ in _deadline_notices()] == ["task.due_soon", "task.overdue"]
    notify_daily_deadlines()
    assert len(_deadline_notices()) == 2


@pytest.mark.django_db
def test_overdue_notice_is_sent_once_however_many_days_pass(make_task: MakeTask) -> None:
    make_task(title="Quá hạn", start_date=days(-10), due_date=days(-1))
    for offset in range(3):
        _run(days(offset))
    assert [kind for kind, _ in _deadline_notices()] == ["task.overdue"]


@pytest.mark.django_db
def test_a_moved_deadline_earns_new_notices(world: World, make_task: MakeTask) -> None:
    task = make_task(title="Gia hạn", due_date=days(2))
    _run(days(0))
    extension = request_extension(
        task, by=world.users["staff"], proposed_deadline=days(6), reason="Chờ ý kiến"
    )
    answer_extension(extension, by=world.users["manager"], approve=True)
    _run(days(4))
    assert [message for _, message in _deadline_notices()] == [
        f"“Gia hạn” is due in 2 days ({days(2):%d/%m/%Y}).",
        f"“Gia hạn” is due in 2 days ({days(6):%d/%m/%Y}).",
    ]


@pytest.mark.django_db
def test_owner_without_login_is_skipped(world: World, make_task: MakeTask) -> None:
    person = PersonFactory(unit=world.division, full_name="Chưa Có Tài Khoản")
    world.people["nologin"] = person
    make_task(owner="nologin", due_date=days(2))
    assert _run(days(0)) == "0 reminder(s) and 0 overdue notice(s) sent.\n"


def test_bad_date_is_refused() -> None:
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("notify_deadlines", "--today", "2026-12-01")


# Pages


@pytest.mark.django_db
def test_notifications_unread_first_and_only_ones_own(world: World, login) -> None:  # type: ignore[no-untyped-def]
    """Digests (one a day and a kind) with an unread notice first, newest day first; a
    digest of many unread notices does not pass a newer one of fewer."""
    staff = world.users["staff"]
    notify(staff, "Cũ đã đọc", url="/a/", kind="task.assigned")
    notify(staff, "Mới chưa đọc", url="/b/", kind="sheet.returned")
    notify(world.users["manager"], "Của người khác", kind="sheet.returned")
    Notification.objects.filter(message="Cũ đã đọc").update(read_at=timezone.now())
    for number in range(3):
        notify(staff, f"Chưa đọc trước đó {number}", url="/c/", kind="task.completed")
    Notification.objects.filter(message__startswith="Chưa đọc trước đó").update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    response = login(staff).get(reverse("core:notifications"))
    assert response.status_code == 200
    titles = [digest.title for digest in response.context["page"].object_list]
    assert titles == ["Mới chưa đọc", "3 việc được báo hoàn thành", "Cũ đã đọc"]
    assert "Của người khác" not in response.content.decode()


@pytest.mark.django_db
def test_mark_all_read_and_go_back(world: World, login) -> None:  # type: ignore[no-untyped-def]
    staff = world.users["staff"]
    notify(staff, "Một")
    notify(staff, "Hai")
    notify(world.users["manager"], "Của người khác")
    client = login(staff)
    url = reverse("core:notifications_mark_read")
    response = client.post(url, {"next": "/thong-bao/?page=1"})
    assert response.url == "/thong-bao/?page=1"
    assert Notification.objects.filter(recipient=staff, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert client.post(url, {"next": "https://evil.example/"}).url == reverse("core:notifications")
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_notify_deadlines_costs_the_same_queries_for_one_task_or_three(
    make_task: MakeTask,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danhgia.work.services.deadlines import notify_deadlines

    make_task(title="Quá hạn 1", start_date=days(-10), due_date=days(-1))
    with CaptureQueriesContext(connection) as one:
        assert notify_deadlines(timezone.localdate()) == (0, 1)
    make_task(title="Quá hạn 2", start_date=days(-10), due_date=days(-1))
    make_task(title="Quá hạn 3", start_date=days(-10), due_date=days(-1))
    with CaptureQueriesContext(connection) as three:
        assert notify_deadlines(timezone.localdate()) == (0, 2)
    assert len(one) == len(three) > 0
