"""Publication of results: each organisation's setting, and each publication of a period."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Privacy(models.TextChoices):
    """How much of a month the public sees. Never more than name, title, unit, level, score."""

    NAMES_AND_SCORES = "names_scores", _("names with levels and scores")
    NAMES_WITHOUT_SCORES = "names_levels", _("names with levels, without scores")
    COUNTS_ONLY = "counts", _("counts per level only")


class Publisher(models.TextChoices):
    HR = "hr", _("the HR officer")
    HEAD = "head", _("the head of the organisation")


class PublicationSetting(models.Model):
    """An organisation's choices for publishing its months (the nearest unit up the tree with
    one applies; none: the defaults below)."""

    organisation = models.OneToOneField(
        "organisations.Unit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="publication_setting",
    )
    privacy = models.CharField(
        _("privacy on the public page"),
        max_length=20,
        choices=Privacy.choices,
        default=Privacy.NAMES_WITHOUT_SCORES,
        help_text=_("The default when a month is published; each publication keeps its own."),
    )
    publisher = models.CharField(
        _("who publishes"), max_length=10, choices=Publisher.choices, default=Publisher.HR
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("publication setting")
        verbose_name_plural = _("publication settings")

    def __str__(self) -> str:
        return f"{self.organisation}"


class Publication(models.Model):
    """One publication of a decided period: to the unit only, or also on the public portal.

    The privacy level is chosen when publishing and kept with it. Unpublishing keeps the row
    (who, when, why); a period has at most one publication in force.
    """

    class Audience(models.TextChoices):
        PUBLIC = "public", _("within the unit and on the public portal")
        INTERNAL = "internal", _("within the unit only")

    period = models.ForeignKey(
        "evaluations.Period",
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    privacy = models.CharField(_("privacy"), max_length=20, choices=Privacy.choices)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unpublished_at = models.DateTimeField(_("unpublished at"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unpublish_reason = models.TextField(_("reason for unpublishing"), blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(unpublished_at__isnull=True),
                name="publication_one_in_force_per_period",
            ),
            models.CheckConstraint(
                condition=Q(unpublished_at__isnull=True) | ~Q(unpublish_reason=""),
                name="publication_unpublished_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["audience", "unpublished_at"])]

    def __str__(self) -> str:
        return f"{self.period} ({self.get_audience_display()})"

    @property
    def in_force(self) -> bool:
        return self.unpublished_at is None

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC
