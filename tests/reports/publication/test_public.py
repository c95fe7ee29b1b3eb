"""The public pages (no login): each privacy level shows exactly what it allows in the page,
the JSON, the Atom feed and the embeddable fragment; nothing else is ever shown; a month not
published (or taken down, or only announced within the unit) does not exist."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.evaluations.models import Period, Sheet
from danhgia.reports.publication.models import Privacy, Publication
from danhgia.reports.publication.services import publish_period, unpublish
from tests.conftest import World
from tests.factories import PersonFactory
from tests.reports.publication.conftest import (
    DECIDED,
    OCTOBER,
    Publish,
    decided_month,
    decided_sheet,
)

NAMES = ["Nguyễn Văn An", "Phạm Minh Châu", "Trần Thị Hạnh", "Đặng Thu Hà"]
SCORES = [total for _, total, _ in DECIDED] + [total.replace(".", ",") for _, total, _ in DECIDED]
# Never shown at any level: employee codes, e-mail addresses, phone numbers, usernames' codes.
PERSONAL = [f"E-{key}" for key, _, _ in DECIDED] + [
    f"{key}@snv.example.vn" for key, _, _ in DECIDED
] + [f"0905{len(key):06d}" for key, _, _ in DECIDED]  # fmt: skip
LEVEL_NAMES = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"]


def month_urls(code: str = "SNV") -> dict[str, str]:
    args = [code, OCTOBER]
    return {
        "page": reverse("publication:public_month", args=args),
        "json": reverse("publication:public_month_json", args=args),
        "embed": reverse("publication:public_month_embed", args=args),
    }


def every_output(client: Client, code: str = "SNV") -> dict[str, str]:
    """The month's page, JSON, fragment and the unit's Atom feed, as text."""
    texts = {}
    for kind, url in month_urls(code).items():
        response = client.get(url)
        assert response.status_code == 200, kind
        texts[kind] = response.content.decode()
    atom = client.get(reverse("publication:public_unit_atom", args=[code]))
    assert atom.status_code == 200
    texts["atom"] = atom.content.decode()
    return texts


def assert_absent(texts: dict[str, str], words: list[str]) -> None:
    found = [(kind, word) for kind, text in texts.items() for word in words if word in text]
    assert found == []


def test_names_with_scores_shows_name_title_unit_level_score_and_nothing_else(
    client: Client, publish: Publish
) -> None:
    publish(Privacy.NAMES_AND_SCORES)

    texts = every_output(client)

    for kind in ("page", "embed"):
        assert all(name in texts[kind] for name in NAMES), kind
        assert "83,17" in texts[kind] and "Phòng Công chức" in texts[kind]
        assert "Hoàn thành xuất sắc nhiệm vụ" in texts[kind]
    data = json.loads(texts["json"])
    assert data["privacy"] == "names_scores"
    staff = next(row for row in data["people"] if row["name"] == "Nguyễn Văn An")
    assert staff == {
        "name": "Nguyễn Văn An",
        "title": "Chuyên viên",
        "unit": "Phòng Công chức",
        "level": "good",
        "level_name": "Hoàn thành tốt nhiệm vụ",
        "score": "83.17",
    }
    assert_absent(texts, PERSONAL)
    assert_absent({"atom": texts["atom"]}, NAMES)  # the feed carries counts and links only


def test_names_without_scores_shows_no_score_anywhere(client: Client, publish: Publish) -> None:
    publish(Privacy.NAMES_WITHOUT_SCORES)

    texts = every_output(client)

    assert all(name in texts["page"] for name in NAMES)
    assert all(name in texts["embed"] for name in NAMES)
    data = json.loads(texts["json"])
    assert all(
        set(row) == {"name", "title", "unit", "level", "level_name"} for row in data["people"]
    )
    assert_absent(texts, SCORES + PERSONAL)


def test_counts_only_shows_no_name_anywhere(client: Client, publish: Publish) -> None:
    publish(Privacy.COUNTS_ONLY)

    texts = every_output(client)

    assert_absent(texts, NAMES + SCORES + PERSONAL + ["Chuyên viên", "Phòng Công chức"])
    data = json.loads(texts["json"])
    assert "people" not in data
    assert [(level["code"], level["count"]) for level in data["levels"]] == [
        ("excellent", 1),
        ("good", 2),
        ("completed", 1),
        ("not_completed", 0),
    ]
    assert data["total"] == 4
    for kind in ("page", "embed", "atom"):
        assert all(name in texts[kind] for name in LEVEL_NAMES), kind


def test_a_sub_unit_page_shows_only_that_unit(
    client: Client, world: World, publish: Publish
) -> None:
    publish(Privacy.NAMES_WITHOUT_SCORES)

    page = client.get(month_urls("SNV-CC")["page"]).content.decode()

    assert "Nguyễn Văn An" in page and "Phạm Minh Châu" in page
    assert "Trần Thị Hạnh" not in page and "Đặng Thu Hà" not in page


@pytest.mark.parametrize("kind", ["page", "json", "embed"])
def test_a_month_not_published_is_a_404(client: Client, october: Period, kind: str) -> None:
    assert client.get(month_urls()[kind]).status_code == 404


@pytest.mark.parametrize("kind", ["page", "json", "embed"])
def test_an_unpublished_month_is_a_404(
    client: Client, world: World, publish: Publish, kind: str
) -> None:
    publication = publish(Privacy.NAMES_AND_SCORES)
    assert client.get(month_urls()[kind]).status_code == 200

    unpublish(publication, by=world.users["hr"], reason="Sai sót cần sửa")

    assert client.get(month_urls()[kind]).status_code == 404
    assert client.get(reverse("publication:public_unit", args=["SNV"])).status_code == 404
    assert client.get(reverse("publication:public_unit_atom", args=["SNV"])).status_code == 404


@pytest.mark.parametrize("name", ["public_unit", "public_unit_atom"])
def test_a_unit_that_never_published_is_a_404_page_and_feed(
    client: Client, world: World, october: Period, name: str
) -> None:
    """The page and the feed answer alike: neither names a unit that has published nothing
    (a decided month not yet published, and a month announced within the unit only)."""
    response = client.get(reverse(f"publication:{name}", args=["SNV"]))
    assert response.status_code == 404
    assert "Sở Nội vụ" not in response.content.decode()
    publish_period(
        october,
        by=world.users["hr"],
        audience=Publication.Audience.INTERNAL,
        privacy=Privacy.NAMES_AND_SCORES,
    )
    assert client.get(reverse(f"publication:{name}", args=["SNV"])).status_code == 404


@pytest.mark.parametrize("name", ["public_unit", "public_unit_atom"])
def test_a_unit_whose_only_publication_was_withdrawn_is_a_404_page_and_feed(
    client: Client, world: World, publish: Publish, name: str
) -> None:
    publication = publish()
    assert client.get(reverse(f"publication:{name}", args=["SNV"])).status_code == 200
    unpublish(publication, by=world.users["hr"], reason="Sai sót cần sửa")
    response = client.get(reverse(f"publication:{name}", args=["SNV"]))
    assert response.status_code == 404
    assert "Sở Nội vụ" not in response.content.decode()


def test_a_month_announced_only_within_the_unit_is_not_public(
    client: Client, publish: Publish
) -> None:
    publish(Privacy.NAMES_AND_SCORES, audience=Publication.Audience.INTERNAL)

    assert client.get(month_urls()["page"]).status_code == 404
    assert "SNV" not in client.get(reverse("publication:public_index")).content.decode()


def test_other_months_and_unknown_units_are_404(client: Client, publish: Publish) -> None:
    publish()
    assert (
        client.get(
            reverse("publication:public_month", args=["SNV", OCTOBER.replace(month=9)])
        ).status_code
        == 404
    )
    assert client.get("/cong-khai/SNV/2026-13/").status_code == 404
    assert (
        client.get(reverse("publication:public_month", args=["NOPE", OCTOBER])).status_code == 404
    )
    # Sở Tài chính is not under Sở Nội vụ's period.
    assert client.get(reverse("publication:public_month", args=["STC", OCTOBER])).status_code == 404


def test_month_urls_are_unit_code_and_zero_padded_month() -> None:
    assert reverse("publication:public_month", args=["SNV", OCTOBER.replace(month=9)]) == (
        "/cong-khai/SNV/2026-09/"
    )
    assert month_urls()["json"] == "/cong-khai/SNV/2026-10.json"
    assert month_urls()["embed"] == "/cong-khai/SNV/2026-10/nhung/"


def test_a_reopened_sheet_is_not_shown_until_decided_again(
    client: Client, world: World, publish: Publish, october: Period
) -> None:
    publish(Privacy.NAMES_AND_SCORES)
    Sheet.objects.filter(period=october, person=world.people["hr"]).update(
        status=Sheet.Status.REVIEWED, decided_level=""
    )

    data = client.get(month_urls()["json"]).json()

    assert data["total"] == 3
    assert "Đặng Thu Hà" not in [row["name"] for row in data["people"]]


def test_index_and_unit_pages_link_the_published_months(client: Client, publish: Publish) -> None:
    publish()

    index = client.get(reverse("publication:public_index")).content.decode()
    unit = client.get(reverse("publication:public_unit", args=["SNV"])).content.decode()

    assert "Sở Nội vụ" in index and month_urls()["page"] in index
    assert month_urls()["page"] in unit


def test_pages_answer_304_when_nothing_changed_and_200_after_a_decision(
    client: Client, world: World, publish: Publish, october: Period
) -> None:
    publish()
    url = month_urls()["page"]
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"]

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    decided_sheet(october, PersonFactory(unit=world.division), "70", "good")
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag


def test_only_the_fragment_may_be_framed(client: Client, publish: Publish) -> None:
    publish()
    urls = month_urls()

    embed = client.get(urls["embed"])
    page = client.get(urls["page"])

    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_json_is_open_to_portals(client: Client, publish: Publish) -> None:
    publish()
    response = client.get(month_urls()["json"])
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.json()["period"] == {
        "kind": "month",
        "label": "Tháng 10/2026",
        "start": "2026-10-01",
        "end": "2026-10-31",
    }


# Query counts: constant in the number of people and months.


def more_people(world: World, october: Period, count: int) -> None:
    for number in range(count):
        decided_sheet(
            october, PersonFactory(unit=world.division, full_name=f"Lê Văn {number}"), "72", "good"
        )


@pytest.mark.parametrize("privacy", list(Privacy.values))
@pytest.mark.parametrize("kind", ["page", "json", "embed"])
def test_month_queries_do_not_grow_with_people(
    client: Client,
    world: World,
    publish: Publish,
    october: Period,
    django_assert_num_queries: Any,
    privacy: str,
    kind: str,
) -> None:
    publish(privacy)
    url = month_urls()[kind]
    # unit, publication, version aggregate, rows (or counts)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    more_people(world, october, 3)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_index_and_feed_queries_do_not_grow_with_months(
    client: Client, world: World, publish: Publish, django_assert_num_queries: Any
) -> None:
    publish()
    # index: publications; unit: unit, publications; feed: unit, publications, counts
    expected = {
        reverse("publication:public_index"): 1,
        reverse("publication:public_unit", args=["SNV"]): 2,
        reverse("publication:public_unit_atom", args=["SNV"]): 3,
    }
    for url, count in expected.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    for month in (7, 8, 9):
        publish(period=decided_month(world, OCTOBER.replace(month=month)))
    for url, count in expected.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    feed = client.get(reverse("publication:public_unit_atom", args=["SNV"])).content.decode()
    assert feed.count("<entry>") == 4


def test_names_are_escaped(client: Client, world: World, publish: Publish, october: Period) -> None:
    publish(Privacy.NAMES_AND_SCORES)
    decided_sheet(
        october,
        PersonFactory(unit=world.division, full_name="<script>x()</script> Lò"),
        "70",
        "good",
    )

    page = client.get(month_urls()["page"]).content.decode()

    assert "<script>x()" not in page
    assert "&lt;script&gt;x()&lt;/script&gt; Lò" in page
    assert '<td class="num">70,00</td>' in page
