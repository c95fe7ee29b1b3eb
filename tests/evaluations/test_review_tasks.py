"""The manager reviews with the tasks behind the score in front of them (issue 17)."""

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.evaluations.models import Period
from danhgia.evaluations.services.sheets import save_self_evaluation, submit_self_evaluation
from danhgia.work.models import Task
from tests.conftest import World
from tests.evaluations.conftest import OpenOctober, scores, sheet_of

pytestmark = pytest.mark.django_db


def test_the_review_page_lists_the_tasks_behind_a_b_c(
    client: Client, world: World, worked_example: list[Task], open_october: OpenOctober
) -> None:
    period: Period = open_october()
    sheet = sheet_of(period, world.people["staff"])
    sheet = save_self_evaluation(
        sheet, by=world.users["staff"], scores=scores(9, 9, 8), proposed_level="good"
    )
    submit_self_evaluation(sheet, by=world.users["staff"])
    client.force_login(world.users["manager"])

    page = client.get(reverse("evaluations:sheet_review", args=[sheet.pk])).content.decode()

    for task in worked_example:
        assert reverse("work:task_detail", args=[task.pk]) in page
        assert task.title in page
    sheet.refresh_from_db()
    assert f"{sheet.quantity_pct:.3f}".rstrip("0").rstrip(".").replace(".", ",") in page
