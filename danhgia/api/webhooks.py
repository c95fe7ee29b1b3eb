"""Writes of events out (webhooks): HR's subscriptions (create, change, disable) and sending a
delivery again. Guard, change, log: every write appends an audit row in its transaction."""

import secrets
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.api.events import EVENT_KINDS
from danhgia.api.models import Delivery, Integration, Subscription
from danhgia.api.services import ApiError
from danhgia.core import clock
from danhgia.core.audit import log_action

WEBHOOK_ACTION_LABELS: dict[str, Any] = {
    "webhook.subscription_created": gettext_lazy("event subscription created"),
    "webhook.subscription_changed": gettext_lazy("event subscription changed"),
    "webhook.delivery_replayed": gettext_lazy("event sent again"),
}


def _check(integration: Integration, url: str, kinds: list[str]) -> None:
    if not integration.is_active:
        raise ApiError(_("This system is disconnected: connect it again first."))
    if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).hostname:
        raise ApiError(_("Enter an address that starts with https:// (or http://)."))
    if not kinds or not set(kinds) <= set(EVENT_KINDS):
        raise ApiError(_("Choose at least one event."))


def _state(subscription: Subscription) -> dict[str, Any]:
    return {
        "url": subscription.url,
        "kinds": list(subscription.kinds),
        "is_active": subscription.is_active,
    }


@transaction.atomic
def create_subscription(
    integration: Integration, *, url: str, kinds: list[str], by: User
) -> tuple[Subscription, str]:
    """A new subscription of `integration` to `kinds`, sent to `url`. Returns it with its
    signing secret (show it once). Logs `webhook.subscription_created` (without the secret).
    Raises ApiError for a disconnected system, an address that is not http(s) or no event."""
    url = url.strip()
    _check(integration, url, kinds)
    secret = "whsec_" + secrets.token_urlsafe(32)
    subscription = Subscription.objects.create(
        integration=integration,
        url=url,
        secret=secret,
        kinds=sorted(kinds),
        created_by=by,
        created_at=clock.now(),
    )
    log_action(
        subscription,
        "webhook.subscription_created",
        by=by,
        data={"before": None, "after": _state(subscription)},
    )
    return subscription, secret


@transaction.atomic
def change_subscription(
    subscription: Subscription, *, url: str, kinds: list[str], is_active: bool, by: User
) -> Subscription:
    """Change the address, the events or whether it is active (a disabled subscription gets
    no new events; its waiting deliveries wait until it is active again). Logs
    `webhook.subscription_changed` with before/after; nothing when nothing changed."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("integration")
        .get(pk=subscription.pk)
    )
    url = url.strip()
    _check(subscription.integration, url, kinds)
    before = _state(subscription)
    subscription.url = url
    subscription.kinds = sorted(kinds)
    subscription.is_active = is_active
    after = _state(subscription)
    if after == before:
        return subscription
    subscription.save(update_fields=["url", "kinds", "is_active"])
    log_action(
        subscription, "webhook.subscription_changed", by=by, data={"before": before, "after": after}
    )
    return subscription


@transaction.atomic
def replay_delivery(delivery: Delivery, *, by: User) -> Delivery:
    """Send a delivery again, with the same body and key (a receiver that has it already can
    tell): it becomes due now with a fresh count of attempts. Logs `webhook.delivery_replayed`.
    Raises ApiError while it is still waiting to be sent."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status == Delivery.Status.PENDING:
        raise ApiError(_("This event is still waiting to be sent: it will be retried by itself."))
    before = {"status": delivery.status, "attempts": delivery.attempts}
    delivery.status = Delivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = clock.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    log_action(
        delivery,
        "webhook.delivery_replayed",
        by=by,
        data={"before": before, "after": {"status": delivery.status}, "key": str(delivery.key)},
    )
    from danhgia.api.tasks import deliver_event_task

    event_id = delivery.event_id
    transaction.on_commit(lambda: deliver_event_task(event_id), robust=True)
    return delivery
