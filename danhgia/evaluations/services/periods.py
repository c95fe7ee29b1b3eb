"""Periods: open one for an organisation (a sheet for everyone, computed), add a late sheet,
change deadlines, move on, close.

Opening must scale to a province (50,000 people, a million tasks a month): the people, their
reviewers and deciders, their tasks and the leaders' facts come from a few queries, sheets
and task lines are inserted in batches, and one audit row `period.opened` records the counts.
"""

import calendar
import datetime
from collections import Counter
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.facts import Authority, authority_for_people, fetch_authority_roles
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.permissions import OPEN_PERIOD_STATES
from danhgia.evaluations.rounds.close import close_round
from danhgia.evaluations.rounds.month import MONTH
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.categories import (
    Assignments,
    freeze_sheet_rulebooks,
    rulebook_for,
)
from danhgia.evaluations.services.common import config_of, day, freeze_rulebook, require_manager
from danhgia.evaluations.services.sheets import compute_sheets, create_computed_sheets
from danhgia.evaluations.services.versions import figures_changed
from danhgia.organisations.models import Person, PersonQuerySet, Unit

# Deadlines are given as {field: date} with these keys (any subset).
Deadlines = Mapping[str, datetime.date]
DEADLINE_FIELDS = ("self_evaluation_due", "review_due", "decision_due")


def period_bounds(day_in: datetime.date, kind: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month (or quarter) containing `day_in`."""
    if kind == Period.Kind.QUARTER:
        first_month = 3 * ((day_in.month - 1) // 3) + 1
        last_month = first_month + 2
    elif kind == Period.Kind.MONTH:
        first_month = last_month = day_in.month
    else:
        raise EvaluationError(_("A period is a month or a quarter."))
    last_day = calendar.monthrange(day_in.year, last_month)[1]
    return (
        datetime.date(day_in.year, first_month, 1),
        datetime.date(day_in.year, last_month, last_day),
    )


def applicable_rulebook(organisation: Unit, on: datetime.date) -> Rulebook | None:
    """The rulebook in force on `on` for `organisation`: the latest of the nearest unit up
    the tree that has its own (a clone), else the latest national one."""
    candidates = list(
        Rulebook.objects.filter(applies_from__lte=on).filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=organisation.ancestor_ids)
        )
    )
    nearness = {unit_id: index for index, unit_id in enumerate(organisation.ancestor_ids)}

    def rank(rulebook: Rulebook) -> tuple[int, datetime.date, int]:
        owner = -1 if rulebook.organisation_id is None else nearness[rulebook.organisation_id]
        return (owner, rulebook.applies_from, rulebook.version)

    return max(candidates, key=rank, default=None)


def people_of_period(
    organisation: Unit, first: datetime.date, last: datetime.date
) -> PersonQuerySet:
    """Everyone in the organisation's subtree active on any day of `first`..`last`."""
    return (
        Person.objects.filter(unit__path__startswith=organisation.path, active_from__lte=last)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .select_related("unit", "job_position")
        .order_by("pk")
    )  # type: ignore[return-value]


def new_sheet(
    period: Period, person: Person, authority: Authority, assignments: Assignments | None = None
) -> Sheet:
    """An unsaved sheet with the person's situation of the month (unit, title, group) and the
    rulebook it is scored under (`rulebook_for`: their staff category's in their unit)."""
    return Sheet(
        period=period,
        person=person,
        rulebook=rulebook_for(person, period, period.start, assignments),
        unit=person.unit,
        title=person.title,
        is_leader=person.is_leader,
        task_group=person.job_position.code if person.job_position else "",
        reviewer_id=authority.reviewer_id,
        decider_id=authority.decider_id,
    )


def _require_manager(by: User | None, organisation: Unit) -> None:
    require_manager(by, organisation, _("its periods"))


def _check_deadlines(due: Deadlines, end: datetime.date) -> None:
    unknown = sorted(set(due) - set(DEADLINE_FIELDS))
    if unknown:
        raise ValueError(f"unknown deadlines: {unknown}")
    if not (end <= due["self_evaluation_due"] <= due["review_due"] <= due["decision_due"]):
        raise EvaluationError(
            _(
                "Deadlines must follow the period's end in this order: self-evaluation, "
                "review, decision."
            )
        )


def _require_no_overlap(
    organisation: Unit, kind: str, start: datetime.date, end: datetime.date
) -> None:
    """One sheet per person and month: no period of this unit, above or below it, overlaps."""
    overlapping = (
        Period.objects.filter(start__lte=end, end__gte=start)
        .filter(
            Q(organisation__path__startswith=organisation.path)
            | Q(organisation_id__in=organisation.ancestor_ids)
        )
        .select_related("organisation")
        .first()
    )
    if overlapping is None:
        return
    if (overlapping.organisation_id, overlapping.kind, overlapping.start) == (
        organisation.pk,
        kind,
        start,
    ):
        raise EvaluationError(_("The period %(period)s is already open.") % {"period": overlapping})
    raise EvaluationError(
        _(
            "%(period)s (%(first)s–%(last)s) already covers these people: a person has one "
            "sheet a month. Choose other dates or another organisation."
        )
        % {"period": overlapping, "first": day(overlapping.start), "last": day(overlapping.end)}
    )


@transaction.atomic
def open_period(
    organisation: Unit,
    start: datetime.date,
    *,
    kind: str = Period.Kind.MONTH,
    rulebook: Rulebook | None = None,
    by: User | None,
    deadlines: Deadlines | None = None,
) -> Period:
    """Open the period starting on `start` for `organisation` and everyone below it.

    Pins the period to `rulebook` (default: the one in force on `start`, see
    `applicable_rulebook`) and freezes it (`rulebook.frozen`, once); deadlines are the
    rulebook's days after the period's end unless given. Creates and computes a sheet for
    every person active on any day of the period, with the reviewer and decider of
    `organisations/authority.py`. Logs one `period.opened` with the counts.

    Raises EvaluationError for a user who is not HR or admin over the organisation, a start
    that is not the first day of a month (quarter), an organisation not active then, a
    period already open or overlapping, no (or an invalid or not yet applicable) rulebook,
    or deadlines out of order.
    """
    _require_manager(by, organisation)
    first, last = period_bounds(start, kind)
    if start != first:
        raise EvaluationError(
            _("A period starts on the first day of its month or quarter (%(date)s).")
            % {"date": day(first)}
        )
    if organisation.valid_from > last or (organisation.valid_to and organisation.valid_to < first):
        raise EvaluationError(
            _("%(unit)s does not exist during this period.") % {"unit": organisation.name}
        )
    _require_no_overlap(organisation, kind, first, last)
    rulebook = rulebook or applicable_rulebook(organisation, first)
    if rulebook is None:
        raise EvaluationError(
            _("No rulebook applies on %(date)s. Ask the HR officer to add one.")
            % {"date": day(first)}
        )
    if rulebook.applies_from > first:
        raise EvaluationError(
            _("The rulebook “%(name)s” applies only from %(date)s.")
            % {"name": rulebook.name, "date": day(rulebook.applies_from)}
        )
    period = Period(organisation=organisation, kind=kind, start=first, end=last, rulebook=rulebook)
    config = config_of(period)
    due = dict(zip(DEADLINE_FIELDS, config.deadlines.due_dates(last), strict=True))
    due.update(deadlines or {})
    _check_deadlines(due, last)
    freeze_rulebook(rulebook, by)
    period.self_evaluation_due = due["self_evaluation_due"]
    period.review_due = due["review_due"]
    period.decision_due = due["decision_due"]
    period.opened_at = clock.now()
    period.opened_by = by
    period.save()
    people = list(people_of_period(organisation, first, last))
    roles = fetch_authority_roles(first, last, within=organisation)
    authority = authority_for_people(people, first, last, roles)
    assignments = Assignments()
    sheets = [new_sheet(period, person, authority[person.pk], assignments) for person in people]
    freeze_sheet_rulebooks(period, sheets, by)  # type: ignore[arg-type]
    sheet_count, line_count = create_computed_sheets(period, config, sheets)
    log_action(
        period,
        "period.opened",
        by=by,
        data={
            "organisation": organisation.code,
            "kind": kind,
            "start": first,
            "end": last,
            "rulebook": {"code": rulebook.code, "version": rulebook.version},
            "deadlines": due,
            "sheets": sheet_count,
            "task_lines": line_count,
            "leaders": sum(1 for sheet in sheets if sheet.is_leader),
            "without_reviewer": sum(1 for sheet in sheets if sheet.reviewer_id is None),
            "without_decider": sum(1 for sheet in sheets if sheet.decider_id is None),
            "bands": dict(Counter(sheet.band for sheet in sheets)),
        },
    )
    return period


@transaction.atomic
def add_sheet(period: Period, person: Person, *, by: User | None) -> Sheet:
    """A sheet for someone who joined the organisation after the period opened, computed.

    Logs `period.sheet_added`. Raises EvaluationError for a user who is not HR or admin, a
    period no longer open, a person outside the organisation or not active in the period,
    or one who already has a sheet.
    """
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("organisation", "rulebook")
        .get(pk=period.pk)
    )
    _require_manager(by, period.organisation)
    if period.state not in OPEN_PERIOD_STATES:
        raise EvaluationError(
            _("The period %(period)s is %(state)s: no sheet can be added.")
            % {"period": period, "state": period.get_state_display()}
        )
    person = Person.objects.select_related("unit", "job_position").get(pk=person.pk)
    if not person.unit.path.startswith(period.organisation.path):
        raise EvaluationError(
            _("%(name)s is not in %(unit)s.")
            % {"name": person.full_name, "unit": period.organisation.name}
        )
    if person.active_from > period.end or (person.active_to and person.active_to < period.start):
        raise EvaluationError(
            _("%(name)s is not active during %(period)s.")
            % {"name": person.full_name, "period": period}
        )
    if Sheet.objects.filter(period=period, person=person).exists():
        raise EvaluationError(
            _("%(name)s already has a sheet for %(period)s.")
            % {"name": person.full_name, "period": period}
        )
    roles = fetch_authority_roles(period.start, period.end, unit_ids=person.unit.ancestor_ids)
    authority = authority_for_people([person], period.start, period.end, roles)[person.pk]
    sheet = new_sheet(period, person, authority)
    freeze_sheet_rulebooks(period, [sheet], by)  # type: ignore[list-item]
    sheet.save()
    figures_changed([period])
    compute_sheets(period, [sheet], by=by)
    log_action(
        period,
        "period.sheet_added",
        by=by,
        data={
            "sheet": sheet.pk,
            "person": person.employee_code,
            "unit": person.unit.code,
            "reviewer": authority.reviewer_id,
            "decider": authority.decider_id,
            "total": sheet.total,
            "band": sheet.band,
        },
    )
    return sheet


@transaction.atomic
def change_deadlines(period: Period, *, by: User, deadlines: Deadlines) -> Period:
    """HR moves the period's deadlines (e.g. to let a late person submit). Logs
    `period.deadlines_changed` with before/after. Raises EvaluationError for anyone but HR
    or an admin, a closed period or deadlines out of order."""
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=period.pk)
    )
    _require_manager(by, period.organisation)
    if period.state == Period.State.CLOSED:
        raise EvaluationError(_("The period %(period)s is closed.") % {"period": period})
    before = {name: getattr(period, name) for name in DEADLINE_FIELDS}
    after = {**before, **deadlines}
    _check_deadlines(after, period.end)
    for name, value in after.items():
        setattr(period, name, value)
    period.save(update_fields=list(DEADLINE_FIELDS))
    log_action(period, "period.deadlines_changed", by=by, data={"before": before, "after": after})
    return period


@transaction.atomic
def advance_period(period: Period, *, by: User | None) -> Period:
    """Move the period on: open → reviewing (once the self-evaluation deadline has passed
    or no sheet is left in self-evaluation), reviewing → decided (once every sheet is
    decided). Logs `period.advanced`. Raises EvaluationError for anyone but HR or an admin,
    or when the condition is not met (the message says what is missing)."""
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=period.pk)
    )
    _require_manager(by, period.organisation)
    before = period.state
    if period.state == Period.State.OPEN:
        in_draft = period.sheets.filter(status=Sheet.Status.DRAFT).count()
        if in_draft and clock.today() <= period.self_evaluation_due:
            raise EvaluationError(
                _(
                    "%(count)d people are still evaluating themselves until %(date)s; move on "
                    "after that day or once they have all submitted."
                )
                % {"count": in_draft, "date": day(period.self_evaluation_due)}
            )
        period.state = Period.State.REVIEWING
    elif period.state == Period.State.REVIEWING:
        undecided = MONTH.undecided(period)
        if undecided:
            raise EvaluationError(
                _(
                    "%(count)d sheets are not decided yet: the period moves on when every sheet "
                    "is decided."
                )
                % {"count": undecided}
            )
        period.state = Period.State.DECIDED
    else:
        raise EvaluationError(
            _("The period %(period)s is %(state)s: close it instead.")
            % {"period": period, "state": period.get_state_display()}
        )
    period.save(update_fields=["state"])
    log_action(
        period,
        "period.advanced",
        by=by,
        data={"before": {"state": before}, "after": {"state": period.state}},
    )
    return period


@transaction.atomic
def close_period(period: Period, *, by: User | None) -> Period:
    """Lock the period once every sheet is decided: nothing in it changes any more.

    Logs `period.closed` with the count of each decided level. Raises EvaluationError for
    anyone but HR or an admin, a period already closed, sheets not decided (named by count)
    or a quota scope over the quota (its people named).
    """
    return close_round(MONTH, period.pk, by=by)
