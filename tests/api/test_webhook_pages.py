"""HR's pages of events out: subscribe a connected system (the secret is shown once), change
or disable it, read the delivery log and send a delivery again, every change audited."""

import datetime
from typing import Any
from uuid import uuid4

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from danhgia.api.models import Delivery, Event, Integration, Subscription
from danhgia.api.services import create_integration, revoke_integration
from danhgia.api.webhooks import create_subscription
from danhgia.core import clock
from danhgia.core.models import AuditLog
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import World
from tests.matrix.work_tasks import _task


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _integration(world: World, name: str = "eOffice SNV") -> Integration:
    integration, _token = create_integration(name=name, unit=world.dept, by=world.users["hr"])
    return integration


def _subscription(world: World, name: str = "eOffice SNV") -> Subscription:
    subscription, _secret = create_subscription(
        _integration(world, name),
        url="https://vanban.example.vn/hooks",
        kinds=["sheet.decided"],
        by=world.users["hr"],
    )
    return subscription


def test_hr_subscribes_a_system_and_sees_the_secret_once(world: World) -> None:
    integration = _integration(world)
    client = _client(world.users["hr"])
    response = client.post(
        reverse("api:subscription_list"),
        {
            "integration": integration.pk,
            "url": "https://vanban.example.vn/hooks",
            "kinds": ["task.completed", "period.closed"],
        },
    )
    page = response.content.decode()
    subscription = Subscription.objects.get()
    secret = page.split('data-testid="secret">')[1].split("</pre>")[0]
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert secret == subscription.secret
    assert subscription.kinds == ["period.closed", "task.completed"]
    log = AuditLog.objects.get(action="webhook.subscription_created")
    assert secret not in str(log.data)
    assert secret not in client.get(reverse("api:subscription_list")).content.decode()


@pytest.mark.parametrize(
    ("url", "kinds"),
    [("ftp://vanban.example.vn/", ["period.closed"]), ("https://vanban.example.vn/", [])],
)
def test_an_address_not_http_or_no_event_is_refused(world: World, url: str, kinds: list) -> None:
    integration = _integration(world)
    response = _client(world.users["hr"]).post(
        reverse("api:subscription_list"),
        {"integration": integration.pk, "url": url, "kinds": kinds},
    )
    assert response.status_code == 422
    assert Subscription.objects.count() == 0


def test_a_disconnected_system_cannot_be_chosen(world: World) -> None:
    integration = _integration(world)
    revoke_integration(integration, by=world.users["hr"])
    response = _client(world.users["hr"]).post(
        reverse("api:subscription_list"),
        {"integration": integration.pk, "url": "https://a.vn/", "kinds": ["period.closed"]},
    )
    assert response.status_code == 422


def test_hr_disables_a_subscription_and_it_gets_no_new_event(world: World) -> None:
    subscription = _subscription(world)
    response = _client(world.users["hr"]).post(
        reverse("api:subscription_edit", args=[subscription.pk]),
        {"url": subscription.url, "kinds": ["sheet.decided", "task.assigned"]},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.kinds == ["sheet.decided", "task.assigned"]
    log = AuditLog.objects.get(action="webhook.subscription_changed")
    assert log.data["before"]["is_active"] is True
    assert log.data["after"]["is_active"] is False
    _task(world)
    assert Event.objects.count() == 0


def _deliveries(subscription: Subscription, count: int) -> None:
    now = clock.now()
    for n in range(count):
        event = Event.objects.create(
            kind="sheet.decided", occurred_at=now, unit_path="x", payload={"n": n}
        )
        Delivery.objects.create(
            event=event,
            subscription=subscription,
            key=uuid4(),
            status=Delivery.Status.FAILED,
            attempts=12,
            last_status_code=503,
        )


@pytest.mark.parametrize("rows", [1, 3])
def test_the_delivery_log_costs_the_same_for_1_or_3_rows(
    world: World, rows: int, django_assert_num_queries: Any
) -> None:
    _deliveries(_subscription(world), rows)
    client = _client(world.users["hr"])
    client.get(reverse("api:delivery_list"))  # warm the session
    with django_assert_num_queries(6):
        response = client.get(reverse("api:delivery_list"))
    assert response.content.decode().count('data-testid="delivery"') == rows


def test_hr_sends_a_failed_delivery_again(world: World) -> None:
    _deliveries(_subscription(world), 1)
    delivery = Delivery.objects.get()
    client = _client(world.users["hr"])
    response = client.post(reverse("api:delivery_replay", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at <= clock.now() + datetime.timedelta(seconds=1)
    log = AuditLog.objects.get(action="webhook.delivery_replayed")
    assert log.data["key"] == str(delivery.key)
    again = client.post(reverse("api:delivery_replay", args=[delivery.pk]), follow=True)
    assert "still waiting to be sent" in again.content.decode()
    assert AuditLog.objects.filter(action="webhook.delivery_replayed").count() == 1


def test_another_units_hr_does_not_see_the_deliveries(world: World) -> None:
    _deliveries(_subscription(world), 2)
    other = world.users["head_other"]
    UnitRole.objects.create(user=other, unit=world.dept_other, role=Role.HR_OFFICER)
    page = _client(other).get(reverse("api:delivery_list")).content.decode()
    assert page.count('data-testid="delivery"') == 0
