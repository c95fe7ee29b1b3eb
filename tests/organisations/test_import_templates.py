"""Every downloadable import template (people, units, products) imports as it is: its example
row is built from the downloader's own scope, so the HR officer who downloads it and uploads
it unchanged gets a clean preview and a commit that adds one row and changes nothing else.
On the small test province and on the demo province."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from danhgia.accounts.models import User
from danhgia.organisations.models import ImportBatch, JobPosition, Person, Unit
from danhgia.work.models import ProductType

TEMPLATES: dict[str, tuple[str, list[Any], str]] = {
    # kind: (template URL name, its arguments, upload URL name)
    "people": ("organisations:import_template", ["people"], "organisations:import_start"),
    "units": ("organisations:import_template", ["units"], "organisations:import_start"),
    "products": ("work:product_template", [], "work:product_import"),
}
PREVIEW = {
    "people": "organisations:import_preview",
    "units": "organisations:import_preview",
    "products": "work:product_import_preview",
}


def _rows() -> tuple[int, int, int, int]:
    return (
        Unit.objects.count(),
        Person.objects.count(),
        JobPosition.objects.count(),
        ProductType.objects.count(),
    )


def download_and_upload_unchanged(client: Client, kind: str) -> ImportBatch:
    template, args, upload_url = TEMPLATES[kind]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse(template, args=args))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("mau.xlsx", data)
    form = {"file": upload} if kind == "products" else {"kind": kind, "file": upload}
    response = client.post(reverse(upload_url), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def check_it_imports(client: Client, kind: str) -> None:
    before = _rows()
    batch = download_and_upload_unchanged(client, kind)
    assert (batch.status, batch.errors) == ("previewed", [])
    assert (batch.created_count, batch.updated_count) == (1, 0)
    assert client.post(reverse(PREVIEW[kind], args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "committed"
    added = [after - earlier for after, earlier in zip(_rows(), before, strict=True)]
    expected = {"units": [1, 0, 0, 0], "people": [0, 1, 0, 0], "products": [0, 0, 0, 1]}[kind]
    assert added == expected


@pytest.mark.django_db
@pytest.mark.parametrize("kind", TEMPLATES)
def test_each_template_imports_unchanged_for_the_hr_officer(world: Any, login: Any, kind: str):
    JobPosition.objects.create(code="CV", name="Chuyên viên")
    check_it_imports(login(world.users["hr"]), kind)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", TEMPLATES)
def test_each_template_imports_unchanged_in_a_fresh_organisation(
    world: Any, login: Any, kind: str
) -> None:
    """No job position yet: the people example creates none it cannot, products name none."""
    check_it_imports(login(world.users["hr"]), kind)


@pytest.mark.django_db
def test_each_template_imports_unchanged_on_the_demo_province(
    client: Client, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--stop-after", "province", stdout=io.StringIO())
    client.force_login(User.objects.get(username="nhansu"))
    for kind in TEMPLATES:
        check_it_imports(client, kind)


@pytest.mark.django_db
def test_the_example_codes_are_new_each_time_a_template_is_used(world: Any, login: Any) -> None:
    client = login(world.users["hr"])
    steps: list[Callable[[], None]] = [
        lambda k=kind: check_it_imports(client, k) for kind in TEMPLATES
    ]
    for step in steps + steps:
        step()
