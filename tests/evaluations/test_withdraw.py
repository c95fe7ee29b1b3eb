"""A submitted sheet taken back by its owner before review: back with the owner as it was,
audited, the reviewer told; refused once reviewed, for anyone else, or in a closed period."""

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.sheets import (
    return_sheet,
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.evaluations.services.withdraw import withdraw_submission
from tests.conftest import World
from tests.evaluations.conftest import OpenOctober, scores, sheet_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(open_october: OpenOctober) -> Period:
    return open_october()


def submitted(world: World, period: Period) -> Sheet:
    own = sheet_of(period, world.people["staff"])
    own = save_self_evaluation(
        own, by=world.users["staff"], scores=scores(9, 9, 8), proposed_level="good"
    )
    return submit_self_evaluation(own, by=world.users["staff"])


def test_the_owner_takes_a_submitted_sheet_back(world: World, october: Period) -> None:
    sheet = withdraw_submission(submitted(world, october), by=world.users["staff"])

    assert sheet.status == Sheet.Status.DRAFT
    assert sheet.self_scores  # what was typed stays
    row = AuditLog.objects.filter(action="sheet.withdrawn").get()
    assert row.data == {"before": {"status": "submitted"}, "after": {"status": "draft"}}
    assert Notification.objects.filter(
        recipient=world.users["manager"], kind="sheet.withdrawn"
    ).exists()
    submit_self_evaluation(sheet, by=world.users["staff"])  # and submits again


def test_a_returned_sheet_goes_back_to_returned(world: World, october: Period) -> None:
    sheet = submitted(world, october)
    sheet = return_sheet(sheet, by=world.users["manager"], reason="Bổ sung minh chứng.")
    sheet = submit_self_evaluation(sheet, by=world.users["staff"])

    assert withdraw_submission(sheet, by=world.users["staff"]).status == Sheet.Status.RETURNED


def test_a_reviewed_sheet_can_no_longer_be_withdrawn(world: World, october: Period) -> None:
    sheet = submitted(world, october)
    submit_review(sheet, by=world.users["manager"], scores=scores(9, 9, 8), proposed_level="good")

    with pytest.raises(EvaluationError, match="không còn chờ nhận xét"):
        withdraw_submission(sheet, by=world.users["staff"])


@pytest.mark.parametrize("key", ["manager", "head", "hr"])
def test_nobody_else_withdraws_it(world: World, october: Period, key: str) -> None:
    with pytest.raises(EvaluationError):
        withdraw_submission(submitted(world, october), by=world.users[key])


def test_a_closed_period_refuses(world: World, october: Period) -> None:
    sheet = submitted(world, october)
    Period.objects.filter(pk=october.pk).update(state=Period.State.CLOSED)

    with pytest.raises(EvaluationError):
        withdraw_submission(sheet, by=world.users["staff"])


def test_the_sheet_page_offers_it_with_a_question(
    client: Client, world: World, october: Period
) -> None:
    sheet = submitted(world, october)
    client.force_login(world.users["staff"])
    url = reverse("evaluations:sheet_withdraw", args=[sheet.pk])

    page = client.get(reverse("evaluations:sheet_detail", args=[sheet.pk])).content.decode()
    response = client.post(url, follow=True)

    assert f'action="{url}"' in page and "data-confirm=" in page
    assert "Đã rút lại" in response.content.decode()
    again = client.post(url, follow=True).content.decode()
    assert "không còn chờ nhận xét" in again
