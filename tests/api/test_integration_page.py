"""HR connects a document system on a page: the key is shown once, works, and stops working
when the system is disconnected."""

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from danhgia.api.models import Integration
from danhgia.core.models import AuditLog
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import World
from tests.factories import UserFactory

PAGE = "api:integration_list"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _units(token: str) -> int:
    response = Client().get(reverse("api:unit_list"), HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code


def _connect(client: Client, world: World, name: str = "eOffice SNV") -> Any:
    return client.post(reverse(PAGE), {"name": name, "unit": world.dept.pk})


def test_hr_connects_a_system_and_sees_its_key_once(world: World) -> None:
    client = _client(world.users["hr"])
    response = _connect(client, world)
    page = response.content.decode()
    integration = Integration.objects.get(name="eOffice SNV")
    token = page.split('data-testid="token">')[1].split("</pre>")[0]
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert token.startswith(integration.token_prefix)
    assert integration.unit == world.dept
    assert _units(token) == 200
    assert AuditLog.objects.filter(action="api.integration_created").count() == 1
    again = client.get(reverse(PAGE)).content.decode()
    assert token not in again
    assert "eOffice SNV" in again


def test_a_blank_or_taken_name_is_refused_and_kept(world: World) -> None:
    client = _client(world.users["hr"])
    blank = client.post(reverse(PAGE), {"name": " ", "unit": world.dept.pk})
    assert blank.status_code == 422
    _connect(client, world)
    taken = _connect(client, world)
    assert taken.status_code == 422
    assert "exists already" in taken.content.decode()
    assert 'value="eOffice SNV"' in taken.content.decode()
    assert Integration.objects.count() == 1


def test_hr_of_a_department_cannot_connect_another_department(world: World) -> None:
    officer = UserFactory(username="hr_snv")
    UnitRole.objects.create(
        user=officer, unit=world.dept, role=Role.HR_OFFICER, valid_from=datetime.date(2020, 1, 1)
    )
    response = _client(officer).post(
        reverse(PAGE), {"name": "eOffice STC", "unit": world.dept_other.pk}
    )
    assert response.status_code == 422
    assert not Integration.objects.exists()


def test_disconnecting_stops_the_key(world: World) -> None:
    client = _client(world.users["hr"])
    page = _connect(client, world).content.decode()
    token = page.split('data-testid="token">')[1].split("</pre>")[0]
    integration = Integration.objects.get()
    revoke = reverse("api:integration_revoke", args=[integration.pk])
    assert client.post(revoke).status_code == 302
    assert _units(token) == 401
    assert AuditLog.objects.filter(action="api.integration_revoked").count() == 1
    again = client.post(revoke, follow=True)
    assert "revoked already" in again.content.decode()
    assert AuditLog.objects.filter(action="api.integration_revoked").count() == 1


@pytest.mark.usefixtures("english_pages")
def test_the_menu_shows_the_page_to_hr_only(world: World) -> None:
    assert "Connected systems" in _client(world.users["hr"]).get(reverse("home")).content.decode()
    assert "Connected systems" not in (
        _client(world.users["head"]).get(reverse("home")).content.decode()
    )
