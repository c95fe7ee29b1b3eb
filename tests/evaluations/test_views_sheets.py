"""Sheet pages: my sheets, the sheet (docs/domain.md §21), self-evaluation and review."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from danhgia.core.audit import action_label
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.services.sheets import save_self_evaluation, submit_self_evaluation
from tests.conftest import World
from tests.evaluations.conftest import MakeTask, OpenOctober, oct_, sheet_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def client_as():  # type: ignore[no-untyped-def]
    """`client_as(user)`: a new client signed in as `user`, reading the pages in English."""

    def _client(user):  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _client


def _self_post(action: str, **extra: str) -> dict[str, str]:
    data = {
        "score_ethics": "9",
        "score_competence": "9",
        "score_innovation": "8",
        "strengths": "Chủ động",
        "shortcomings": "Còn chậm",
        "proposals": "",
        "proposed_level": "good",
        "level_reason": "Có việc đột xuất",  # "good" is above the band of these scores
        "action": action,
    }
    data.update(extra)
    return data


def test_my_sheets_lists_the_persons_sheets(world: World, open_october: OpenOctober, client_as):  # type: ignore[no-untyped-def]
    period = open_october()
    client = client_as(world.users["staff"])
    response = client.get(reverse("evaluations:my_sheets"))
    sheet = sheet_of(period, world.people["staff"])
    assert response.status_code == 200
    assert reverse("evaluations:sheet_detail", args=[sheet.pk]) in response.content.decode()


def test_sheet_page_shows_header_task_lines_and_history(  # type: ignore[no-untyped-def]
    world: World, open_october: OpenOctober, make_task: MakeTask, client_as
):
    task = make_task(title="Báo cáo chuyên đề", due=oct_(20), done_on=oct_(22), meets_quality=True)
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    client = client_as(world.users["staff"])
    page = client.get(reverse("evaluations:sheet_detail", args=[sheet.pk])).content.decode()
    assert "Nguyễn Văn An" in page
    assert "Phòng Công chức" in page
    assert "Báo cáo chuyên đề" in page
    assert reverse("work:task_detail", args=[task.pk]) in page
    assert "1. General criteria (/30)" in page
    assert "2. Task results (/70)" in page
    assert "Evaluate yourself" in page


def test_self_evaluation_save_keeps_a_draft(world: World, open_october: OpenOctober, client_as):  # type: ignore[no-untyped-def]
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    client = client_as(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])
    response = client.post(url, _self_post("save"))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.self_scores, sheet.self_level) == (
        Sheet.Status.DRAFT,
        {"ethics": "9", "competence": "9", "innovation": "8"},
        "good",
    )
    assert sheet.strengths == "Chủ động"


def test_self_evaluation_submit(world: World, open_october: OpenOctober, client_as):  # type: ignore[no-untyped-def]
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    client = client_as(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])
    response = client.post(url, _self_post("submit"))
    assert response.headers["Location"] == reverse("evaluations:sheet_detail", args=[sheet.pk])
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.SUBMITTED
    history = client.get(response.headers["Location"]).content.decode()
    label = action_label("sheet.self_submitted")  # the code until the app registers labels
    assert label[0].upper() + label[1:] in history


def test_self_evaluation_errors_keep_the_input(world: World, open_october: OpenOctober, client_as):  # type: ignore[no-untyped-def]
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    client = client_as(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])
    response = client.post(url, _self_post("submit", score_ethics="12", strengths="Giữ nguyên"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Giữ nguyên" in page
    assert 'value="12"' in page
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.DRAFT


def test_submit_without_level_is_refused_with_the_services_message(  # type: ignore[no-untyped-def]
    world: World, open_october: OpenOctober, client_as
):
    period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    client = client_as(world.users["staff"])
    url = reverse("evaluations:sheet_self_evaluate", args=[sheet.pk])
    response = client.post(url, _self_post("submit", proposed_level=""))
    assert "Propose a level first." in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.DRAFT


def _submitted(world: World, period) -> Sheet:  # type: ignore[no-untyped-def]
    sheet = sheet_of(period, world.people["staff"])
    user = world.users["staff"]
    scores = {"ethics": 9, "competence": 9, "innovation": 8}
    sheet = save_self_evaluation(sheet, by=user, scores=scores, proposed_level="good")
    return submit_self_evaluation(sheet, by=user)


def test_review_shows_self_scores_and_saves(world: World, open_october: OpenOctober, client_as):  # type: ignore[no-untyped-def]
    sheet = _submitted(world, open_october())
    client = client_as(world.users["manager"])
    url = reverse("evaluations:sheet_review", args=[sheet.pk])
    assert "self: 9" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "score_ethics": "8",
            "score_competence": "9",
            "score_innovation": "8",
            "comment": "Tốt",
            "proposed_level": "completed",
            "action": "review",
        },
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.manager_level, sheet.manager_comment) == (
        Sheet.Status.REVIEWED,
        "completed",
        "Tốt",
    )


def test_review_return_needs_a_reason(world: World, open_october: OpenOctober, client_as):  # type: ignore[no-untyped-def]
    sheet = _submitted(world, open_october())
    client = client_as(world.users["manager"])
    url = reverse("evaluations:sheet_review", args=[sheet.pk])
    assert client.post(url, {"action": "return", "reason": ""}).status_code == 200
    sheet.refresh_from_db()
    assert sheet.status == Sheet.Status.SUBMITTED
    response = client.post(url, {"action": "return", "reason": "Bổ sung minh chứng"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.return_reason) == (Sheet.Status.RETURNED, "Bổ sung minh chứng")
    assert AuditLog.objects.filter(action="sheet.returned", object_id=str(sheet.pk)).count() == 1
