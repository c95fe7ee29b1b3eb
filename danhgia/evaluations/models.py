import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from danhgia.core.periods import period_label
from danhgia.organisations.models import StaffCategory


class Rulebook(models.Model):
    """A versioned set of evaluation rules (Nghị định 335, a province's model, ...).

    The rules are data: criteria, the named task-scoring strategy and its parameters, levels
    and thresholds, vetoes, quota, the annual rule and default deadlines, each a JSON document
    checked against `danhgia.evaluations.rules` schemas. A rulebook used by a period is frozen
    (`frozen_at`): to change rules, HR clones it and edits the clone.
    """

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255)
    legal_source = models.CharField(_("legal source"), max_length=500)
    applies_from = models.DateField(_("applies from"))
    local_defaults = models.BooleanField(
        _("numbers are local defaults"),
        default=False,
        help_text=_("The source fixes no numbers: every figure here is a local choice to review."),
    )
    organisation = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rulebooks",
        help_text=_("Empty for a national rulebook shipped with the system."),
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="clones"
    )
    criteria = models.JSONField(_("general criteria"))
    task_scoring = models.JSONField(_("task scoring"))
    levels = models.JSONField(_("levels and thresholds"))
    vetoes = models.JSONField(_("vetoes"))
    quota = models.JSONField(_("quota"))
    annual = models.JSONField(_("annual rule"))
    deadlines = models.JSONField(_("default deadlines"))
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rulebook_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Period(models.Model):
    """A month (or quarter) of evaluation for an organisation, pinned to one rulebook."""

    class Kind(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")

    class State(models.TextChoices):
        OPEN = "open", _("open: self-evaluation")
        REVIEWING = "reviewing", _("reviewing")
        DECIDED = "decided", _("decided")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="periods",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MONTH)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    rulebook = models.ForeignKey(
        Rulebook, verbose_name=_("rulebook"), on_delete=models.PROTECT, related_name="periods"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    self_evaluation_due = models.DateField(_("self-evaluation due"))
    review_due = models.DateField(_("review due"))
    decision_due = models.DateField(_("decision due"))
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-start", "organisation__path"]
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "start"], name="period_once_per_organisation"
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_range"),
            models.CheckConstraint(
                condition=Q(review_due__gte=F("self_evaluation_due"))
                & Q(decision_due__gte=F("review_due")),
                name="period_deadline_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.organisation}"

    @property
    def label(self) -> str:
        """The period's name on every page, document and message: "Quý IV/2025"."""
        return period_label(self.kind, self.start)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


class PeriodDataVersion(models.Model):
    """How many times the figures of a period's sheets changed: bumped, in the same
    transaction, by every write that changes what the dashboards count (sheets added or
    decided, a decision reopened or changed on appeal, task results recomputed) through
    `services.versions.figures_changed`. The dashboards rebuild a period whose version is
    ahead of the one they were built from. No row: the period's figures never changed
    since it opened (version 0)."""

    period = models.OneToOneField(
        Period, primary_key=True, on_delete=models.CASCADE, related_name="data_version"
    )
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.period_id} v{self.version}"


class RoundSheet(models.Model):
    """The fields a sheet of a decision round (`Sheet` of a month or quarter, `AnnualSheet`
    of a year) holds alike: the person's situation when the sheet was made, the head who
    decides, and the decision with its veto, its use of the quota exception, who and when."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=150, blank=True)
    is_leader = models.BooleanField(_("leader or manager"), default=False)
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_level = models.CharField(_("decided level"), max_length=40, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    veto = models.CharField(_("veto applied"), max_length=40, blank=True)
    veto_reason = models.TextField(_("veto reason"), blank=True)
    quota_exception = models.BooleanField(_("quota exception used"), default=False)
    # The rulebook the sheet is scored under (its person's staff category in its unit, see
    # `services.categories.rulebook_for`); NULL on sheets made before it existed: the period's.
    rulebook = models.ForeignKey(
        Rulebook,
        verbose_name=_("rulebook"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    status: str  # each kind's own field and `Status`; "decided" in both

    class Meta:
        abstract = True

    @property
    def is_decided(self) -> bool:
        return self.status == "decided"


class Sheet(RoundSheet):
    """One person's sheet for one period (phiếu theo dõi, đánh giá): computed, then decided.

    Task results (a, b, c and for leaders d, đ, e) are computed from the work app and shown line
    by line (`SheetTaskLine`); general criteria are scored by the person, then the manager. A
    decided sheet never changes (services refuse; a later issue adds reopening as a new version).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("self-evaluation")
        RETURNED = "returned", _("returned for correction")
        SUBMITTED = "submitted", _("waiting for review")
        REVIEWED = "reviewed", _("waiting for decision")
        DECIDED = "decided", _("decided")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="sheets")
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="sheets"
    )
    # Snapshots at opening: the sheet keeps the person's situation of that month.
    task_group = models.CharField(
        _("group with similar tasks"),
        max_length=80,
        blank=True,
        help_text=_("Quota scope within the unit; by default the job position."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Computed task results (percentages 0–100 and points).
    quantity_pct = models.DecimalField(
        _("a: quantity (%)"), max_digits=7, decimal_places=3, default=0
    )
    quality_pct = models.DecimalField(
        _("b: quality (%)"), max_digits=7, decimal_places=3, default=0
    )
    timeliness_pct = models.DecimalField(
        _("c: timeliness (%)"), max_digits=7, decimal_places=3, default=0
    )
    unit_result_pct = models.DecimalField(
        _("d: unit results (%)"), max_digits=7, decimal_places=3, null=True
    )
    organising_pct = models.DecimalField(
        _("đ: organising (%)"), max_digits=7, decimal_places=3, null=True
    )
    uniting_pct = models.DecimalField(
        _("e: uniting staff (%)"), max_digits=7, decimal_places=3, null=True
    )
    # A leader's đ and e as assessed (rulebooks of 2026 on; Nghị định 335, Art. 15 cl. 3),
    # None until assessed; the computed `organising_pct` / `uniting_pct` follow them.
    organising_assessed = models.DecimalField(
        _("đ as assessed (%)"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    uniting_assessed = models.DecimalField(
        _("e as assessed (%)"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    # The staff a leader's d counted, as computed: [{"person_id", "name", "level", "basis"}]
    # with basis "decided", "estimate" (undecided: the band of the current total) or
    # "not_scored" (no general points yet: not counted).
    unit_result_staff = models.JSONField(default=list, blank=True)
    # No work assigned in the period: a, b, c follow the rulebook's rule for such a month
    # (task_scoring params.no_tasks), shown at review and on the decision page.
    no_tasks = models.BooleanField(_("no work assigned"), default=False)
    task_points = models.DecimalField(
        _("task result points"), max_digits=6, decimal_places=2, default=0
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    # General criteria: {criterion code: points}.
    self_scores = models.JSONField(default=dict, blank=True)
    manager_scores = models.JSONField(default=dict, blank=True)
    self_general = models.DecimalField(
        _("general criteria (self)"), max_digits=6, decimal_places=2, null=True
    )
    manager_general = models.DecimalField(
        _("general criteria (manager)"), max_digits=6, decimal_places=2, null=True
    )
    total = models.DecimalField(
        _("total"),
        max_digits=6,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    band = models.CharField(_("band of the score"), max_length=40, blank=True)
    # Words.
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # Why the person proposes a level other than the band of their score (`band_reason`).
    level_reason = models.TextField(_("reason for the proposed level"), blank=True)
    manager_comment = models.TextField(_("comments of the manager"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # Levels.
    self_level = models.CharField(_("level proposed by the person"), max_length=40, blank=True)
    manager_level = models.CharField(_("level proposed by the manager"), max_length=40, blank=True)
    # When (decided: `RoundSheet`).
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Reopening or an appeal keeps the earlier decision as a SheetVersion and counts up.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["period", "unit__path", "person__sort_key"]
        verbose_name = _("sheet")
        verbose_name_plural = _("sheets")
        constraints = [
            models.UniqueConstraint(fields=["period", "person"], name="sheet_once_per_period"),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=100), name="sheet_total_range"
            ),
            models.CheckConstraint(
                condition=Q(task_points__gte=0) & Q(task_points__lte=100),
                name="sheet_task_points_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(decided_level=""),
                name="sheet_decided_has_level",
            ),
        ]
        indexes = [models.Index(fields=["period", "unit", "status"])]

    def __str__(self) -> str:
        return f"{self.person} {self.period}"


class SheetTaskLine(models.Model):
    """How one task counts on a sheet: converted assigned, done, quality and timeliness credit."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="task_lines")
    task = models.ForeignKey("work.Task", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    converted_assigned = models.DecimalField(max_digits=14, decimal_places=4)
    converted_done = models.DecimalField(max_digits=14, decimal_places=4)
    quality_credit = models.DecimalField(max_digits=14, decimal_places=4)
    timeliness_credit = models.DecimalField(max_digits=14, decimal_places=4)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["sheet", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "task"], name="sheet_task_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Discipline(models.Model):
    """A disciplinary measure (kỷ luật) against a person; vetoes read it."""

    class Form(models.TextChoices):
        REPRIMAND = "reprimand", _("reprimand (khiển trách)")
        WARNING = "warning", _("warning (cảnh cáo)")
        SALARY_DOWN = "salary_down", _("salary reduction (hạ bậc lương)")
        DEMOTION = "demotion", _("demotion (giáng chức)")
        DISMISSAL_POST = "dismissal_post", _("removal from post (cách chức)")
        DISMISSAL = "dismissal", _("dismissal (buộc thôi việc)")

    class Channel(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("administrative")
        PARTY = "party", _("Party")

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="disciplines"
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    public_duty = models.BooleanField(_("for a violation in public duty"), default=True)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.decision_number}"


class Finding(models.Model):
    """A conclusion of a competent authority that vetoes a level (degradation, corruption)."""

    class Kind(models.TextChoices):
        DEGRADATION = "degradation", _("degradation in political ideology or ethics")
        CORRUPTION_IN_LED_UNIT = (
            "corruption_in_led_unit",
            _("corruption or waste in the unit they lead"),
        )

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    concluded_on = models.DateField(_("concluded on"))
    reference = models.CharField(_("reference"), max_length=120)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-concluded_on"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class Delegation(models.Model):
    """A head hands a deputy their review and decision for a unit subtree, for some days.

    While in force (not revoked, today between `valid_from` and `valid_to`) the deputy acts for
    the head on the sheets of `unit` and below that name the head as reviewer or decider; the
    quota stays the head's. Nobody acts on their own sheet.
    """

    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("scope"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose sheets the deputy reviews and decides, with its sub-units."),
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"))
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-valid_from", "pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="delegation_range"
            ),
            models.CheckConstraint(condition=~Q(head=F("deputy")), name="delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.head} → {self.deputy}: {self.unit}"

    class State(models.TextChoices):
        """Where a delegation stands on a day (computed, not stored)."""

        UPCOMING = "upcoming", _("not yet in force")
        IN_FORCE = "in_force", _("in force")
        ENDED = "ended", _("no longer in force")
        REVOKED = "revoked", _("revoked")

    def in_force_on(self, day: datetime.date) -> bool:
        return self.state_on(day) == self.State.IN_FORCE

    def state_on(self, day: datetime.date) -> "Delegation.State":
        """Revoked (whatever the dates), not yet in force before its first day, ended after
        its last day, else in force."""
        if self.revoked_at is not None:
            return self.State.REVOKED
        if day < self.valid_from:
            return self.State.UPCOMING
        if day > self.valid_to:
            return self.State.ENDED
        return self.State.IN_FORCE


class SheetVersion(models.Model):
    """An earlier decision of a sheet, kept when the sheet is reopened or an appeal changes it.

    `data` holds the decided fields as they were (level, reasons, veto, scores, who and when);
    `number` is the sheet's `version` at the time. The sheet itself always holds the latest.
    """

    class Cause(models.TextChoices):
        REOPENED = "reopened", _("reopened")
        APPEAL = "appeal", _("changed on appeal")

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    reason = models.TextField(_("reason"))
    data = models.JSONField()
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sheet", "number"]
        verbose_name = _("earlier decision")
        verbose_name_plural = _("earlier decisions")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="sheet_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} v{self.number}"


class Appeal(models.Model):
    """A person's appeal (khiếu nại) against a decided level, and its answer."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for an answer")
        UPHELD = "upheld", _("level kept")
        CHANGED = "changed", _("level changed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    sheet = models.ForeignKey(Sheet, on_delete=models.PROTECT, related_name="appeals")
    sheet_version = models.PositiveIntegerField(_("version appealed"))
    text = models.TextField(_("grounds of the appeal"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    answerer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by (named)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    new_level = models.CharField(_("new level"), max_length=40, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet"],
                condition=Q(status="submitted"),
                name="appeal_one_pending_per_sheet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} – {self.get_status_display()}"


class AppealFile(models.Model):
    """A file attached to an appeal (checked like task evidence: size, type, safe name)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="appeals/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["appeal", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Leave(models.Model):
    """Leave kept by HR (sick, maternity, unpaid, study): sheets show it, annual rules read it."""

    class Kind(models.TextChoices):
        SICK = "sick", _("sick leave")
        MATERNITY = "maternity", _("maternity leave")
        UNPAID = "unpaid", _("unpaid leave")
        STUDY = "study", _("study leave")

    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="leaves"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reference = models.CharField(_("decision or document"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="leave_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class EvaluationPolicy(models.Model):
    """An organisation's own settings of the cycle (the nearest unit up the tree with one
    applies; none: the defaults below)."""

    organisation = models.OneToOneField(
        "organisations.Unit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="evaluation_policy",
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("days to appeal after a decision"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    appeal_answer_days = models.PositiveSmallIntegerField(
        _("days to answer an appeal"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("days before a deadline to remind"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    annual_decision_month = models.PositiveSmallIntegerField(
        _("annual decision due: month"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    annual_decision_day = models.PositiveSmallIntegerField(
        _("annual decision due: day"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation policy")
        verbose_name_plural = _("evaluation policies")

    def __str__(self) -> str:
        return f"{self.organisation}"


class CategoryRulebook(models.Model):
    """The rulebook that applies to one staff category in a unit and everything below it
    (the nearest unit up the tree with one applies); without one, the period's rulebook.
    Set by HR; a sheet records the rulebook it was opened under, so a change reaches only the
    periods opened after it."""

    organisation = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="category_rulebooks",
    )
    staff_category = models.CharField(
        _("staff category"), max_length=20, choices=StaffCategory.choices
    )
    rulebook = models.ForeignKey(
        Rulebook, verbose_name=_("rulebook"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rulebook of a staff category")
        verbose_name_plural = _("rulebooks of staff categories")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff_category"], name="category_rulebook_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_staff_category_display()} · {self.rulebook}"
