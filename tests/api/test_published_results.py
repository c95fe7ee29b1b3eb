"""Published means published: every API endpoint shows an individual's levels and scores only
as the public portal shows them (a publication in force, to the public, at its privacy level).

Four months of Sở Nội vụ, each decided, each with its own distinctive total: July never
published, August published and withdrawn, September published within the unit only, October
published to the public with names and scores.
"""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from danhgia.api import urls as api_urls
from danhgia.evaluations.models import Period, Sheet
from danhgia.reports.publication.models import Privacy, Publication
from danhgia.reports.publication.services import publish_period, unpublish
from tests.api.conftest import Api, document
from tests.conftest import World
from tests.reports.publication.conftest import decided_period, decided_sheet

pytestmark = pytest.mark.django_db

MONTHS = {
    "never": datetime.date(2026, 7, 1),
    "withdrawn": datetime.date(2026, 8, 1),
    "internal": datetime.date(2026, 9, 1),
    "public": datetime.date(2026, 10, 1),
}
# A total nobody could mistake, per month.
TOTALS = {"never": "71.17", "withdrawn": "72.27", "internal": "73.37", "public": "74.47"}
UNPUBLISHED = ["never", "withdrawn", "internal"]
# Pages, not data: the schema, its docs, and HR's page of integrations.
# HR's pages (no token), not the API's data: the events' pages show no level or score, and
# `sheet.decided` carries none (tests/api/test_event_schema.py holds its shape).
NOT_DATA = {
    "schema",
    "docs",
    "integration_list",
    "integration_revoke",
    "subscription_list",
    "subscription_edit",
    "delivery_list",
    "delivery_replay",
}


def _month(world: World, state: str) -> Period:
    # One "good": a lone "excellent" would be over the quota, and is never published.
    period = decided_period(world.dept, MONTHS[state])
    decided_sheet(period, world.people["staff"], TOTALS[state], "good")
    hr = world.users["hr"]
    if state == "never":
        return period
    audience = Publication.Audience.INTERNAL if state == "internal" else "public"
    publication = publish_period(period, by=hr, audience=audience, privacy=Privacy.NAMES_AND_SCORES)
    if state == "withdrawn":
        unpublish(publication, by=hr, reason="Sai sót cần sửa")
    return period


@pytest.fixture
def months(world: World) -> dict[str, Period]:
    return {state: _month(world, state) for state in MONTHS}


def _sheet(world: World, period: Period) -> Sheet:
    return Sheet.objects.get(period=period, person=world.people["staff"])


def _every_data_url(api: Api, world: World, months: dict[str, Period]) -> dict[str, list[str]]:
    """Each data endpoint of api/urls.py with the URLs that call it (details of objects in
    scope; the month filter for each month)."""
    task = api.put(reverse("api:document_task", args=["VB-1"]), document()).json()
    filtered = [f"?month={day:%Y-%m}" for day in MONTHS.values()]
    return {
        "unit_list": [reverse("api:unit_list")],
        "unit_detail": [reverse("api:unit_detail", args=["SNV-CC"])],
        "person_list": [reverse("api:person_list")],
        "person_detail": [reverse("api:person_detail", args=["E-staff"])],
        "task_list": [reverse("api:task_list")],
        "task_detail": [reverse("api:task_detail", args=[task["id"]])],
        "document_task": [reverse("api:document_task", args=["VB-1"])],
        "sheet_list": [reverse("api:sheet_list")]
        + [reverse("api:sheet_list") + query for query in filtered],
        "sheet_detail": [
            reverse("api:sheet_detail", args=[_sheet(world, period).pk])
            for period in months.values()
        ],
        "result_list": [reverse("api:result_list")]
        + [reverse("api:result_list") + query for query in filtered],
    }


def test_no_endpoint_shows_a_score_of_a_month_not_public(
    api: Api, world: World, months: dict[str, Period]
) -> None:
    urls = _every_data_url(api, world, months)
    data_names = {pattern.name for pattern in api_urls.urlpatterns} - NOT_DATA
    assert set(urls) == data_names  # a new endpoint must join this test
    shown: set[str] = set()
    for name, addresses in urls.items():
        for url in addresses:
            response = api.get(url)
            assert response.status_code == 200, (name, url)
            body = response.content.decode()
            shown |= {state for state, total in TOTALS.items() if total in body}
    assert shown == {"public"}


@pytest.mark.parametrize("state", list(MONTHS))
def test_results_of_each_month(
    api: Api, world: World, months: dict[str, Period], state: str
) -> None:
    results = api.get(reverse("api:result_list"), month=f"{MONTHS[state]:%Y-%m}").json()
    expected = (
        [
            {
                "person": "E-staff",
                "full_name": "Nguyễn Văn An",
                "unit": "SNV-CC",
                "title": "Chuyên viên",
                "month": "2026-10-01",
                "period_kind": "month",
                "period_label": "Tháng 10/2026",
                "decided_level": "good",
                "total": float(Decimal(TOTALS["public"])),
            }
        ]
        if state == "public"
        else []
    )
    assert results["results"] == expected


@pytest.mark.parametrize("state", list(MONTHS))
def test_sheet_outcome_of_each_month(
    api: Api, world: World, months: dict[str, Period], state: str
) -> None:
    sheet = _sheet(world, months[state])
    detail = api.get(reverse("api:sheet_detail", args=[sheet.pk])).json()
    listed = api.get(reverse("api:sheet_list"), month=f"{MONTHS[state]:%Y-%m}").json()["results"]
    assert listed == [detail]
    outcome = {key: detail[key] for key in ("decided_level", "total", "self_level")}
    published = {"decided_level": "good", "total": 74.47, "self_level": None}
    assert (detail["status"], outcome) == (
        "decided",
        published if state == "public" else dict.fromkeys(outcome),
    )


@pytest.mark.parametrize(
    ("privacy", "results", "level", "total"),
    [
        (Privacy.NAMES_AND_SCORES, 1, "good", 74.47),
        (Privacy.NAMES_WITHOUT_SCORES, 1, "good", None),
        (Privacy.COUNTS_ONLY, 0, None, None),
    ],
)
def test_a_public_month_shows_what_its_privacy_level_shows(
    api: Api, world: World, privacy: str, results: int, level: Any, total: Any
) -> None:
    """The API never shows more than the public page: no names under "counts only", no
    score under "levels without scores"."""
    period = decided_period(world.dept, MONTHS["public"])
    sheet = decided_sheet(period, world.people["staff"], TOTALS["public"], "good")
    publish_period(period, by=world.users["hr"], audience="public", privacy=privacy)
    rows = api.get(reverse("api:result_list")).json()["results"]
    assert [(row["decided_level"], row["total"]) for row in rows] == [(level, total)] * results
    detail = api.get(reverse("api:sheet_detail", args=[sheet.pk])).json()
    assert (detail["decided_level"], detail["total"], detail["task_points"]) == (
        level,
        total,
        None if total is None else 0.0,
    )
