"""Reads of initiatives, proposals and rewards scoped to a user, and the facts a person's
record page and the emulation conditions need (a few queries each, whatever the number of
people)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualSheet
from danhgia.evaluations.models import Discipline, Sheet
from danhgia.evaluations.rules.codes import ANY_DISCIPLINE, DISCIPLINE_REPRIMAND_OR_HIGHER
from danhgia.organisations.queries import active_roles, units_visible_to
from danhgia.reports.recognition.models import EmulationProposal, Initiative, RewardDecision

DISCIPLINE_VETOES = (DISCIPLINE_REPRIMAND_OR_HIGHER, ANY_DISCIPLINE)


def initiatives_visible_to(user: User) -> QuerySet[Initiative]:
    """The user's own initiatives and those of the units in their scope."""
    if not user.is_authenticated:
        return Initiative.objects.none()
    condition = Q(person__user=user)
    if active_roles(user):
        condition |= Q(unit__in=units_visible_to(user))
    return Initiative.objects.filter(condition)


def proposals_visible_to(user: User) -> QuerySet[EmulationProposal]:
    return EmulationProposal.objects.filter(organisation__in=units_visible_to(user))


def rewards_visible_to(user: User) -> QuerySet[RewardDecision]:
    return RewardDecision.objects.filter(organisation__in=units_visible_to(user))


def _vetoed_by(discipline: Discipline, veto: str, end: datetime.date) -> bool:
    """Did this discipline cause a veto `veto` of a period ending on `end`? The rule of
    `evaluations.rules.vetoes`: it took effect from 1 January of that year up to the end (and
    for "reprimand or higher", for a violation in public duty)."""
    if veto not in DISCIPLINE_VETOES:
        return False
    if not datetime.date(end.year, 1, 1) <= discipline.effective_from <= end:
        return False
    return veto == ANY_DISCIPLINE or discipline.public_duty


def vetoes_by_discipline(
    disciplines: Sequence[Discipline],
    sheets: Iterable[Sheet],
    annual_sheets: Iterable[AnnualSheet],
) -> dict[int, dict[str, list[object]]]:
    """For each discipline (by pk), the decided monthly sheets and annual sheets of the same
    person whose veto it caused: {"sheets": [...], "annual": [...]}."""
    found: dict[int, dict[str, list[object]]] = {
        discipline.pk: {"sheets": [], "annual": []} for discipline in disciplines
    }
    for sheet in sheets:
        if not sheet.is_decided or not sheet.veto:
            continue
        for discipline in disciplines:
            if discipline.person_id == sheet.person_id and _vetoed_by(
                discipline, sheet.veto, sheet.period.end
            ):
                found[discipline.pk]["sheets"].append(sheet)
    for annual in annual_sheets:
        if not annual.veto:
            continue
        year_end = datetime.date(annual.annual_period.year, 12, 31)
        for discipline in disciplines:
            if discipline.person_id == annual.person_id and _vetoed_by(
                discipline, annual.veto, year_end
            ):
                found[discipline.pk]["annual"].append(annual)
    return found


def initiatives_by_month(
    initiatives: Iterable[Initiative],
) -> dict[tuple[int, int], list[Initiative]]:
    """Recognised initiatives by the (year, month) of their recognition."""
    months: dict[tuple[int, int], list[Initiative]] = defaultdict(list)
    for initiative in initiatives:
        if initiative.is_recognised and initiative.assessed_on is not None:
            months[(initiative.assessed_on.year, initiative.assessed_on.month)].append(initiative)
    return months
