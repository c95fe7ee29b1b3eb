"""A double click or a retry after a lost answer writes nothing twice and says so."""

import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Sheet
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
    "action": "submit",
}
REVIEW_POST = {
    "score_ethics": "8",
    "score_competence": "9",
    "score_innovation": "8",
    "comment": "Tốt",
    "proposed_level": "completed",
    "action": "review",
}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _audit_rows(action: str, sheet: Sheet) -> int:
    return AuditLog.objects.filter(action=action, object_id=str(sheet.pk)).count()


def test_submitting_twice_shows_the_sheet_and_writes_once(
    world: World, open_october: OpenOctober
) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    client = _client(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])
    first = client.post(url, SELF_POST)
    second = client.post(url, SELF_POST, follow=True)
    detail = reverse("evaluations:sheet_detail", args=[sheet.pk])
    assert first.headers["Location"] == detail
    assert second.redirect_chain == [(detail, 302)]
    assert "already submitted" in second.content.decode()
    assert "Nothing was sent twice." in second.content.decode()
    assert _audit_rows("sheet.self_submitted", sheet) == 1
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.SUBMITTED


def test_saving_a_draft_of_a_submitted_sheet_is_still_refused(
    world: World, open_october: OpenOctober
) -> None:
    """Only the repeated submit is answered kindly; editing a submitted sheet stays forbidden."""
    sheet = sheet_of(open_october(), world.people["staff"])
    client = _client(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])
    client.post(url, SELF_POST)
    assert client.post(url, {**SELF_POST, "action": "save"}).status_code == 403


def test_someone_else_submitting_gets_no_hint(world: World, open_october: OpenOctober) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    _client(world.users["staff"]).post(
        reverse("evaluations:sheet_self_evaluate", args=[sheet.pk]), SELF_POST
    )
    response = _client(world.users["manager"]).post(
        reverse("evaluations:sheet_self_evaluate", args=[sheet.pk]), SELF_POST
    )
    assert response.status_code == 403


def _submitted(world: World, period: Period) -> Sheet:
    sheet = sheet_of(period, world.people["staff"])
    user = world.users["staff"]
    sheet = save_self_evaluation(sheet, by=user, scores=FULL_SCORES, proposed_level="good")
    return submit_self_evaluation(sheet, by=user)


def test_reviewing_twice_writes_once(world: World, open_october: OpenOctober) -> None:
    sheet = _submitted(world, open_october())
    client = _client(world.users["manager"])
    url = reverse("evaluations:sheet_review", args=[sheet.pk])
    assert client.post(url, REVIEW_POST).status_code == 302
    second = client.post(url, REVIEW_POST, follow=True)
    assert "You already reviewed this sheet" in second.content.decode()
    assert _audit_rows("sheet.reviewed", sheet) == 1


def test_deciding_twice_by_htmx_returns_the_decided_row(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    sheet = _submitted(world, period)
    sheet = submit_review(
        sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="completed"
    )
    client = _client(world.users["head"])
    url = reverse("evaluations:decision_page", args=[period.pk, world.dept.pk])
    data = {
        "action": "decide",
        "sheet": sheet.pk,
        f"s{sheet.pk}-level": sheet.band,
        f"s{sheet.pk}-reason": "",
    }
    first = client.post(url, data, HTTP_HX_REQUEST="true")
    second = client.post(url, data, HTTP_HX_REQUEST="true")
    assert (first.status_code, second.status_code) == (200, 200)
    assert (
        second.content.decode()
        .lstrip()
        .startswith(f'<article class="decision card decided" id="sheet-{sheet.pk}"')
    )
    assert _audit_rows("sheet.decided", sheet) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="two concurrent writers need PostgreSQL's row locks (SQLite serialises the file)",
)
def test_two_concurrent_submissions_write_once(world: World, open_october: OpenOctober) -> None:
    """A real double click: both requests in flight at once, on two connections."""
    sheet = sheet_of(open_october(), world.people["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])
    detail = reverse("evaluations:sheet_detail", args=[sheet.pk])
    answers: list[tuple[int, str]] = []
    start = threading.Barrier(2)

    def post() -> None:
        try:
            client = _client(world.users["staff"])
            start.wait()
            response = client.post(url, SELF_POST)
            answers.append((response.status_code, response.headers.get("Location", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [(302, detail), (302, detail)]
    assert _audit_rows("sheet.self_submitted", sheet) == 1
