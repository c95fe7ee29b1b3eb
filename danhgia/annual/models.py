"""The annual classification: one `AnnualPeriod` per organisation and year, one `AnnualSheet`
per person, computed from the decided period results of the year (`danhgia.annual.rules`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from danhgia.core.periods import year_label
from danhgia.evaluations.models import RoundSheet


class AnnualPeriod(models.Model):
    """The annual classification of an organisation (and everyone below it) for a year,
    pinned to the rulebook in force at the end of the year (frozen once used)."""

    class State(models.TextChoices):
        OPEN = "open", _("open: deciding")
        DECIDED = "decided", _("decided")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="annual_periods",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    rulebook = models.ForeignKey(
        "evaluations.Rulebook",
        verbose_name=_("rulebook"),
        on_delete=models.PROTECT,
        related_name="annual_periods",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    decision_due = models.DateField(_("decision due"))
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The head of the organisation's decision recognising the year's levels (quyết định công
    # nhận kết quả đánh giá, xếp loại), recorded by HR once the year is decided; the national
    # export carries it as each person's decision reference (docs/national-export.md).
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "organisation__path"]
        verbose_name = _("annual classification")
        verbose_name_plural = _("annual classifications")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="annual_once_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        """The year and the organisation, to follow "the classification of" in a sentence:
        "năm 2026 của Sở Nội vụ" ("year 2026 of Sở Nội vụ")."""
        return pgettext("annual classification", "year %(year)d of %(organisation)s") % {
            "year": self.year,
            "organisation": self.organisation,
        }

    @property
    def label(self) -> str:
        """The year's name on every page and document: "Năm 2025"."""
        return year_label(self.year)


class AnnualSheet(RoundSheet):
    """One person's annual result: the periods counted, time worked and absent, the score and
    its band, what limits the level (not classified, veto, cap) with reasons, and the head's
    decision. The person's situation (unit, title, group) is that at the opening."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for decision")
        NOT_CLASSIFIED = "not_classified", _("not classified")
        DECIDED = "decided", _("decided")

    annual_period = models.ForeignKey(AnnualPeriod, on_delete=models.PROTECT, related_name="sheets")
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="annual_sheets"
    )
    task_group = models.CharField(_("group with similar tasks"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # [{"period", "start", "end", "unit", "total", "level", "days_worked", "counted"}]
    months = models.JSONField(_("periods of the year"), default=list, blank=True)
    months_worked = models.PositiveSmallIntegerField(_("months worked"), default=0)
    extra_days_worked = models.PositiveSmallIntegerField(_("and days"), default=0)
    months_absent = models.PositiveSmallIntegerField(_("months absent"), default=0)
    extra_days_absent = models.PositiveSmallIntegerField(_("and days absent"), default=0)
    days_absent = models.JSONField(_("days of leave by kind"), default=dict, blank=True)
    score = models.DecimalField(
        _("annual score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    band = models.CharField(_("band of the score"), max_length=40, blank=True)
    cap_level = models.CharField(_("highest level allowed"), max_length=40, blank=True)
    cap_reason = models.TextField(_("why the level is capped"), blank=True)
    not_classified = models.BooleanField(_("not classified"), default=False)
    not_classified_reason = models.TextField(_("why not classified"), blank=True)
    proposed_level = models.CharField(_("computed level"), max_length=40, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["annual_period", "unit__path", "person__sort_key"]
        verbose_name = _("annual sheet")
        verbose_name_plural = _("annual sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["annual_period", "person"], name="annual_sheet_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0) & Q(score__lte=100),
                name="annual_sheet_score_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(decided_level=""),
                name="annual_sheet_decided_has_level",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_classified") | Q(decided_level=""),
                name="annual_sheet_not_classified_no_level",
            ),
        ]
        indexes = [models.Index(fields=["annual_period", "decider", "status"])]

    def __str__(self) -> str:
        return f"{self.person} {self.annual_period.year}"
