"""The decision page's ETag: a head's look again at an unchanged page is answered 304 Not
Modified without building it; anything the page shows that changes gives a new page."""

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
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import SINCE, World
from tests.evaluations.conftest import FULL_SCORES, sheet_of
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english")


def _client(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _reviewed(world: World, period: Period, key: str) -> Sheet:
    sheet = sheet_of(period, world.people[key])
    owner = world.users[key]
    save_self_evaluation(sheet, by=owner, scores=FULL_SCORES, proposed_level="completed")
    sheet = submit_self_evaluation(sheet, by=owner)
    return submit_review(
        sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level=sheet.band
    )


@pytest.fixture
def october(world: World, open_october: Any) -> Period:
    return open_october()


def _url(period: Period, world: World) -> str:
    return reverse("evaluations:decision_page", args=[period.pk, world.dept.pk])


def _look(client: Client, url: str, etag: str) -> Any:
    return client.get(url, HTTP_IF_NONE_MATCH=etag)


def test_a_look_again_at_an_unchanged_page_is_304(world: World, october: Period) -> None:
    client = _client(world.users["head"])
    url = _url(october, world)
    first = client.get(url)
    etag = first.headers["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = _look(client, url, etag)
    assert (first.status_code, again.status_code) == (200, 304)
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "private, no-store"  # still never stored
    assert len(queries) < 15  # no rows, no meter: the version's few narrow reads
    assert client.get(url).headers["ETag"] == etag  # the same page, the same version


def test_a_review_or_a_decision_by_someone_else_gives_the_new_page(
    world: World, october: Period
) -> None:
    head = _client(world.users["head"])
    url = _url(october, world)
    etag = head.get(url).headers["ETag"]
    sheet = _reviewed(world, october, "staff")  # the staff member and their manager

    after_review = _look(head, url, etag)

    assert after_review.status_code == 200
    assert f'id="sheet-{sheet.pk}"' in after_review.content.decode()
    etag = after_review.headers["ETag"]
    assert _look(head, url, etag).status_code == 304
    # The same head deciding in another window (a service call here) is another request.
    decide_sheet(sheet, by=world.users["head"], level=sheet.band)

    after_decision = _look(head, url, etag)

    assert after_decision.status_code == 200
    assert 'class="decision card decided"' in after_decision.content.decode()
    assert after_decision.headers["ETag"] != etag


def test_another_user_or_language_never_gets_the_first_ones_304(
    world: World, october: Period
) -> None:
    url = _url(october, world)
    etag = _client(world.users["head"]).get(url).headers["ETag"]
    second_head = UserFactory(username="head-two")
    PersonFactory(unit=world.dept, user=second_head, title="Phó Giám đốc")
    UnitRole.objects.create(user=second_head, unit=world.dept, role=Role.HEAD, valid_from=SINCE)
    other = _client(second_head)

    response = _look(other, url, etag)

    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    assert "Nguyễn Văn An" in response.content.decode()
    vietnamese = _look(_client(world.users["head"], language="vi"), url, etag)
    assert vietnamese.status_code == 200
    assert vietnamese.headers["ETag"] != etag


def test_who_decides_a_row_is_part_of_the_version(world: World, october: Period) -> None:
    """Whether the head may decide a row is part of the version (here the row's decider
    changes; a role or delegation given or ended changes it the same way)."""
    sheet = _reviewed(world, october, "staff")
    head = _client(world.users["head"])
    url = _url(october, world)
    etag = head.get(url).headers["ETag"]
    Sheet.objects.filter(pk=sheet.pk).update(decider=world.users["head_other"])

    response = _look(head, url, etag)

    assert response.status_code == 200
    assert response.headers["ETag"] != etag
