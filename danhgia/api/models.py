"""Integrations (document systems that call the API) and the tasks they created."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Integration(models.Model):
    """One external system with its own token, scoped to a unit and everything below it.

    Only the SHA-256 of the token is stored; the token itself is shown once at creation.
    Tasks it creates are assigned on behalf of `created_by`.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit (with its sub-units)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("token starts with"), max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ExternalTask(models.Model):
    """(integration, the external system's id) → the task it created: makes PUT idempotent."""

    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="external_tasks"
    )
    external_id = models.CharField(max_length=100)
    task = models.OneToOneField("work.Task", on_delete=models.PROTECT, related_name="external_link")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "external_id"], name="api_external_id_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.integration}:{self.external_id}"


class Subscription(models.Model):
    """A connected system's URL that receives events out (webhooks), signed with `secret`.

    Scoped to the integration's unit and below: only events of that subtree are sent. The
    secret is stored as is (it signs every body, so it cannot be hashed) and shown once.
    """

    integration = models.ForeignKey(
        Integration,
        verbose_name=_("connected system"),
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    url = models.URLField(_("receiving address (URL)"), max_length=500)
    secret = models.CharField(max_length=100, editable=False)
    kinds = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["integration__name", "url"]
        verbose_name = _("event subscription")
        verbose_name_plural = _("event subscriptions")

    def __str__(self) -> str:
        return f"{self.integration} → {self.url}"


class Event(models.Model):
    """One thing that happened (the outbox): written in the transaction that made it happen,
    with one `Delivery` per subscription that wants it. `payload` is the body's `data`."""

    kind = models.CharField(max_length=50)
    occurred_at = models.DateTimeField()
    unit_path = models.CharField(max_length=255)
    payload = models.JSONField()

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Delivery(models.Model):
    """One event for one subscription: retried with exponential backoff until the receiver
    answers 2xx or the attempts run out. `key` is the idempotency key (X-Danhgia-Delivery):
    the same on every attempt and on a replay, so a receiver can tell a duplicate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("gave up")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="deliveries"
    )
    key = models.UUIDField(unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="api_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"
