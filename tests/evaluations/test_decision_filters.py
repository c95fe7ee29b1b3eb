"""The filters of the decision page (`?loc=`): their counts, the rows they show, "accept all"
still acting on every waiting row, the ETag of each filter, the query count."""

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from tests.conftest import World
from tests.evaluations.conftest import FULL_SCORES, sheet_of

pytestmark = pytest.mark.usefixtures("english")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _submitted(period: Period, world: World, key: str) -> Sheet:
    sheet = sheet_of(period, world.people[key])
    user = world.users[key]
    sheet = save_self_evaluation(sheet, by=user, scores=FULL_SCORES, proposed_level="completed")
    return submit_self_evaluation(sheet, by=user)


@pytest.fixture
def october(world: World, open_october: Any) -> Period:
    """The staff member waits at the band of their score, the HR officer waits with a
    proposal away from it, the manager is decided; the head's own sheet is not submitted."""
    period = open_october()
    staff = _submitted(period, world, "staff")
    submit_review(staff, by=world.users["manager"], scores=FULL_SCORES, proposed_level=staff.band)
    hr = _submitted(period, world, "hr")
    submit_review(hr, by=world.users["head"], scores=FULL_SCORES, proposed_level="good")
    manager = _submitted(period, world, "manager")
    manager = submit_review(
        manager, by=world.users["head"], scores=FULL_SCORES, proposed_level=manager.band
    )
    decide_sheet(manager, by=world.users["head"], level=manager.band)
    assert sheet_of(period, world.people["hr"]).band != "good"
    return period


def _url(period: Period, world: World, loc: str = "") -> str:
    url = reverse("evaluations:decision_page", args=[period.pk, world.dept.pk])
    return f"{url}?loc={loc}" if loc else url


def _counts(html: str) -> dict[str, int]:
    found = re.findall(r'data-filter="(\w+)"[^>]*>[^<]*<span class="count">(\d+)</span>', html)
    return {name: int(count) for name, count in found}


def _names(html: str) -> set[str]:
    names = {"staff": "Nguyễn Văn An", "hr": "Đặng Thu Hà", "manager": "Phạm Minh Châu"}
    rows = html.split('<div class="decisions">', 1)[1]
    return {key for key, name in names.items() if f"<strong>{name}</strong>" in rows}


def test_each_filter_counts_and_shows_its_rows(world: World, october: Period) -> None:
    client = _client(world.users["head"])
    everyone = Sheet.objects.filter(period=october, unit__path__startswith=world.dept.path)

    pages = {loc: client.get(_url(october, world, loc)).content.decode() for loc in ("", "cho")}
    pages |= {loc: client.get(_url(october, world, loc)).content.decode() for loc in ("khac",)}
    pages["xong"] = client.get(_url(october, world, "xong")).content.decode()

    expected = {"waiting": 2, "differs": 1, "decided": 1, "all": everyone.count()}
    assert {loc: _counts(html) for loc, html in pages.items()} == dict.fromkeys(pages, expected)
    assert _names(pages[""]) == {"staff", "hr", "manager"}
    assert _names(pages["cho"]) == {"staff", "hr"}
    assert _names(pages["khac"]) == {"hr"}
    assert _names(pages["xong"]) == {"manager"}
    assert 'data-filter="waiting" aria-current="page"' in pages["cho"]
    assert 'data-filter="all" aria-current="page"' in pages[""]


def test_an_unknown_filter_shows_every_row(world: World, october: Period) -> None:
    html = _client(world.users["head"]).get(_url(october, world, "nope")).content.decode()
    assert _names(html) == {"staff", "hr", "manager"}
    assert 'data-filter="all" aria-current="page"' in html


def test_accept_all_under_a_filter_acts_on_every_waiting_row(world: World, october: Period) -> None:
    client = _client(world.users["head"])
    page = client.get(_url(october, world, "xong")).content.decode()
    assert "“Accept all” acts on all 2 waiting in the unit, including 2 this filter hides." in page
    assert 'id="accept-all-hidden"' not in client.get(_url(october, world, "cho")).content.decode()
    assert f'action="{_url(october, world, "xong")}"' in page  # the filter stays after a post

    response = client.post(_url(october, world, "xong"), {"action": "accept_all"})

    staff = sheet_of(october, world.people["staff"])
    hr = sheet_of(october, world.people["hr"])
    assert (staff.status, hr.status) == (Sheet.Status.DECIDED, Sheet.Status.REVIEWED)
    html = response.content.decode()
    card = html.split('id="accepted"', 1)[1].split("</section>", 1)[0]
    assert "1 proposal accepted" in card and f'<li id="left-sheet-{hr.pk}">' in card
    assert _names(html) == {"staff", "manager"}  # still the decided ones only
    assert _counts(html)["decided"] == 2


def test_a_row_decided_by_htmx_under_a_filter(world: World, october: Period) -> None:
    hr = sheet_of(october, world.people["hr"])
    data = {
        "action": "decide",
        "sheet": hr.pk,
        f"s{hr.pk}-level": hr.band,
        f"s{hr.pk}-reason": "",
    }

    html = (
        _client(world.users["head"])
        .post(_url(october, world, "khac"), data, HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert html.lstrip().startswith(f'<article class="decision card decided" id="sheet-{hr.pk}"')
    assert 'id="quota" hx-swap-oob="true"' in html
    assert sheet_of(october, world.people["hr"]).status == Sheet.Status.DECIDED


def test_each_filter_is_its_own_version_of_the_page(world: World, october: Period) -> None:
    client = _client(world.users["head"])
    etags = {loc: client.get(_url(october, world, loc)).headers["ETag"] for loc in ("", "cho")}
    etags["xong"] = client.get(_url(october, world, "xong")).headers["ETag"]

    assert len(set(etags.values())) == 3
    again = client.get(_url(october, world, "cho"), HTTP_IF_NONE_MATCH=etags["cho"])
    assert again.status_code == 304
    other = client.get(_url(october, world, "xong"), HTTP_IF_NONE_MATCH=etags["cho"])
    assert other.status_code == 200
    assert _names(other.content.decode()) == {"manager"}


def test_a_filter_costs_no_query(world: World, october: Period) -> None:
    client = _client(world.users["head"])
    client.get(_url(october, world))  # the session, warm
    counts = []
    for loc in ("", "cho", "khac", "xong"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(october, world, loc)).status_code == 200
        counts.append(len(queries))
    assert counts == [counts[0]] * 4


def test_the_meter_leads_with_its_sentence(world: World, october: Period) -> None:
    html = _client(world.users["head"]).get(_url(october, world)).content.decode()
    lead = re.search(r'<strong class="quota-sentence">([^<]*)</strong>', html)
    assert lead is not None
    assert lead.group(1).startswith("No “Hoàn thành xuất sắc nhiệm vụ” can be given yet (20 % of")
    assert html.index('class="quota-sentence"') < html.index('class="quota-details"')
