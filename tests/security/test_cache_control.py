"""Cache-Control: nothing a signed-in person (or an API client with its token) receives may be
stored by a browser or a proxy; the public portal's anonymous pages keep their caching.

Every URL of the permission matrix is checked for every signed-in persona in
tests/test_permission_matrix.py; here the cases the matrix does not show: the same public URL
anonymous and signed in, API answers with credentials, and file downloads with content.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.api.services import create_integration
from danhgia.reports.publication.models import Privacy
from danhgia.reports.publication.services import publish_period
from tests.conftest import World
from tests.matrix.evaluations import staff_sheet
from tests.reports.publication.conftest import OCTOBER, decided_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("matrix_clock")]

NO_STORE = "private, no-store"


def _public_urls() -> list[str]:
    month = [reverse(f"publication:{name}", args=["SNV", OCTOBER]) for name in (
        "public_month", "public_month_json", "public_month_embed"
    )]  # fmt: skip
    return [
        reverse("publication:public_index"),
        reverse("publication:public_unit", args=["SNV"]),
        reverse("publication:public_unit_atom", args=["SNV"]),
        *month,
    ]


def test_public_pages_are_cached_for_the_public_but_not_for_a_signed_in_person(
    client: Client, world: World, login: Any
) -> None:
    publish_period(
        decided_month(world),
        by=world.users["hr"],
        audience="public",
        privacy=Privacy.NAMES_WITHOUT_SCORES,
    )
    for url in _public_urls():
        response = client.get(url)
        assert (response.status_code, response["Cache-Control"]) == (200, "public, max-age=60")
    signed_in = login(world.users["staff"])
    for url in _public_urls():
        response = signed_in.get(url)
        assert (response.status_code, response["Cache-Control"]) == (200, NO_STORE), url
        assert "Expires" not in response


def test_api_answers_with_credentials_are_not_stored(client: Client, world: World) -> None:
    _integration, token = create_integration(
        name="eOffice", unit=world.dept, by=world.users["head"]
    )
    headers = {"Authorization": f"Bearer {token}"}
    for url, status in [
        (reverse("api:unit_list"), 200),
        (reverse("api:unit_detail", args=["SNV"]), 200),
        (reverse("api:unit_detail", args=["STC"]), 404),
    ]:
        response = client.get(url, headers=headers)
        assert (response.status_code, response["Cache-Control"]) == (status, NO_STORE)
    wrong = client.get(reverse("api:unit_list"), headers={"Authorization": "Bearer dg_sai"})
    assert (wrong.status_code, wrong["Cache-Control"]) == (401, NO_STORE)


@pytest.mark.parametrize(
    ("name", "args", "content_type"),
    [
        ("organisations:export_data", ["people"], "application/vnd.openxmlformats"),
        ("organisations:import_template", ["people"], "application/vnd.openxmlformats"),
    ],
)
def test_file_downloads_are_not_stored(
    login: Any, world: World, name: str, args: list[str], content_type: str
) -> None:
    response = login(world.users["hr"]).get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Cache-Control"] == NO_STORE


def test_a_sheet_pdf_is_not_stored(login: Any, world: World) -> None:
    sheet = staff_sheet(world)
    response = login(world.users["staff"]).get(reverse("exports:sheet_pdf", args=[sheet.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Cache-Control"] == NO_STORE
