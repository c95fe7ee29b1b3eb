"""The pages behind login: HR's publication list, publish and unpublish forms, the settings,
and the results announced within the unit."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.evaluations.models import Period
from danhgia.reports.publication.models import Privacy, Publication, PublicationSetting
from tests.conftest import World
from tests.reports.publication.conftest import OCTOBER, Publish, decided_month

pytestmark = pytest.mark.usefixtures("english")


def test_hr_publishes_from_the_list(world: World, october: Period, login: Any) -> None:
    client = login(world.users["hr"])
    listing = client.get(reverse("publication:manage_list")).content.decode()
    assert reverse("publication:publish", args=[october.pk]) in listing

    form = client.get(reverse("publication:publish", args=[october.pk]))
    assert form.context["form"].initial["privacy"] == Privacy.NAMES_WITHOUT_SCORES
    response = client.post(
        reverse("publication:publish", args=[october.pk]),
        {"audience": "public", "privacy": "counts"},
    )

    assert response.status_code == 302
    publication = Publication.objects.get()
    assert (publication.audience, publication.privacy) == ("public", "counts")


@pytest.mark.usefixtures("english_pages")
def test_publishing_a_month_not_decided_shows_why(world: World, login: Any) -> None:
    period = decided_month(world, OCTOBER.replace(month=9), state=Period.State.REVIEWING)
    client = login(world.users["hr"])

    response = client.post(
        reverse("publication:publish", args=[period.pk]),
        {"audience": "public", "privacy": "counts"},
    )

    assert response.status_code == 200
    assert "published once every sheet is decided" in response.content.decode()
    assert response.context["form"]["privacy"].value() == "counts"
    assert not Publication.objects.exists()


def test_unpublishing_without_a_reason_keeps_the_form(
    world: World, publish: Publish, login: Any
) -> None:
    publication = publish()
    client = login(world.users["hr"])
    url = reverse("publication:unpublish", args=[publication.pk])

    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]

    response = client.post(url, {"reason": "Sai tên đơn vị"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.unpublish_reason == "Sai tên đơn vị"
    assert client.get(url).status_code == 404  # no longer in force


def test_the_setting_page_saves(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    response = client.post(
        reverse("publication:setting_edit", args=[world.dept.pk]),
        {"privacy": "names_scores", "publisher": "head"},
    )
    assert response.status_code == 302
    setting = PublicationSetting.objects.get(organisation=world.dept)
    assert (setting.privacy, setting.publisher) == ("names_scores", "head")
    assert client.get(reverse("publication:setting_list")).status_code == 200


def test_the_unit_reads_names_levels_and_scores_whatever_the_public_sees(
    world: World, october: Period, publish: Publish, login: Any
) -> None:
    publish(Privacy.COUNTS_ONLY)
    client = login(world.users["staff"])

    listing = client.get(reverse("publication:internal_list")).content.decode()
    page = client.get(reverse("publication:internal_page", args=[october.pk])).content.decode()

    assert reverse("publication:internal_page", args=[october.pk]) in listing
    assert "Phạm Minh Châu" in page and "91,43" in page  # the page is in Vietnamese
    other = login(world.users["staff_other"])
    assert other.get(reverse("publication:internal_page", args=[october.pk])).status_code == 404


def test_a_month_not_published_is_not_announced(world: World, october: Period, login: Any) -> None:
    client = login(world.users["staff"])
    assert client.get(reverse("publication:internal_page", args=[october.pk])).status_code == 404


def test_the_list_queries_do_not_grow_with_periods(
    world: World, october: Period, publish: Publish, login: Any
) -> None:
    publish()
    client = login(world.users["hr"])
    url = reverse("publication:manage_list")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for month in (7, 8, 9):
        decided_month(world, OCTOBER.replace(month=month))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 4
    assert len(many) == len(few)
