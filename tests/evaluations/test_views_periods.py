"""Periods and rulebooks for HR: open a period, move it on, close it; read a rulebook."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from danhgia.evaluations.models import Period, Rulebook
from tests.conftest import World

pytestmark = pytest.mark.usefixtures("english")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_hr_opens_a_period_for_a_month(world: World, nd335: Rulebook) -> None:
    client = _client(world.users["hr"])
    data = {"organisation": world.province.pk, "month": "2026-10", "kind": "month"}
    response = client.post(reverse("evaluations:period_list"), data)
    assert response.status_code == 302
    period = Period.objects.get(organisation=world.province)
    assert (str(period.start), period.sheets.count()) == ("2026-10-01", 7)
    page = client.get(reverse("evaluations:period_list")).content.decode()
    assert "Period October 2026 · Tỉnh Thử nghiệm opened: 7 sheets." in page


@pytest.mark.parametrize("month", ["2026-10", "2026-11", "2026-12"])
def test_hr_opens_a_quarter_from_any_of_its_months(
    world: World, nd335: Rulebook, month: str
) -> None:
    client = _client(world.users["hr"])
    data = {"organisation": world.dept.pk, "month": month, "kind": "quarter"}
    response = client.post(reverse("evaluations:period_list"), data)
    assert response.status_code == 302
    period = Period.objects.get(organisation=world.dept)
    assert (period.kind, str(period.start), str(period.end)) == (
        Period.Kind.QUARTER,
        "2026-10-01",
        "2026-12-31",
    )
    # the deadlines follow the quarter's end, as a month's follow the month's
    assert period.end < period.self_evaluation_due <= period.review_due <= period.decision_due
    page = client.get(reverse("evaluations:period_list")).content.decode()
    assert f"Period {period.label} · Sở Nội vụ opened: 4 sheets." in page
    assert "the quarter this month is in" in page


def test_opening_twice_keeps_the_input_and_says_why(
    world: World, nd335: Rulebook, open_october: Any
) -> None:
    open_october()
    data = {"organisation": world.province.pk, "month": "2026-10", "kind": "month"}
    response = _client(world.users["hr"]).post(reverse("evaluations:period_list"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "is already open" in page
    assert 'value="2026-10"' in page


def test_advance_refused_while_people_evaluate_themselves(world: World, open_october: Any) -> None:
    period = open_october()
    client = _client(world.users["hr"])
    response = client.post(reverse("evaluations:period_advance", args=[period.pk]), follow=True)
    assert "still evaluating themselves" in response.content.decode()
    period.refresh_from_db()
    assert period.state == Period.State.OPEN


def test_close_refused_while_sheets_are_undecided(world: World, open_october: Any) -> None:
    period = open_october()
    client = _client(world.users["hr"])
    response = client.post(reverse("evaluations:period_close", args=[period.pk]), follow=True)
    assert "7 sheets are not decided yet" in response.content.decode()


def test_rulebook_page_in_plain_words(world: World, nd335: Rulebook) -> None:
    client = _client(world.users["hr"])
    assert nd335.name in client.get(reverse("evaluations:rulebook_list")).content.decode()
    page = client.get(reverse("evaluations:rulebook_detail", args=[nd335.pk])).content.decode()
    assert "at most 20 % of those rated" in page
    assert "Hoàn thành xuất sắc nhiệm vụ: from 90 points" in page
