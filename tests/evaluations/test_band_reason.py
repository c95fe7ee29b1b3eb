"""A proposal that differs from the band of the score needs a reason: the person's before
submitting, the manager's comment before the review is saved; the form keeps what was typed
and nothing is saved; the pages carry the live total's data."""

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services.band_reason import missing_reason
from danhgia.evaluations.services.categories import sheet_config
from danhgia.evaluations.services.sheets import save_self_evaluation, submit_self_evaluation
from tests.conftest import World
from tests.evaluations.conftest import OpenOctober, scores, sheet_of

pytestmark = pytest.mark.django_db
LEVELS = ("excellent", "good", "completed", "not_completed")


@pytest.fixture
def october(open_october: OpenOctober) -> Period:
    return open_october()


def saved(world: World, period: Period, level: str = "") -> Sheet:
    """The staff's sheet with general scores saved: its band is the score's."""
    return save_self_evaluation(
        sheet_of(period, world.people["staff"]),
        by=world.users["staff"],
        scores=scores(9, 9, 8),
        proposed_level=level,
    )


def other_than(band: str) -> str:
    return next(level for level in LEVELS if level != band)


def self_post(level: str, reason: str = "", action: str = "submit") -> dict[str, str]:
    return {
        "score_ethics": "9",
        "score_competence": "9",
        "score_innovation": "8",
        "strengths": "Chủ động",
        "shortcomings": "",
        "proposals": "",
        "proposed_level": level,
        "level_reason": reason,
        "action": action,
    }


def test_the_rule(world: World, october: Period) -> None:
    sheet = saved(world, october)
    config = sheet_config(sheet)
    other = other_than(sheet.band)

    assert missing_reason(config, sheet, sheet.band, "") is None
    assert missing_reason(config, sheet, "", "") is None  # no proposal yet: nothing to explain
    assert missing_reason(config, sheet, other, "Có thành tích đột xuất") is None
    message = missing_reason(config, sheet, other, "  ")
    assert message is not None and "hãy ghi lý do" in message


def test_submitting_a_different_level_without_reason_saves_nothing(
    client: Client, world: World, october: Period
) -> None:
    sheet = saved(world, october)
    client.force_login(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])

    response = client.post(url, self_post(other_than(sheet.band)))

    page = response.content.decode()
    assert response.status_code == 200
    assert "hãy ghi lý do" in page and "Chủ động" in page  # what was typed stays
    sheet.refresh_from_db()
    assert (sheet.status, sheet.strengths, sheet.self_level) == (Sheet.Status.DRAFT, "", "")


def test_with_a_reason_it_is_submitted_and_shown(
    client: Client, world: World, october: Period
) -> None:
    sheet = saved(world, october)
    client.force_login(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])

    response = client.post(url, self_post(other_than(sheet.band), "Hoàn thành việc đột xuất"))

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.SUBMITTED
    assert sheet.level_reason == "Hoàn thành việc đột xuất"
    client.force_login(world.users["manager"])
    review = client.get(reverse("evaluations:sheet_review", args=[sheet.pk])).content.decode()
    assert "Hoàn thành việc đột xuất" in review


def test_the_band_itself_needs_no_reason(client: Client, world: World, october: Period) -> None:
    sheet = saved(world, october)
    client.force_login(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])

    assert client.post(url, self_post(sheet.band)).status_code == 302


def test_saving_a_draft_warns_but_saves(client: Client, world: World, october: Period) -> None:
    sheet = saved(world, october)
    client.force_login(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])

    response = client.post(url, self_post(other_than(sheet.band), action="save"), follow=True)

    assert "hãy ghi lý do" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.self_level == other_than(sheet.band)


def test_the_manager_must_comment_a_different_level(
    client: Client, world: World, october: Period
) -> None:
    sheet = submit_self_evaluation(saved(world, october, "good"), by=world.users["staff"])
    client.force_login(world.users["manager"])
    url = reverse("evaluations:sheet_review", args=[sheet.pk])
    post = {
        "score_ethics": "9",
        "score_competence": "9",
        "score_innovation": "8",
        "comment": "",
        "proposed_level": other_than(sheet.band),
        "action": "review",
    }

    refused = client.post(url, post)
    accepted = client.post(url, {**post, "comment": "Vượt tiến độ đề án"})

    assert refused.status_code == 200 and "hãy ghi lý do" in refused.content.decode()
    assert accepted.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.manager_comment) == (Sheet.Status.REVIEWED, "Vượt tiến độ đề án")


@pytest.mark.parametrize("page", ["self", "review"])
def test_the_forms_carry_the_live_total(
    client: Client, world: World, october: Period, page: str
) -> None:
    sheet = saved(world, october, "good")
    if page == "review":
        sheet = submit_self_evaluation(sheet, by=world.users["staff"])
    key, name = ("staff", "sheet_self_evaluate") if page == "self" else ("manager", "sheet_review")
    client.force_login(world.users[key])

    html = client.get(reverse(f"evaluations:{name}", args=[sheet.pk])).content.decode()

    found = re.search(r'<output id="live-total-output"[^>]* data-live="([^"]*)"', html)
    assert found is not None
    live = json.loads(unescape(found.group(1)))
    assert live["task_points"] == str(sheet.task_points)
    assert [level["code"] for level in live["levels"]] == list(LEVELS)
    assert live["reason_field"] == ("level_reason" if page == "self" else "comment")
    assert "js/live_total.js" in html
