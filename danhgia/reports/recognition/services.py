"""Every write of initiatives, emulation and rewards: propose an initiative, record the
council's assessment (recognised or rejected), change an emulation title's conditions, build an
emulation proposal from the annual results, record a reward decision. Each guards, changes and
logs in one transaction.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualSheet
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.evaluations.models import Discipline
from danhgia.evaluations.rules.schema import RuleError, parse_rulebook
from danhgia.organisations.models import Person, Unit
from danhgia.reports.recognition import permissions
from danhgia.reports.recognition.conditions import (
    STRATEGIES,
    ConditionError,
    Conditions,
    PersonYear,
    parse_conditions,
)
from danhgia.reports.recognition.models import (
    EmulationCandidate,
    EmulationProposal,
    EmulationTitle,
    Initiative,
    RewardDecision,
)

RECOGNITION_ACTION_LABELS: dict[str, Any] = {
    "initiative.proposed": gettext_lazy("initiative proposed"),
    "initiative.recognised": gettext_lazy("initiative recognised"),
    "initiative.rejected": gettext_lazy("initiative not recognised"),
    "emulation_title.updated": gettext_lazy("emulation title changed"),
    "emulation.proposal_built": gettext_lazy("emulation proposal built"),
    "reward.recorded": gettext_lazy("reward decision recorded"),
}


class RecognitionError(Exception):
    """A rule of initiatives, emulation or rewards was broken; the message says what to do."""


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


# Initiatives


@transaction.atomic
def propose_initiative(
    person: Person,
    *,
    by: User,
    title: str,
    description: str,
    proposed_on: datetime.date | None = None,
) -> Initiative:
    """Record a person's initiative, waiting for the council. Logs `initiative.proposed`."""
    if not permissions.can_propose_initiative(by, person):
        raise RecognitionError(
            _("You may propose your own initiatives, or those of the people of units you lead.")
        )
    title, description = title.strip(), description.strip()
    if not title or not description:
        raise RecognitionError(_("Give the initiative a title and describe its content."))
    today = clock.today()
    proposed_on = proposed_on or today
    if proposed_on > today:
        raise RecognitionError(_("The proposal date cannot be in the future."))
    initiative = Initiative.objects.create(
        person=person,
        unit=person.unit,
        title=title,
        description=description,
        proposed_on=proposed_on,
        proposed_by=by,
    )
    log_action(
        initiative,
        "initiative.proposed",
        by=by,
        data={
            "before": None,
            "after": {"person": person.employee_code, "title": title, "proposed_on": proposed_on},
        },
    )
    return initiative


ASSESSMENT_FIELDS = (
    "status",
    "council",
    "assessed_on",
    "council_opinion",
    "scope",
    "effect",
    "decision_number",
)


@transaction.atomic
def assess_initiative(
    initiative: Initiative,
    *,
    by: User,
    recognised: bool,
    council: str,
    assessed_on: datetime.date,
    opinion: str = "",
    scope: str = "",
    effect: str = "",
    decision_number: str = "",
) -> Initiative:
    """Record the council's assessment: the initiative is recognised (with its scope, effect
    and the decision's number) or not (with the council's reasons). Notifies the author. Logs
    `initiative.recognised` or `initiative.rejected`."""
    initiative = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .get(pk=initiative.pk)
    )
    if initiative.status != Initiative.Status.PROPOSED:
        raise RecognitionError(
            _("This initiative has already been assessed (%(status)s).")
            % {"status": initiative.get_status_display()}
        )
    if not permissions.can_assess_initiative(by, initiative):
        raise RecognitionError(
            _(
                "Only HR or the head over %(unit)s records the council's assessment, never "
                "the author."
            )
            % {"unit": initiative.unit.name}
        )
    council, opinion, effect = council.strip(), opinion.strip(), effect.strip()
    decision_number = decision_number.strip()
    if not council:
        raise RecognitionError(_("Name the council that assessed the initiative."))
    if assessed_on < initiative.proposed_on or assessed_on > clock.today():
        raise RecognitionError(
            _("The assessment date must be between the proposal (%(date)s) and today.")
            % {"date": _day(initiative.proposed_on)}
        )
    if recognised:
        if scope not in Initiative.Scope.values:
            raise RecognitionError(_("Choose the scope in which the initiative is recognised."))
        if not effect or not decision_number:
            raise RecognitionError(
                _("A recognised initiative needs its effect and the number of the decision.")
            )
    else:
        if not opinion:
            raise RecognitionError(_("Write the council's reasons for not recognising it."))
        scope, effect, decision_number = "", "", ""
    before = {name: getattr(initiative, name) for name in ASSESSMENT_FIELDS}
    initiative.status = Initiative.Status.RECOGNISED if recognised else Initiative.Status.REJECTED
    initiative.council = council
    initiative.assessed_on = assessed_on
    initiative.council_opinion = opinion
    initiative.scope = scope
    initiative.effect = effect
    initiative.decision_number = decision_number
    initiative.assessed_by = by
    initiative.assessed_at = clock.now()
    initiative.save(update_fields=[*ASSESSMENT_FIELDS, "assessed_by", "assessed_at"])
    after = {name: getattr(initiative, name) for name in ASSESSMENT_FIELDS}
    action = "initiative.recognised" if recognised else "initiative.rejected"
    log_action(initiative, action, by=by, data={"before": before, "after": after})
    message = (
        _("Your initiative “%(title)s” was recognised.")
        if recognised
        else _("Your initiative “%(title)s” was not recognised.")
    )
    notify(
        initiative.person.user,
        message % {"title": initiative.title},
        url=reverse("recognition:initiative_detail", args=[initiative.pk]),
        kind="initiative",
    )
    return initiative


# Emulation titles and proposals


@transaction.atomic
def update_title(
    title: EmulationTitle,
    *,
    by: User,
    name: str,
    legal_source: str,
    conditions: dict[str, Any],
    active: bool,
) -> EmulationTitle:
    """Change a title's name, source, conditions or use. Proposals already built keep the
    conditions they applied. Logs `emulation_title.updated`."""
    if not permissions.can_edit_titles(by):
        raise RecognitionError(_("Only HR or an administrator of the province edits the titles."))
    title = EmulationTitle.objects.select_for_update().get(pk=title.pk)
    try:
        parsed = parse_conditions(conditions)
    except ConditionError as error:
        raise RecognitionError(str(error)) from error
    if parsed.requires_title == title.code:
        raise RecognitionError(_("A title cannot require itself."))
    if (
        parsed.requires_title
        and not EmulationTitle.objects.filter(code=parsed.requires_title).exists()
    ):
        raise RecognitionError(
            _("No title has the code %(code)s.") % {"code": parsed.requires_title}
        )
    if not name.strip():
        raise RecognitionError(_("Give the title a name."))
    fields = ("name", "legal_source", "conditions", "active")
    before = {field: getattr(title, field) for field in fields}
    title.name, title.legal_source = name.strip(), legal_source.strip()
    title.conditions, title.active = conditions, active
    title.updated_at = clock.now()
    title.save(update_fields=[*fields, "updated_at"])
    after = {field: getattr(title, field) for field in fields}
    log_action(title, "emulation_title.updated", by=by, data={"before": before, "after": after})
    return title


def _conditions_of(title: EmulationTitle) -> Conditions:
    try:
        return parse_conditions(title.conditions)
    except ConditionError as error:
        raise RecognitionError(
            _("The conditions of “%(title)s” are invalid (%(error)s). Ask HR to fix them.")
            % {"title": title.name, "error": error}
        ) from error


def _chain(title: EmulationTitle) -> list[tuple[EmulationTitle, Conditions]]:
    """The title and the titles it requires, the most basic first (a cycle is refused)."""
    chain = [(title, _conditions_of(title))]
    while chain[-1][1].requires_title:
        code = chain[-1][1].requires_title
        if any(item.code == code for item, _conditions in chain):
            raise RecognitionError(_("The titles require each other in a circle."))
        required = EmulationTitle.objects.filter(code=code).first()
        if required is None:
            raise RecognitionError(_("No title has the code %(code)s.") % {"code": code})
        chain.append((required, _conditions_of(required)))
    return list(reversed(chain))


def annual_sheets_of(organisation: Unit, year: int) -> list[AnnualSheet]:
    """One annual sheet per person of the organisation and below for the year (a person in two
    classifications: the decided one, then the latest)."""
    sheets = (
        AnnualSheet.objects.filter(
            annual_period__year=year, unit__path__startswith=organisation.path
        )
        .select_related("person", "unit", "annual_period__rulebook")
        .order_by("unit__path", "person__sort_key", "pk")
    )
    chosen: dict[int, AnnualSheet] = {}
    for sheet in sheets:
        current = chosen.get(sheet.person_id)
        if current is None or (sheet.is_decided, sheet.pk) > (current.is_decided, current.pk):
            chosen[sheet.person_id] = sheet
    return list(chosen.values())


def _level_names(sheets: Sequence[AnnualSheet]) -> dict[str, str]:
    names: dict[str, str] = {}
    for rulebook in {sheet.annual_period.rulebook for sheet in sheets}:
        try:
            config = parse_rulebook(rulebook)
        except RuleError:
            continue
        for level in config.levels:
            names.setdefault(level.code, level.name)
    return names


def person_years(sheets: Sequence[AnnualSheet], year: int) -> dict[int, PersonYear]:
    """The facts of each person of `sheets` for the year (two queries)."""
    ids = [sheet.person_id for sheet in sheets]
    disciplines: dict[int, list[datetime.date]] = defaultdict(list)
    for person_id, day in Discipline.objects.filter(
        person_id__in=ids, effective_from__year=year
    ).values_list("person_id", "effective_from"):
        disciplines[person_id].append(day)
    scopes: dict[int, list[str]] = defaultdict(list)
    for person_id, scope in Initiative.objects.filter(
        person_id__in=ids, status=Initiative.Status.RECOGNISED, assessed_on__year=year
    ).values_list("person_id", "scope"):
        scopes[person_id].append(scope)
    return {
        sheet.person_id: PersonYear(
            annual_level=sheet.decided_level if sheet.is_decided else "",
            months_worked=sheet.months_worked,
            discipline_days=disciplines[sheet.person_id],
            initiative_scopes=scopes[sheet.person_id],
        )
        for sheet in sheets
    }


@transaction.atomic
def build_proposal(
    organisation: Unit, year: int, title: EmulationTitle, *, by: User | None
) -> EmulationProposal:
    """List the people of the organisation (and below) with an annual result for `year`, each
    eligible for `title` or not with the conditions they miss. Building again replaces the
    list. Logs `emulation.proposal_built` with the counts and the eligible codes."""
    if by is not None and not permissions.can_manage_emulation(by, organisation):
        raise RecognitionError(
            _("Only HR or an administrator over %(unit)s builds its emulation proposals.")
            % {"unit": organisation.name}
        )
    if not title.active:
        raise RecognitionError(_("The title “%(title)s” is no longer in use.") % {"title": title})
    chain = _chain(title)
    sheets = annual_sheets_of(organisation, year)
    if not sheets:
        raise RecognitionError(
            _(
                "Nobody in %(unit)s has an annual result for %(year)d: open the annual "
                "classification first."
            )
            % {"unit": organisation.name, "year": year}
        )
    names = _level_names(sheets) | {item.code: item.name for item, _conditions in chain}
    facts = person_years(sheets, year)
    qualifies: dict[int, set[str]] = defaultdict(set)
    unmet_by_person: dict[int, list[dict[str, str]]] = {}
    for item, conditions in chain:
        strategy = STRATEGIES.get(item.strategy)
        if strategy is None:
            raise RecognitionError(
                _("The title “%(title)s” names an unknown strategy %(name)s.")
                % {"title": item.name, "name": item.strategy}
            )
        for person_id, person_facts in facts.items():
            with_titles = PersonYear(
                annual_level=person_facts.annual_level,
                months_worked=person_facts.months_worked,
                discipline_days=person_facts.discipline_days,
                initiative_scopes=person_facts.initiative_scopes,
                qualifies_for=frozenset(qualifies[person_id]),
            )
            unmet = strategy(conditions, with_titles, names)
            if not unmet:
                qualifies[person_id].add(item.code)
            unmet_by_person[person_id] = [{"code": u.code, "reason": u.reason} for u in unmet]
    proposal, created = EmulationProposal.objects.select_for_update().get_or_create(
        organisation=organisation,
        year=year,
        title=title,
        defaults={"conditions": title.conditions, "built_at": clock.now(), "built_by": by},
    )
    before = None
    if not created:
        before = {
            "built_at": proposal.built_at,
            "eligible": sorted(
                proposal.candidates.filter(eligible=True).values_list(
                    "person__employee_code", flat=True
                )
            ),
        }
        proposal.candidates.all().delete()
        proposal.conditions, proposal.built_at, proposal.built_by = (
            title.conditions,
            clock.now(),
            by,
        )
        proposal.save(update_fields=["conditions", "built_at", "built_by"])
    EmulationCandidate.objects.bulk_create(
        EmulationCandidate(
            proposal=proposal,
            person_id=sheet.person_id,
            unit_id=sheet.unit_id,
            annual_level=sheet.decided_level if sheet.is_decided else "",
            eligible=not unmet_by_person[sheet.person_id],
            unmet=unmet_by_person[sheet.person_id],
        )
        for sheet in sheets
    )
    eligible = sorted(
        sheet.person.employee_code for sheet in sheets if not unmet_by_person[sheet.person_id]
    )
    log_action(
        proposal,
        "emulation.proposal_built",
        by=by,
        data={
            "before": before,
            "after": {
                "title": title.code,
                "conditions": title.conditions,
                "people": len(sheets),
                "eligible": eligible,
            },
        },
    )
    return proposal


# Reward decisions


@transaction.atomic
def record_reward(
    organisation: Unit,
    *,
    by: User,
    decision_number: str,
    decided_on: datetime.date,
    issuer: str,
    award: str,
    people: Sequence[Person],
    title: EmulationTitle | None = None,
    year: int | None = None,
    note: str = "",
) -> RewardDecision:
    """Record a reward decision naming people of the organisation (and below). Notifies each
    person. Logs `reward.recorded` with the people's codes."""
    if not permissions.can_manage_emulation(by, organisation):
        raise RecognitionError(
            _("Only HR or an administrator over %(unit)s records its reward decisions.")
            % {"unit": organisation.name}
        )
    decision_number, issuer, award = decision_number.strip(), issuer.strip(), award.strip()
    if not decision_number or not issuer or not award:
        raise RecognitionError(_("Give the decision's number, who issued it and the award."))
    if decided_on > clock.today():
        raise RecognitionError(_("The decision date cannot be in the future."))
    if not people:
        raise RecognitionError(_("Name at least one person rewarded."))
    outside = [p.employee_code for p in people if not p.unit.path.startswith(organisation.path)]
    if outside:
        raise RecognitionError(
            _("%(codes)s do not work in %(unit)s.")
            % {"codes": ", ".join(outside), "unit": organisation.name}
        )
    # Compared in Python: SQLite folds the case of ASCII letters only ("QĐ" vs "qđ").
    numbers = RewardDecision.objects.filter(organisation=organisation).values_list(
        "decision_number", flat=True
    )
    if decision_number.casefold() in {number.casefold() for number in numbers}:
        raise RecognitionError(
            _("Decision %(number)s is already recorded for %(unit)s.")
            % {"number": decision_number, "unit": organisation.name}
        )
    reward = RewardDecision.objects.create(
        organisation=organisation,
        decision_number=decision_number,
        decided_on=decided_on,
        issuer=issuer,
        award=award,
        title=title,
        year=year,
        note=note.strip(),
        recorded_at=clock.now(),
        recorded_by=by,
    )
    reward.people.set(people)
    log_action(
        reward,
        "reward.recorded",
        by=by,
        data={
            "before": None,
            "after": {
                "decision_number": decision_number,
                "decided_on": decided_on,
                "award": award,
                "title": title.code if title else None,
                "year": year,
                "people": sorted(p.employee_code for p in people),
            },
        },
    )
    for person in people:
        notify(
            person.user,
            _("You were awarded “%(award)s” (decision %(number)s).")
            % {"award": award, "number": decision_number},
            url=reverse("recognition:person_record", args=[person.pk]),
            kind="reward",
        )
    return reward
