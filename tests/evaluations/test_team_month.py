"""The team's month: a manager sees who of their people has not submitted, who waits for
them and who is late; a head sees the sheets they decide; staff, HR and supervisors are
refused; nobody sees their own sheet there."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.evaluations.models import Period
from danhgia.evaluations.team import team_month
from tests.conftest import World
from tests.evaluations.conftest import OpenOctober, scores, sheet_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def october(world: World, open_october: OpenOctober, time_machine) -> Period:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)
    PersonFactory(full_name="Bùi Thị Cúc", unit=world.division)  # a second person, no login
    return open_october()


def submit_staff(world: World, period: Period) -> None:
    from danhgia.evaluations.services.sheets import save_self_evaluation, submit_self_evaluation

    own = sheet_of(period, world.people["staff"])
    own = save_self_evaluation(
        own, by=world.users["staff"], scores=scores(9, 9, 8), proposed_level="good"
    )
    submit_self_evaluation(own, by=world.users["staff"])


def steps_of(world: World, key: str, step: str | None = None) -> dict[str, str]:
    (group,) = team_month(world.users[key], NOW.date(), step)
    return {row.sheet.person.full_name: row.step for row in group.rows}


def test_the_manager_sees_who_has_not_submitted(world: World, october: Period) -> None:
    submit_staff(world, october)

    assert steps_of(world, "manager") == {"Bùi Thị Cúc": "owner", "Nguyễn Văn An": "review"}
    assert steps_of(world, "manager", "owner") == {"Bùi Thị Cúc": "owner"}
    (group,) = team_month(world.users["manager"], NOW.date(), "owner")
    assert group.counts == {"owner": 1, "review": 1}  # the counts stay whole under a filter


def test_a_missed_deadline_is_late_and_listed_first(world: World, october: Period) -> None:
    submit_staff(world, october)
    after_self_due = october.self_evaluation_due + datetime.timedelta(days=1)

    (group,) = team_month(world.users["manager"], after_self_due)

    assert [(row.sheet.person.full_name, row.late) for row in group.rows] == [
        ("Bùi Thị Cúc", True),
        ("Nguyễn Văn An", False),  # waits for review, due later
    ]


def test_the_head_sees_the_sheets_they_decide_not_their_own(world: World, october: Period) -> None:
    names = set(steps_of(world, "head"))

    assert "Phạm Minh Châu" in names  # the manager, whom the head reviews and decides
    assert "Trần Thị Hạnh" not in names
    assert "Lê Thị Bình" not in names  # another department


def test_a_closed_period_is_not_listed(world: World, october: Period) -> None:
    Period.objects.filter(pk=october.pk).update(state=Period.State.CLOSED)

    assert team_month(world.users["manager"], NOW.date()) == []


@pytest.mark.parametrize(
    ("key", "status"),
    [("staff", 403), ("hr", 403), ("supervisor", 403), ("manager", 200), ("head", 200)],
)
def test_who_opens_the_page(
    client: Client, world: World, october: Period, key: str, status: int
) -> None:
    client.force_login(world.users[key])

    assert client.get(reverse("evaluations:team_month")).status_code == status


def test_the_page_lists_and_filters(client: Client, world: World, october: Period) -> None:
    submit_staff(world, october)
    client.force_login(world.users["manager"])
    url = reverse("evaluations:team_month")

    page = client.get(url).content.decode()
    filtered = client.get(url, {"buoc": "owner"}).content.decode()
    unknown = client.get(url, {"buoc": "nonsense"}).content.decode()

    assert "Bùi Thị Cúc" in page and "Nguyễn Văn An" in page
    assert "Bùi Thị Cúc" in filtered and "Nguyễn Văn An" not in filtered
    assert "Nguyễn Văn An" in unknown  # an unknown step shows everything
    assert "Chưa gửi (1)" in page


def test_the_home_page_counts_the_team_not_submitted(
    client: Client, world: World, october: Period
) -> None:
    client.force_login(world.users["manager"])

    page = client.get(reverse("home")).content.decode()

    assert "2 người trong nhóm của bạn chưa gửi phiếu" in page
    assert reverse("evaluations:team_month") + "?buoc=owner" in page
