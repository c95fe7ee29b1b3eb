"""Initiatives (sáng kiến), emulation titles and their conditions, emulation proposals built from
the annual results, and reward decisions.

An initiative is proposed for a person, assessed by a council and then recognised (with a scope
and an effect) or rejected. An emulation title keeps its conditions as data checked by a typed
schema (`recognition.conditions`); a proposal is the list of people of an organisation and year
with, for each, whether they meet the title's conditions and why not. A reward decision records
a decision number, date, title or form and the people it names.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Initiative(models.Model):
    """A person's initiative: proposed → assessed by a council → recognised or rejected."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("waiting for the council")
        RECOGNISED = "recognised", _("recognised")
        REJECTED = "rejected", _("not recognised")

    class Scope(models.TextChoices):
        # Narrowest first: `rank` compares them.
        UNIT = "unit", _("unit (cơ sở)")
        PROVINCE = "province", _("sector or province")
        NATIONAL = "national", _("national")

    person = models.ForeignKey(
        "organisations.Person",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    # The author's unit when proposed: the initiative stays with it after a move.
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("content and how it is applied"))
    proposed_on = models.DateField(_("proposed on"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    # The council's assessment and the outcome.
    council = models.CharField(_("council"), max_length=200, blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    council_opinion = models.TextField(_("opinion of the council"), blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, blank=True)
    effect = models.TextField(_("effect"), blank=True)
    decision_number = models.CharField(_("recognition decision number"), max_length=60, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="recognised") | (~Q(scope="") & Q(assessed_on__isnull=False)),
                name="initiative_recognised_has_scope",
            ),
        ]
        indexes = [models.Index(fields=["person", "status", "assessed_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recognised(self) -> bool:
        return self.status == self.Status.RECOGNISED


SCOPE_RANK: dict[str, int] = {code: index for index, code in enumerate(Initiative.Scope.values)}


class EmulationTitle(models.Model):
    """An emulation title (danh hiệu thi đua) and the conditions to be proposed for it.

    `conditions` is a JSON document read by the named `strategy` (`recognition.conditions`):
    never evaluated as code. Shipped titles follow the Law on Emulation and Commendation 2022
    and Nghị định 98/2023; HR edits the numbers.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_source = models.CharField(_("legal source"), max_length=500, blank=True)
    strategy = models.CharField(_("strategy"), max_length=40, default="annual_conditions")
    conditions = models.JSONField(_("conditions"))
    active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("emulation title")
        verbose_name_plural = _("emulation titles")

    def __str__(self) -> str:
        return self.name


class EmulationProposal(models.Model):
    """The people of an organisation (and below) for a year with whether each meets an
    emulation title's conditions, computed from the annual results; a snapshot, rebuilt by
    building it again."""

    organisation = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.ForeignKey(
        EmulationTitle, verbose_name=_("title"), on_delete=models.PROTECT, related_name="proposals"
    )
    conditions = models.JSONField(_("conditions applied"))
    built_at = models.DateTimeField(_("built at"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "organisation__path", "title__code"]
        verbose_name = _("emulation proposal")
        verbose_name_plural = _("emulation proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "title"], name="emulation_proposal_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year} – {self.organisation}"


class EmulationCandidate(models.Model):
    """One person of a proposal: eligible, or not with the conditions they miss."""

    proposal = models.ForeignKey(
        EmulationProposal, on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey("organisations.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    annual_level = models.CharField(_("annual level"), max_length=40, blank=True)
    eligible = models.BooleanField(_("eligible"))
    # [{"code": condition code, "reason": words in the builder's language}]
    unmet = models.JSONField(_("conditions not met"), default=list, blank=True)

    class Meta:
        ordering = ["proposal", "-eligible", "unit__path", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="emulation_candidate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.proposal}"


class RewardDecision(models.Model):
    """A decision awarding a title or a form of commendation to people (quyết định khen
    thưởng)."""

    organisation = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    issuer = models.CharField(_("issued by"), max_length=200)
    award = models.CharField(
        _("title or form of reward"),
        max_length=200,
        help_text=_("E.g. Lao động tiên tiến, Bằng khen của Chủ tịch UBND tỉnh."),
    )
    title = models.ForeignKey(
        EmulationTitle,
        verbose_name=_("emulation title"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rewards",
    )
    year = models.PositiveSmallIntegerField(
        _("for the year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    people = models.ManyToManyField(
        "organisations.Person", verbose_name=_("people"), related_name="rewards"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("reward decision")
        verbose_name_plural = _("reward decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "decision_number"], name="reward_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.award}"
