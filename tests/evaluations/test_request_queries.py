"""What a request reads, counted: a write fetches its sheet locked once; the menu is built
once per request however many templates a response renders."""

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.evaluations.models import Sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from tests.conftest import World
from tests.evaluations.conftest import FULL_SCORES, OpenOctober, sheet_of

pytestmark = pytest.mark.usefixtures("english")

SELF_POST = {
    "score_ethics": "9",
    "score_competence": "9",
    "score_innovation": "8",
    "strengths": "Chủ động",
    "shortcomings": "",
    "proposals": "",
    "proposed_level": "good",
    "level_reason": "Có việc đột xuất",  # "good" is above the band of these scores
}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _fetches_of(queries: CaptureQueriesContext, sheet: Sheet) -> list[str]:
    """The statements that read the sheet's own row (by its id)."""
    own = re.compile(
        rf'^SELECT .* FROM "evaluations_sheet" .*"evaluations_sheet"\."id" = {sheet.pk}\b'
    )
    return [query["sql"] for query in queries.captured_queries if own.search(query["sql"])]


@pytest.mark.parametrize("action", ["save", "submit"])
def test_saving_or_submitting_fetches_the_sheet_locked_once(
    world: World, open_october: OpenOctober, action: str
) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    client = _client(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**SELF_POST, "action": action})
    assert response.status_code == 302
    fetches = _fetches_of(queries, sheet)
    # The view's scoped fetch (404 for a sheet out of reach), then the write's locked one.
    assert len(fetches) == 2
    sheet.refresh_from_db()
    status = Sheet.Status.SUBMITTED if action == "submit" else Sheet.Status.DRAFT
    assert sheet.status == status


def _menu_counts(queries: CaptureQueriesContext) -> int:
    """The menu's count of unread digests (`core.digests.unread_digests`), one per build."""
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT COUNT(*) FROM (SELECT DISTINCT")
        and '"core_notification"' in query["sql"]
    )


def test_an_htmx_decision_builds_the_menu_once(world: World, open_october: OpenOctober) -> None:
    """The row and the quota meter are two templates rendered with the request."""
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    owner = world.users["staff"]
    save_self_evaluation(sheet, by=owner, scores=FULL_SCORES, proposed_level="completed")
    sheet = submit_self_evaluation(sheet, by=owner)
    sheet = submit_review(
        sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level=sheet.band
    )
    url = reverse("evaluations:decision_page", args=[period.pk, world.dept.pk])
    data = {"action": "decide", "sheet": sheet.pk, f"s{sheet.pk}-level": sheet.band}
    with CaptureQueriesContext(connection) as queries:
        response = _client(world.users["head"]).post(url, data, HTTP_HX_REQUEST="true")
    assert 'class="decision card decided"' in response.content.decode()
    assert _menu_counts(queries) == 1
