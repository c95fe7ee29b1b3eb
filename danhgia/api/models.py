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
