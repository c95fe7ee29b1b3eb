"""The home page's "to do": each role sees what waits for them, with its deadline and link."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.reports.todo import todo_for
from tests.conftest import World
from tests.evaluations.conftest import (  # noqa: F401 - fixtures
    OpenOctober,
    nd335,
    open_october,
    scores,
    sheet_of,
)

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def october(world: World, open_october: OpenOctober, time_machine) -> Period:  # type: ignore[no-untyped-def]  # noqa: F811
    time_machine.move_to(NOW, tick=False)
    return open_october()


def home(client: Client, world: World, key: str) -> str:
    client.force_login(world.users[key])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def submitted(world: World, period: Period, key: str) -> Sheet:
    own = sheet_of(period, world.people[key])
    own = save_self_evaluation(
        own, by=world.users[key], scores=scores(9, 9, 8), proposed_level="good"
    )
    return submit_self_evaluation(own, by=world.users[key])


def test_staff_see_their_sheet_and_its_deadline(
    client: Client, world: World, october: Period
) -> None:
    page = home(client, world, "staff")

    sheet = sheet_of(october, world.people["staff"])
    assert "Phiếu của tôi kỳ Tháng 10/2026" in page
    assert reverse("evaluations:sheet_detail", args=[sheet.pk]) in page
    assert "hạn 12/11/2026" in page


def test_a_late_self_evaluation_says_so(
    client: Client, world: World, october: Period, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW + datetime.timedelta(days=11), tick=False)

    assert "trễ hạn" in home(client, world, "staff")


def test_the_manager_sees_what_waits_for_review(
    client: Client, world: World, october: Period
) -> None:
    submitted(world, october, "staff")

    page = home(client, world, "manager")

    assert "1 phiếu chờ bạn nhận xét" in page
    assert reverse("evaluations:my_sheets") in page


def test_the_head_sees_what_waits_for_decision(
    client: Client, world: World, october: Period
) -> None:
    sheet = submitted(world, october, "staff")
    submit_review(sheet, by=world.users["manager"], scores=scores(9, 9, 8), proposed_level="good")

    todo = todo_for(world.users["head"], NOW.date())
    page = home(client, world, "head")

    assert todo.to_decide == 1
    assert "1 phiếu chờ bạn quyết định" in page
    assert reverse("evaluations:decision_list") in page
    assert todo_for(world.users["manager"], NOW.date()).to_review == 0


def test_hr_sees_the_open_periods_and_their_deadlines(
    client: Client, world: World, october: Period
) -> None:
    page = home(client, world, "hr")

    assert "Các kỳ đang mở bạn quản lý" in page
    assert "tự đánh giá trước 12/11/2026" in page


def test_nothing_to_do_is_said_plainly(client: Client, world: World) -> None:
    assert "Hôm nay không có việc nào chờ bạn." in home(client, world, "staff_other")


def test_the_home_costs_the_same_queries_for_one_sheet_or_many(
    client: Client, world: World, october: Period
) -> None:
    client.force_login(world.users["head"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for key in ("staff", "hr", "manager"):
        submitted(world, october, key)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))

    assert len(many) == len(few)
