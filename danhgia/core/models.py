import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """One consequential change. Rows form a hash chain: editing or deleting one breaks it.

    A row is written in its change's transaction without `seq`, `prev_hash` and `hash`; after
    that transaction commits, the chainer (core/audit.py `chain_pending`) gives it its
    position in the chain and its hashes. `seq` orders the chain; ids only order inserts.
    """

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Indexed for equality only (Meta.indexes): `db_index=True` would add PostgreSQL's
    # pattern-ops twin, which no query uses and every insert and chaining would maintain.
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action"], name="core_auditlog_action"),
            # The rows still to chain: a handful at any time, found without a scan.
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="core_auditlog_unchained"
            ),
        ]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, *(getattr(self, name) for name in HASHED_FIELDS))


# The fields a row's hash covers, after its predecessor's hash, in this order.
HASHED_FIELDS = (
    "created_at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "data",
)


def chain_hash(prev_hash: str, created_at: Any, *fields: Any) -> str:
    """The hash of one audit row: its predecessor's hash and its `HASHED_FIELDS`."""
    payload = json.dumps(
        [prev_hash, created_at.isoformat(), *fields],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditAnchor(models.Model):
    """A signed head of the audit chain, as written to the day's anchor file (core/anchors.py).

    Kept here only to publish it (the public portal's page and feed): verification reads the
    anchor files and their HMAC, never this table, which a database administrator could rewrite.
    """

    audit_id = models.BigIntegerField(_("last audit row"))
    hash = models.CharField(_("hash"), max_length=64)
    row_count = models.BigIntegerField(_("rows"))
    created_at = models.DateTimeField(_("time"), db_index=True)
    line = models.TextField(_("signed line"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} #{self.audit_id} {self.hash[:12]}"


class Notification(models.Model):
    """A message for one user in the app (and later by e-mail). `key` makes it unique."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message
