"""Sending events out: the body, its HMAC-SHA256 signature, one attempt over HTTP, and the
retries with exponential backoff. Runs in the worker only (`api/tasks.py`), never in a request
(a request only writes the outbox, `api/events.py`).

A delivery is claimed in a short transaction (its `next_attempt_at` moves a lease ahead, so two
workers never send it at once and a worker that dies mid-way leaves it to be sent again later),
sent with no transaction open, then its result is recorded. At least once: a receiver that
answered 2xx but whose answer was lost gets the delivery again, with the same key.
"""

import datetime
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from danhgia.api.models import Delivery
from danhgia.core import clock

TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 12
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=6)
LEASE = datetime.timedelta(seconds=TIMEOUT_SECONDS + 55)
BATCH = 50
USER_AGENT = "danhgia-webhooks/1"


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failure: 1, 2, 4, 8 … minutes, at most 6 hours (twelve
    attempts span about 17 hours)."""
    return min(LONGEST_WAIT, FIRST_RETRY * 2 ** (attempts - 1))


def body_of(delivery: Delivery) -> bytes:
    """The JSON body, byte for byte the same on every attempt and replay."""
    event = delivery.event
    envelope = {
        "id": str(delivery.key),
        "kind": event.kind,
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256 of the body with the subscription's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def headers_of(delivery: Delivery, body: bytes, *, now: datetime.datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Danhgia-Event": delivery.event.kind,
        "X-Danhgia-Delivery": str(delivery.key),
        "X-Danhgia-Timestamp": str(int(now.timestamp())),
        "X-Danhgia-Signature": signature(delivery.subscription.secret, body),
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer (3xx, a failure), never followed: the URL HR entered is the only
    place a signed body goes."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# No proxies from the environment: the body goes straight to the subscription's URL.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str = ""
    excerpt: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """One POST with a short timeout. Never raises: the outcome says what happened."""
    if not url.startswith(("https://", "http://")):  # the services allow no other scheme
        return Outcome(None, error="not an http(s) address")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            excerpt = response.read(500).decode("utf-8", "replace")
            return Outcome(response.status, excerpt=excerpt)
    except urllib.error.HTTPError as error:
        excerpt = error.read(500).decode("utf-8", "replace") if error.fp else ""
        return Outcome(error.code, error=str(error.reason)[:300], excerpt=excerpt)
    except (OSError, ValueError) as error:  # refused, timed out, DNS, bad URL
        return Outcome(None, error=str(error)[:300] or type(error).__name__)


def _claim(*, event_id: int | None, limit: int) -> list[int]:
    """Take up to `limit` due deliveries (of one event when given) for this worker."""
    now = clock.now()
    due = Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    due &= Q(subscription__is_active=True, subscription__integration__revoked_at__isnull=True)
    if event_id is not None:
        due &= Q(event_id=event_id)
    with transaction.atomic():
        rows = Delivery.objects.filter(due).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(of=("self",), skip_locked=True)
        ids = list(rows.values_list("pk", flat=True)[:limit])
        Delivery.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    return ids


def _attempt(delivery_id: int) -> Delivery:
    delivery = Delivery.objects.select_related("event", "subscription").get(pk=delivery_id)
    body = body_of(delivery)
    outcome = post(delivery.subscription.url, body, headers_of(delivery, body, now=clock.now()))
    return _record(delivery_id, outcome)


@transaction.atomic
def _record(delivery_id: int, outcome: Outcome) -> Delivery:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    now = clock.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = outcome.status_code
    delivery.last_error = "" if outcome.ok else outcome.error
    delivery.response_excerpt = outcome.excerpt
    if outcome.ok:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save()
    return delivery


def deliver_due(*, event_id: int | None = None, limit: int = 500) -> list[Delivery]:
    """Send the deliveries that are due (of one event when given), at most `limit`; return
    them with their new state. Call with no transaction open (HTTP waits up to 5 s each)."""
    done: list[Delivery] = []
    while len(done) < limit:
        ids = _claim(event_id=event_id, limit=min(BATCH, limit - len(done)))
        if not ids:
            break
        done += [_attempt(delivery_id) for delivery_id in ids]
    return done
