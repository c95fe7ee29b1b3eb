"""Reads of publication: the setting in force, publications in force, the rows of a page.

Public pages never see a model instance of a person: rows are fetched as plain values of
exactly the fields the privacy level allows (name, title, unit, level, score), so nothing
else can leak through a template.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum

from danhgia.accounts.models import User
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.queries import sheets_in
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.queries import active_roles
from danhgia.reports.publication.models import Privacy, Publication, PublicationSetting, Publisher


def setting_for(
    organisation: Unit, known: dict[int, PublicationSetting] | None = None
) -> PublicationSetting:
    """The setting of the nearest unit up the tree that has one; else an unsaved default.
    `known` ({organisation id: setting}, from `all_settings()`) spares the query in lists."""
    chain = organisation.ancestor_ids or [organisation.pk]
    found = (
        known
        if known is not None
        else {
            setting.organisation_id: setting
            for setting in PublicationSetting.objects.filter(organisation_id__in=chain)
        }
    )
    for unit_id in reversed(chain):
        if unit_id in found:
            return found[unit_id]
    return PublicationSetting(
        organisation=organisation, privacy=Privacy.NAMES_WITHOUT_SCORES, publisher=Publisher.HR
    )


def all_settings() -> dict[int, PublicationSetting]:
    """Every organisation's own setting (a small table: at most one row per organisation)."""
    return {setting.organisation_id: setting for setting in PublicationSetting.objects.all()}


def in_force() -> QuerySet[Publication]:
    return Publication.objects.filter(unpublished_at__isnull=True)


def public_in_force() -> QuerySet[Publication]:
    """What "published" means outside the unit (the public portal and the API): a publication
    in force (not withdrawn) whose audience is the public. A month never published, withdrawn,
    or published within the unit only has none."""
    return in_force().filter(audience=Publication.Audience.PUBLIC)


# Privacy levels that show who got which level (and, the first, the score).
NAMED_PRIVACY = (Privacy.NAMES_AND_SCORES, Privacy.NAMES_WITHOUT_SCORES)


def _public_privacy() -> Subquery:
    publication = public_in_force().filter(period_id=OuterRef("period_id")).order_by()
    return Subquery(publication.values("privacy")[:1])


def with_public_privacy(sheets: QuerySet[Sheet]) -> QuerySet[Sheet]:
    """Annotate each sheet with `public_privacy`: the privacy level of its month's publication
    in `public_in_force()`, or None when the month has none (at most one is in force)."""
    return sheets.annotate(public_privacy=_public_privacy())


def public_results(sheets: QuerySet[Sheet] | None = None) -> QuerySet[Sheet]:
    """Published results of individuals: the decided sheets (of `sheets`, else all) of months
    whose public publication in force shows names. `public_privacy` (see above) says whether
    it also shows the score. The one definition for every reader outside the unit."""
    sheets = Sheet.objects.all() if sheets is None else sheets
    return (
        sheets.filter(status=Sheet.Status.DECIDED)
        .annotate(public_privacy=_public_privacy())
        .filter(public_privacy__in=NAMED_PRIVACY)
    )


# What a public page reads of a publication, its period, organisation and rulebook.
PAGE_FIELDS = (
    "audience",
    "privacy",
    "published_at",
    "period__kind",
    "period__start",
    "period__end",
    "period__state",
    "period__organisation__code",
    "period__organisation__name",
    "period__organisation__depth",
    "period__rulebook__name",
    "period__rulebook__levels",
)


def public_publication(unit: Unit, month: datetime.date) -> Publication | None:
    """The public publication in force of the period covering `unit` (its own organisation or
    one above it) and the month starting on `month`; None when there is none."""
    return (
        public_in_force()
        .filter(
            period__organisation_id__in=unit.ancestor_ids or [unit.pk],
            period__start__lte=month,
            period__end__gte=month,
        )
        .select_related("period__organisation", "period__rulebook")
        .only(*PAGE_FIELDS)
        .order_by("-period__organisation__depth")
        .first()
    )


def public_publications_of(unit: Unit) -> QuerySet[Publication]:
    """Public publications in force whose period covers `unit`, newest month first."""
    return (
        public_in_force()
        .filter(period__organisation_id__in=unit.ancestor_ids or [unit.pk])
        .select_related("period__organisation", "period__rulebook")
        .order_by("-period__start", "-pk")
    )


def decided_sheets(period: Period, unit: Unit) -> QuerySet[Sheet]:
    """The decided sheets of `period` in `unit` and below (a reopened sheet waits)."""
    return sheets_in([period], unit).filter(status=Sheet.Status.DECIDED)


def version_of(period: Period, unit: Unit) -> dict[str, Any]:
    """What the page's content depends on, in one aggregate (for ETag and Last-Modified)."""
    return decided_sheets(period, unit).aggregate(
        count=Count("pk"), latest=Max("decided_at"), versions=Sum("version")
    )


def level_names(period: Period) -> dict[str, str]:
    """{level code: name as the period's rulebook writes it}, best level first.

    Read from the rulebook's `levels` part alone (checked by the schema when the rulebook was
    saved and frozen since the period opened), so a public page loads no other part."""
    items = (period.rulebook.levels or {}).get("items", [])
    return {str(item["code"]): str(item["name"]) for item in items if "code" in item}


@dataclass
class LevelCount:
    code: str
    name: str
    count: int


@dataclass
class UnitGroup:
    code: str
    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    html: str = ""  # the rows as table rows, written out by `views.public.with_rows_html`


@dataclass
class Results:
    """What a results page shows: counts per level and, when allowed, people by unit."""

    privacy: str
    counts: list[LevelCount]
    total: int
    groups: list[UnitGroup]

    @property
    def shows_names(self) -> bool:
        return self.privacy != Privacy.COUNTS_ONLY

    @property
    def shows_scores(self) -> bool:
        return self.privacy == Privacy.NAMES_AND_SCORES


def _counts(names: dict[str, str], tally: dict[str, int]) -> list[LevelCount]:
    counts = [LevelCount(code, name, tally.get(code, 0)) for code, name in names.items()]
    counts += [LevelCount(code, code, n) for code, n in sorted(tally.items()) if code not in names]
    return counts


def results(period: Period, unit: Unit, privacy: str) -> Results:
    """The decided levels of `period` in `unit` and below at `privacy` (one query)."""
    names = level_names(period)
    sheets = decided_sheets(period, unit)
    if privacy == Privacy.COUNTS_ONLY:
        tally = dict(
            sheets.order_by()
            .values_list("decided_level")
            .annotate(n=Count("pk"))
            .values_list("decided_level", "n")
        )
        return Results(privacy, _counts(names, tally), sum(tally.values()), [])
    fields = ["person__full_name", "title", "unit__code", "unit__name", "decided_level"]
    if privacy == Privacy.NAMES_AND_SCORES:
        fields.append("total")
    groups: list[UnitGroup] = []
    tally = {}
    for row in sheets.order_by("unit__path", "person__sort_key", "pk").values(*fields):
        if not groups or groups[-1].code != row["unit__code"]:
            groups.append(UnitGroup(row["unit__code"], row["unit__name"]))
        level = row["decided_level"]
        tally[level] = tally.get(level, 0) + 1
        groups[-1].rows.append(
            {
                "name": row["person__full_name"],
                "title": row["title"],
                "unit": row["unit__name"],
                "level": level,
                "level_name": names.get(level, level),
                **({"score": row["total"]} if "total" in row else {}),
            }
        )
    return Results(privacy, _counts(names, tally), sum(tally.values()), groups)


# Internal publication


def internal_publications_for(user: User) -> QuerySet[Publication]:
    """Publications in force (either audience) that the user reads within the unit: periods
    of an organisation at or above their own unit, at or above or below a unit of one of
    their roles, or where they have a sheet. Anything else does not exist for them (404)."""
    if not user.is_authenticated:
        return Publication.objects.none()
    condition = Q(period__sheets__person__user=user)
    person = getattr(user, "person", None)
    if person is not None:
        condition |= Q(period__organisation_id__in=person.unit.ancestor_ids or [person.unit_id])
    for role in active_roles(user):
        if role.role == Role.SYSTEM_ADMIN:
            condition = Q()
            break
        condition |= Q(period__organisation__path__startswith=role.unit.path) | Q(
            period__organisation_id__in=role.unit.ancestor_ids
        )
    return in_force().filter(condition).distinct()
