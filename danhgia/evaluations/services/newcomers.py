"""Sheets for people who joined an organisation after its period opened.

The organisations app never calls the evaluation app (layers run one way), so newcomers get
their sheet from here: the daily `open_period` timer run, or the HR officer's button on the
periods page, adds the sheets of everyone active in the period who has none yet.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify_many
from danhgia.evaluations.facts import authority_for_people, fetch_authority_roles
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.permissions import OPEN_PERIOD_STATES, can_manage_periods
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.categories import Assignments, freeze_sheet_rulebooks
from danhgia.evaluations.services.common import config_of, sheet_url
from danhgia.evaluations.services.periods import new_sheet, people_of_period
from danhgia.evaluations.services.sheets import create_computed_sheets
from danhgia.evaluations.services.versions import figures_changed
from danhgia.organisations.models import Person

LOGGED_CODES = 200  # employee codes named in the audit row; the count is always there


def people_without_sheet(period: Period) -> QuerySet[Person]:
    """People active during the period in its organisation who have no sheet of it, nor of
    another organisation's period over the same days: a person transferred in during the
    month keeps the sheet of the unit they left (one sheet a month, docs/decisions.md)."""
    overlapping = Sheet.objects.filter(period__start__lte=period.end, period__end__gte=period.start)
    return people_of_period(period.organisation, period.start, period.end).exclude(
        pk__in=overlapping.values("person_id")
    )


@transaction.atomic
def add_missing_sheets(period: Period, *, by: User | None) -> list[Sheet]:
    """Create and compute the sheets of everyone active in the period without one (people
    who joined or came back after it opened); notify them. Logs one `period.sheets_added`
    with the count and their codes. `by` None is the system (the timer's command).

    Raises EvaluationError for a user who is not HR or admin over the organisation, or a
    period past review (decided or closed).
    """
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("organisation", "rulebook")
        .get(pk=period.pk)
    )
    if by is not None and not can_manage_periods(by, period.organisation):
        raise EvaluationError(
            _("Only the HR officer or a system administrator over %(unit)s manages its periods.")
            % {"unit": period.organisation.name}
        )
    if period.state not in OPEN_PERIOD_STATES:
        raise EvaluationError(
            _("The period %(period)s is %(state)s: no sheet can be added.")
            % {"period": period, "state": period.get_state_display()}
        )
    people = list(people_without_sheet(period))
    if not people:
        return []
    config = config_of(period)
    roles = fetch_authority_roles(period.start, period.end, within=period.organisation)
    authority = authority_for_people(people, period.start, period.end, roles)
    assignments = Assignments()
    sheets = [new_sheet(period, person, authority[person.pk], assignments) for person in people]
    freeze_sheet_rulebooks(period, sheets, by)  # type: ignore[arg-type]
    count, lines = create_computed_sheets(period, config, sheets)
    figures_changed([period])
    log_action(
        period,
        "period.sheets_added",
        by=by,
        data={
            "sheets": count,
            "task_lines": lines,
            "people": [person.employee_code for person in people[:LOGGED_CODES]],
        },
    )
    saved = list(
        Sheet.objects.filter(period=period, person__in=people).select_related("person__user")
    )
    notify_many(
        (
            sheet.person.user,
            _("Your sheet for %(period)s is ready: evaluate yourself before %(date)s.")
            % {"period": period, "date": period.self_evaluation_due.strftime("%d/%m/%Y")},
            sheet_url(sheet),
            "sheet.created",
            f"sheet.created:{sheet.pk}",
        )
        for sheet in saved
    )
    return saved
