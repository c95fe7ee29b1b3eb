"""The public search and the landing page: names found without accents, by month and level;
only what the public pages show (public, in force, names allowed; scores only where shown)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.reports.publication.models import Privacy, Publication
from danhgia.reports.publication.services import unpublish
from tests.conftest import World
from tests.reports.publication.conftest import OCTOBER, Publish, decided_month

pytestmark = pytest.mark.django_db
SEPTEMBER = datetime.date(2026, 9, 1)


def search(client: Client, **query: str) -> str:
    response = client.get(reverse("publication:public_search"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_name_is_found_without_accents(client: Client, publish: Publish) -> None:
    publish(privacy=Privacy.NAMES_WITHOUT_SCORES)

    page = search(client, q="nguyen van an")

    assert "Nguyễn Văn An" in page
    assert "Hoàn thành tốt nhiệm vụ" in page
    assert "83.17" not in page and "83,17" not in page  # the score is not published
    assert "Phạm Minh Châu" not in page


def test_scores_only_where_the_publication_shows_them(client: Client, publish: Publish) -> None:
    publish(privacy=Privacy.NAMES_AND_SCORES)

    page = search(client, q="Nguyễn")

    assert "Nguyễn Văn An" in page
    assert "83,17" in page or "83.17" in page


@pytest.mark.parametrize(
    "how",
    ["counts_only", "internal", "withdrawn", "never"],
)
def test_nothing_unpublished_is_found(
    client: Client, world: World, publish: Publish, how: str
) -> None:
    if how == "counts_only":
        publish(privacy=Privacy.COUNTS_ONLY)
    elif how == "internal":
        publish(audience=Publication.Audience.INTERNAL)
    elif how == "withdrawn":
        unpublish(publish(), by=world.users["hr"], reason="Sai sót")

    page = search(client, q="nguyen van an")

    assert "Nguyễn Văn An" not in page
    assert "Không có kết quả công khai nào khớp." in page


def test_the_employee_code_is_never_searched(client: Client, publish: Publish) -> None:
    publish(privacy=Privacy.NAMES_AND_SCORES)

    assert "Nguyễn Văn An" not in search(client, q="E-staff")


def test_filters_by_month_and_level(client: Client, world: World, publish: Publish) -> None:
    publish(privacy=Privacy.NAMES_WITHOUT_SCORES)
    publish(period=decided_month(world, SEPTEMBER), privacy=Privacy.NAMES_WITHOUT_SCORES)

    october_only = search(client, thang=f"{OCTOBER:%Y-%m}", muc="excellent")
    both_months = search(client, q="chau")

    assert october_only.count("Phạm Minh Châu") == 1  # the manager, "excellent" in October
    assert "Nguyễn Văn An" not in october_only  # "good"
    assert "Tháng 10/2026" in october_only and "Tháng 9/2026" not in october_only.split("<h2>")[-1]
    assert both_months.count("Phạm Minh Châu") == 2


def test_a_month_never_published_is_refused_and_the_words_kept(
    client: Client, publish: Publish
) -> None:
    publish()

    page = search(client, q="nguyen", thang="2026-09")

    assert 'value="nguyen"' in page
    assert "Hãy chọn một lựa chọn hợp lệ" in page
    assert "Nguyễn Văn An" not in page


def test_units_with_a_public_page_are_found(client: Client, world: World, publish: Publish) -> None:
    publish()
    word = world.dept.name.split()[-1]

    page = search(client, q=word)

    assert reverse("publication:public_unit", args=[world.dept.code]) in page
    assert reverse("publication:public_unit", args=[world.dept_other.code]) not in page


def test_the_landing_page_says_whose_site_it_is(
    client: Client, world: World, publish: Publish
) -> None:
    publish()

    page = client.get(reverse("home"))

    text = page.content.decode()
    assert page.status_code == 200
    assert world.province.name in text
    assert reverse("publication:public_index") in text
    assert reverse("publication:public_search") in text
    assert reverse("accounts:login") in text
    assert reverse("publication:public_month", args=[world.dept.code, OCTOBER]) in text


def test_a_signed_in_user_still_gets_their_home(client: Client, world: World) -> None:
    client.force_login(world.users["staff"])

    page = client.get(reverse("home"))

    assert "Nguyễn Văn An" in page.content.decode()
    assert reverse("publication:public_search") not in page.content.decode()
