import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("province or city")
    DEPARTMENT = "department", _("department or agency")
    COMMUNE = "commune", _("commune or ward")
    DISTRICT = "district", _("district (historic)")
    DIVISION = "division", _("division")
    PUBLIC_SERVICE = "public_service", _("public-service unit")


class UnitQuerySet(models.QuerySet["Unit"]):
    def active_on(self, day: datetime.date) -> "UnitQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def subtree_of(self, unit: "Unit") -> "UnitQuerySet":
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """An agency, local government, division or public-service unit, with its history.

    `path` is the chain of ancestor ids ("/1/7/42/") so a subtree is one indexed prefix query.
    A unit is never deleted: it ends (`valid_to`) and may point to the unit it merged into.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    search_text = models.CharField(max_length=255, editable=False, default="")
    sort_key = models.CharField(max_length=600, editable=False, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_range",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class JobPosition(models.Model):
    """A job position (vị trí việc làm); the product catalogue hangs off it."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")

    def __str__(self) -> str:
        return self.name


class StaffCategory(models.TextChoices):
    CADRE = "can_bo", _("cadre (cán bộ)")
    CIVIL_SERVANT = "cong_chuc", _("civil servant (công chức)")
    PUBLIC_EMPLOYEE = "vien_chuc", _("public employee (viên chức)")
    CONTRACT_WORKER = "nguoi_lao_dong", _("contract worker (người lao động)")


class PersonQuerySet(models.QuerySet["Person"]):
    def active_on(self, day: datetime.date) -> "PersonQuerySet":
        return self.filter(Q(active_to__isnull=True) | Q(active_to__gte=day), active_from__lte=day)

    def search(self, text: str) -> "PersonQuerySet":
        from danhgia.core.text import fold

        folded = fold(text)
        if not folded:
            return self
        query = self
        for word in folded.split():
            query = query.filter(search_text__contains=word)
        return query


class Person(models.Model):
    """A cán bộ, công chức, viên chức or người lao động."""

    full_name = models.CharField(_("full name"), max_length=150)
    employee_code = models.CharField(_("employee code"), max_length=40, unique=True)
    staff_category = models.CharField(
        _("staff category"), max_length=20, choices=StaffCategory.choices
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    is_leader = models.BooleanField(_("leader or manager"), default=False)
    job_position = models.ForeignKey(
        JobPosition,
        verbose_name=_("job position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    active_from = models.DateField(_("active from"), default=datetime.date(2000, 1, 1))
    active_to = models.DateField(_("active to"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    search_text = models.CharField(max_length=300, editable=False, default="", db_index=True)
    sort_key = models.CharField(max_length=800, editable=False, default="", db_index=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="person_active_range",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_active_on(self, day: datetime.date) -> bool:
        return self.active_from <= day and (self.active_to is None or self.active_to >= day)


class TransferSource(models.TextChoices):
    FORM = "form", _("entered in the application")
    IMPORT = "import", _("imported from a file")
    API = "api", _("sent through the API")


class Transfer(models.Model):
    """A person's move from one unit to another, from a day: the history that monthly and
    annual evaluations read (which unit evaluates the person in which month). Written in the
    same transaction as the change of `Person.unit`, by every path that changes it
    (`services.save_person`, the people import)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("moved from"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("moved to"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("effective from"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("recorded through"), max_length=10, choices=TransferSource.choices)

    class Meta:
        ordering = ["effective_on", "recorded_at", "pk"]
        verbose_name = _("unit transfer")
        verbose_name_plural = _("unit transfers")
        indexes = [models.Index(fields=["person", "effective_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_unit=F("to_unit")), name="transfer_changes_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_unit_id} → {self.to_unit_id} ({self.effective_on})"


class Role(models.TextChoices):
    HEAD = "head", _("head of unit")
    DEPUTY_HEAD = "deputy_head", _("deputy head")
    MANAGER = "manager", _("manager")
    HR_OFFICER = "hr_officer", _("HR officer")
    SUPERVISOR = "supervisor", _("supervisor")
    OFFICE = "office", _("office staff (weekly schedule)")
    SYSTEM_ADMIN = "system_admin", _("system administrator")


class UnitRoleQuerySet(models.QuerySet["UnitRole"]):
    def active_on(self, day: datetime.date) -> "UnitRoleQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def overlapping(self, first: datetime.date, last: datetime.date) -> "UnitRoleQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first), valid_from__lte=last)


class UnitRole(models.Model):
    """What a user may do in a unit (and, with `include_subunits`, below it), for a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="unit_roles",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    include_subunits = models.BooleanField(_("includes sub-units"), default=True)
    acting = models.BooleanField(_("acting"), default=False)
    valid_from = models.DateField(_("valid from"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = UnitRoleQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "role", "valid_from"]
        verbose_name = _("unit role")
        verbose_name_plural = _("unit roles")
        indexes = [models.Index(fields=["unit", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unitrole_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.unit}"


class ImportKind(models.TextChoices):
    UNITS = "units", _("units")
    PEOPLE = "people", _("people")
    PRODUCTS = "products", _("product catalogue")


# The kinds this app imports itself; other apps (the product catalogue) add their own kinds.
ORGANISATION_IMPORT_KINDS = (ImportKind.UNITS, ImportKind.PEOPLE)


class ImportBatch(models.Model):
    """One uploaded file: checked and previewed first, then committed all-or-nothing."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("checked, waiting for confirmation")
        REJECTED = "rejected", _("rejected: has errors")
        COMMITTED = "committed", _("imported")

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name
