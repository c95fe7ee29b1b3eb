import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from danhgia.core.periods import month_label


class ProductType(models.Model):
    """One version of a catalogue product (sản phẩm theo vị trí việc làm) and its coefficient.

    Versions of the same `code` follow each other by `valid_from`; a revision ends the old
    version and starts a new one, so tasks and past months keep the coefficient they used.
    """

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    job_position = models.ForeignKey(
        "organisations.JobPosition",
        verbose_name=_("job position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="product_types",
        help_text=_("Empty: the product can be assigned to any job position."),
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("maintained by"),
        on_delete=models.PROTECT,
        related_name="product_types",
        help_text=_("The unit whose catalogue this is; it applies to its sub-units too."),
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50)
    coefficient = models.DecimalField(
        _("conversion coefficient"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("product type")
        verbose_name_plural = _("product catalogue")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "valid_from"], name="product_version"),
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="product_coefficient_pos"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="product_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (×{self.coefficient})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> "TaskQuerySet":
        return self.filter(status__in=[Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS])

    def overdue_on(self, day: datetime.date) -> "TaskQuerySet":
        return self.open().filter(deadline__lt=day)

    def due_between(self, first: datetime.date, last: datetime.date) -> "TaskQuerySet":
        return self.open().filter(deadline__gte=first, deadline__lte=last)

    def in_month(self, first: datetime.date, last: datetime.date) -> "TaskQuerySet":
        """Tasks whose (effective) deadline falls in the month: what the month is judged on."""
        return self.filter(deadline__gte=first, deadline__lte=last)


class Task(models.Model):
    """A piece of work with exactly one accountable owner (một việc một đầu mối)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    class Source(models.TextChoices):
        PLAN = "plan", _("monthly work plan")
        WEEKLY = "weekly", _("weekly schedule")
        ASSIGNMENT = "assignment", _("assignment by a leader")
        DOCUMENT = "document", _("incoming document")
        REGULAR = "regular", _("regular duty")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tasks"
    )
    owner = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_tasks",
    )
    coordinators = models.ManyToManyField(
        "organisations.Person",
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_tasks",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    external_id = models.CharField(max_length=120, blank=True, default="")
    product_type = models.ForeignKey(
        ProductType,
        verbose_name=_("product type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2, default=1)
    coefficient = models.DecimalField(
        _("conversion coefficient"), max_digits=6, decimal_places=2, default=1
    )
    converted_quantity = models.GeneratedField(
        expression=F("quantity") * F("coefficient"),
        output_field=models.DecimalField(max_digits=14, decimal_places=4),
        db_persist=True,
        verbose_name=_("converted quantity"),
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    deadline = models.DateField(
        _("deadline in force"),
        help_text=_("The due date, moved by approved extensions; timeliness is judged on it."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    # The assigner's assessment once the task is done.
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    meets_quality = models.BooleanField(_("meets quality"), null=True, blank=True)
    major_errors = models.PositiveSmallIntegerField(_("major content errors"), default=0)
    objective_cause = models.BooleanField(_("objective cause confirmed"), default=False)
    objective_cause_note = models.TextField(_("objective cause"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["owner", "deadline"]),
            models.Index(fields=["unit", "deadline"]),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["assigned_by", "status"]),
            # Open tasks in deadline order, with their unit: overdue and due-soon lists and
            # per-unit counts for a whole province come from this small index alone.
            models.Index(
                fields=["deadline", "id", "unit"],
                condition=Q(status__in=["not_started", "in_progress"]),
                name="task_open_deadline",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="task_quantity_pos"),
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="task_coefficient_pos"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max"),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("start_date")), name="task_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("due_date")), name="task_deadline_not_earlier"
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="task_completed_iff_done",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="task_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.is_open and self.deadline < day

    @property
    def days_late(self) -> int:
        """Days the completion came after the deadline in force (0 when on time)."""
        if self.completed_on is None:
            return 0
        return max(0, (self.completed_on - self.deadline).days)

    @property
    def is_assessed(self) -> bool:
        return self.assessed_at is not None


class TaskUpdate(models.Model):
    """One line of a task's history as its people see it: progress, comments, events."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress report")
        COMMENT = "comment", _("comment")
        EVENT = "event", _("event")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.kind}"


class EvidenceFile(models.Model):
    """A file attached to a task as evidence; stored outside the web root under a random name."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="evidence")
    update = models.ForeignKey(
        TaskUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class DeadlineExtension(models.Model):
    """The owner asks the assigner for a later deadline; history is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    previous_deadline = models.DateField(_("deadline before"))
    proposed_deadline = models.DateField(_("proposed deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_deadline__gt=F("previous_deadline")),
                name="extension_moves_later",
            ),
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="pending"), name="one_pending_extension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.proposed_deadline}"


class WorkPlan(models.Model):
    """A monthly work plan (kế hoạch công tác tháng) of a person, or of a unit."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans"
    )
    person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("Empty for the plan of the unit as a whole."),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        ordering = ["-month", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month"], condition=Q(person__isnull=False), name="plan_person"
            ),
            models.UniqueConstraint(
                fields=["unit", "month"], condition=Q(person__isnull=True), name="plan_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.unit} · {month_label(self.month)}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class PlanItem(models.Model):
    """One line of a plan; on approval it becomes a task with the same owner."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=300)
    product_type = models.ForeignKey(
        ProductType,
        verbose_name=_("product type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2, default=1)
    due_date = models.DateField(_("due date"))
    owner = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    task = models.OneToOneField(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_item"
    )
    added_after_approval = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="plan_item_quantity_pos"),
        ]

    def __str__(self) -> str:
        return self.title


class WeeklySchedule(models.Model):
    """The week's schedule of a unit (lịch tuần công tác), edited by its office, then published."""

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="schedules",
    )
    week_start = models.DateField(_("week starting"), help_text=_("A Monday."))
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week_start"], name="schedule_unit_week"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.week_start:%d/%m/%Y}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ScheduleEntry(models.Model):
    """A meeting, event or task slot in a weekly schedule."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        EVENT = "event", _("event")
        TASK = "task", _("task")

    schedule = models.ForeignKey(WeeklySchedule, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(_("content"), max_length=300)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("chaired by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.ManyToManyField(
        "organisations.Person", verbose_name=_("taking part"), blank=True, related_name="+"
    )
    participants_note = models.CharField(_("others taking part"), max_length=300, blank=True)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="schedule_entries"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="schedule_entry_times",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ScheduleChange(models.Model):
    """An entry added to or deleted from a weekly schedule after its publication: what the
    published schedule shows as "changed after publication" (the audit log records the same
    write, but is never read back as the fact)."""

    class Kind(models.TextChoices):
        ADDED = "added", _("entry added after publication")
        DELETED = "deleted", _("entry deleted after publication")

    schedule = models.ForeignKey(WeeklySchedule, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("changed at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    title = models.CharField(_("content"), max_length=300)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
