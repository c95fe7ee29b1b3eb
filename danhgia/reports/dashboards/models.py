"""Dashboards and supervision: the precomputed monthly figures per unit, and each
organisation's supervision thresholds.

`UnitMonth` is derived data: one row per period and unit holding the figures of the unit and
everything below it (sheets, levels decided, levels proposed by the person and by the
manager, tasks on time). `summaries.py` rebuilds a period's rows whenever its data version
(`evaluations.PeriodDataVersion`) is ahead of the one they were built from (`PeriodSummary`),
so the province's dashboard reads a few hundred rows instead of hundreds of thousands of
sheets.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitMonth(models.Model):
    """The figures of one period for one unit, its sub-units included (decided sheets only
    for levels and agreement; every sheet for the count)."""

    period = models.ForeignKey("evaluations.Period", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the period's first day (a quarter shows at its first month)
    sheets = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    # Decided level, level proposed by the person, by the manager (decided sheets only).
    excellent = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    not_completed = models.PositiveIntegerField(default=0)
    self_excellent = models.PositiveIntegerField(default=0)
    self_good = models.PositiveIntegerField(default=0)
    self_completed = models.PositiveIntegerField(default=0)
    self_not_completed = models.PositiveIntegerField(default=0)
    manager_excellent = models.PositiveIntegerField(default=0)
    manager_good = models.PositiveIntegerField(default=0)
    manager_completed = models.PositiveIntegerField(default=0)
    manager_not_completed = models.PositiveIntegerField(default=0)
    agree_all = models.PositiveIntegerField(default=0)  # self = manager = decided
    score_sum = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    tasks = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveIntegerField(default=0)
    tasks_on_time = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="unitmonth_once"),
        ]
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y}"


class SummaryState(models.Model):
    """One row: when the summaries were last refreshed (its lock keeps two viewers from
    rebuilding the same periods at once)."""

    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"summaries refreshed at {self.refreshed_at}"


class PeriodSummary(models.Model):
    """The data version of a period (`evaluations.PeriodDataVersion`) its `UnitMonth` rows
    were built from: a period without one, or with an older one, is rebuilt."""

    period = models.OneToOneField(
        "evaluations.Period", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveBigIntegerField()
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.period_id} built from v{self.version}"


class SupervisionSettings(models.Model):
    """An organisation's thresholds for the supervision flags (the nearest unit up the tree
    with its own applies; none: the defaults below)."""

    organisation = models.OneToOneField(
        "organisations.Unit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="supervision_settings",
    )
    min_sheets = models.PositiveSmallIntegerField(
        _("smallest unit looked at (decided sheets)"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
        help_text=_(
            "Everyone good or better, no differentiation and agreement are only flagged in "
            "units with at least this many decided sheets."
        ),
    )
    agreement_share = models.DecimalField(
        _("share of sheets where self = manager = final (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(95),
        validators=[MinValueValidator(Decimal(50)), MaxValueValidator(Decimal(100))],
    )
    head_min_decisions = models.PositiveSmallIntegerField(
        _("decisions before a head who never departs is flagged"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
    )
    bulk_window_minutes = models.PositiveSmallIntegerField(
        _("last minutes before the decision deadline"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    bulk_min_decisions = models.PositiveSmallIntegerField(
        _("decisions in those minutes that count as a bulk"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
    )
    late_min_sheets = models.PositiveSmallIntegerField(
        _("late steps before a unit is flagged"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("supervision thresholds")
        verbose_name_plural = _("supervision thresholds")

    def __str__(self) -> str:
        return f"{self.organisation}"


THRESHOLD_FIELDS = (
    "min_sheets",
    "agreement_share",
    "head_min_decisions",
    "bulk_window_minutes",
    "bulk_min_decisions",
    "late_min_sheets",
)


class IntegrityCheck(models.Model):
    """One run of the nightly check of state against the audit log (`verify_state`)."""

    ran_at = models.DateTimeField(_("ran at"), db_index=True)
    ok = models.BooleanField(_("passed"))
    objects_checked = models.PositiveIntegerField(_("objects checked"), default=0)
    checked = models.PositiveIntegerField(_("values checked"), default=0)
    not_checkable = models.PositiveIntegerField(_("values not checkable"), default=0)
    mismatches = models.PositiveIntegerField(_("mismatches"), default=0)
    details = models.TextField(_("first mismatches"), blank=True)

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("integrity check")
        verbose_name_plural = _("integrity checks")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'failed'}"
