"""Events out end to end: a real receiver on localhost goes down mid-way and comes back; the
worker's retries bring it every event exactly once, each with a valid signature."""

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from danhgia.api.delivery import MAX_ATTEMPTS, backoff, deliver_due, signature
from danhgia.api.models import Delivery, Event, Subscription
from danhgia.api.services import create_integration
from danhgia.api.webhooks import create_subscription, replay_delivery
from danhgia.core import clock
from danhgia.work.models import Task
from danhgia.work.services.tasks import assign_task, complete_task
from tests.api.conftest import document
from tests.api.receiver import Receiver
from tests.conftest import VIETNAM, World

NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.start()
    yield receiver
    if receiver._server is not None:
        receiver.stop()


def _subscribe(world: World, url: str) -> Subscription:
    integration, _token = create_integration(
        name="Quản lý văn bản", unit=world.dept, by=world.users["hr"]
    )
    subscription, _secret = create_subscription(
        integration,
        url=url,
        kinds=["task.assigned", "task.completed"],
        by=world.users["hr"],
    )
    return subscription


def _assign(world: World, title: str) -> Task:
    today = clock.today()
    return assign_task(
        title=title,
        unit=world.division,
        owner=world.people["staff"],
        by=world.users["manager"],
        source=Task.Source.ASSIGNMENT,
        start_date=today,
        due_date=today + datetime.timedelta(days=7),
    )


def _valid(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the HMAC over the raw body, compare in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


@pytest.mark.django_db(transaction=True)
def test_a_receiver_down_for_a_while_gets_every_event_once(
    world: World, receiver: Receiver, time_machine: object
) -> None:
    time_machine.move_to(NOW, tick=True)  # type: ignore[attr-defined]
    subscription = _subscribe(world, receiver.url)
    first = [_assign(world, f"Việc {n}") for n in range(3)]  # sent at each commit
    assert len(receiver.received) == 3

    receiver.stop()
    later = [_assign(world, f"Việc {n}") for n in range(3, 5)]
    complete_task(first[0], by=world.users["staff"], on=clock.today())
    failed = Delivery.objects.filter(status=Delivery.Status.PENDING)
    assert failed.count() == 3
    assert {d.attempts for d in failed} == {1}
    assert {d.last_status_code for d in failed} == {None}
    assert deliver_due() == []  # not due yet: the first retry waits a minute

    receiver.start()  # back on the same port
    time_machine.move_to(NOW + datetime.timedelta(minutes=2), tick=True)  # type: ignore[attr-defined]
    retried = deliver_due()
    assert [d.status for d in retried] == [Delivery.Status.DELIVERED] * 3
    assert deliver_due() == []

    deliveries = Delivery.objects.select_related("event")
    keys = [r.headers["X-Danhgia-Delivery"] for r in receiver.received]
    assert len(keys) == len(set(keys)) == 6  # every event, none twice
    assert set(keys) == {str(d.key) for d in deliveries}
    assert {d.status for d in deliveries} == {Delivery.Status.DELIVERED}
    for received in receiver.received:
        assert _valid(subscription.secret, received.body, received.headers["X-Danhgia-Signature"])
        body = json.loads(received.body)
        assert body["id"] == received.headers["X-Danhgia-Delivery"]
        assert body["kind"] == received.headers["X-Danhgia-Event"]
        assert received.headers["X-Danhgia-Timestamp"].isdigit()
    bodies = [json.loads(r.body) for r in receiver.received]
    assert sorted((b["kind"], b["data"]["task"]["id"]) for b in bodies) == sorted(
        [("task.assigned", task.pk) for task in first + later] + [("task.completed", first[0].pk)]
    )
    done = next(b for b in bodies if b["kind"] == "task.completed")
    assert done["data"]["task"]["status"] == Task.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_a_replay_sends_the_same_body_and_key(
    world: World, receiver: Receiver, time_machine: object
) -> None:
    time_machine.move_to(NOW, tick=True)  # type: ignore[attr-defined]
    _subscribe(world, receiver.url)
    _assign(world, "Việc")
    delivery = Delivery.objects.get()
    replay_delivery(delivery, by=world.users["hr"])
    first, again = receiver.received
    assert again.body == first.body
    assert again.headers["X-Danhgia-Delivery"] == first.headers["X-Danhgia-Delivery"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 1)


@pytest.mark.django_db(transaction=True)
def test_an_error_answer_is_retried_with_growing_waits_then_given_up(
    world: World, receiver: Receiver, time_machine: object
) -> None:
    time_machine.move_to(NOW, tick=True)  # type: ignore[attr-defined]
    receiver.status = 503
    _subscribe(world, receiver.url)
    _assign(world, "Việc")
    delivery = Delivery.objects.get()
    waits = []
    while delivery.status == Delivery.Status.PENDING:
        assert delivery.last_status_code == 503
        assert delivery.response_excerpt == "ok"
        waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
        time_machine.move_to(delivery.next_attempt_at, tick=True)  # type: ignore[attr-defined]
        deliver_due()
        delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS == len(receiver.received)
    assert [w.total_seconds() // 60 for w in waits] == [
        backoff(n).total_seconds() // 60 for n in range(1, MAX_ATTEMPTS)
    ]
    assert waits[:4] == [datetime.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == datetime.timedelta(hours=6)


@pytest.mark.django_db
def test_nothing_is_written_when_nobody_subscribes(world: World) -> None:
    _assign(world, "Việc")
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_a_subscription_gets_only_its_units_and_kinds(world: World) -> None:
    subscription = _subscribe(world, "https://vanban.example.vn/hooks")
    other, _t = create_integration(name="STC", unit=world.dept_other, by=world.users["hr"])
    create_subscription(
        other, url="https://stc.example.vn/hooks", kinds=["task.assigned"], by=world.users["hr"]
    )
    task = _assign(world, "Việc")  # in SNV-CC: the SNV subscription only
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [subscription.pk]
    assert Event.objects.get().payload["task"]["id"] == task.pk


def test_the_signature_is_hmac_sha256_of_the_body() -> None:
    assert signature("s3cret", b'{"a":1}') == (
        "sha256=" + hmac.new(b"s3cret", b'{"a":1}', hashlib.sha256).hexdigest()
    )
    assert signature("s3cret", b'{"a":1}') != signature("other", b'{"a":1}')


@pytest.mark.django_db
@pytest.mark.usefixtures("matrix_clock")
def test_a_task_from_a_document_is_announced_with_the_document_systems_id(world: World) -> None:
    integration, token = create_integration(name="eOffice", unit=world.dept, by=world.users["hr"])
    create_subscription(
        integration,
        url="https://vanban.example.vn/h",
        kinds=["task.assigned"],
        by=world.users["hr"],
    )
    response = Client().put(
        reverse("api:document_task", args=["VB-7"]),
        document(),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    task = Event.objects.get(kind="task.assigned").payload["task"]
    assert (task["id"], task["external_id"]) == (response.json()["id"], "VB-7")
