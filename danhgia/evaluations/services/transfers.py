"""A person's transfer to another unit: the rule is in docs/decisions.md (the sheet of a period
under way stays with the unit it was opened with; the new unit evaluates from the next period)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.facts_transfers import moves_of
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import day
from danhgia.evaluations.services.records import locked_person, require_hr
from danhgia.organisations import services as org_services
from danhgia.organisations.models import Person, TransferSource, Unit


@dataclass(frozen=True)
class Transfer:
    person: Person
    on: datetime.date
    from_unit: Unit
    to_unit: Unit
    # Sheets of periods still open that stay with the unit of the month's start.
    open_sheets: list[Sheet]


def last_transfer_day(person: Person) -> datetime.date | None:
    moves = moves_of([person.pk]).get(person.pk, [])
    return moves[-1].on if moves else None


@transaction.atomic
def transfer_person(person: Person, to_unit: Unit, *, on: datetime.date, by: User) -> Transfer:
    """Move a person to another unit from `on` (the rule is in docs/decisions.md: the sheet
    of a period under way stays with the unit it was opened with, with its reviewer and
    decider; from the next period on, the new unit evaluates the person).

    Changes the person's unit through `organisations.services.save_person` (`person.updated`,
    and the `Transfer` row effective `on`) and logs `person.transferred` with the day, both
    units and the transfer. Raises EvaluationError for anyone but HR or an admin over both
    units, the same unit, a day in the future, before the person started or before their
    last transfer, or a unit not in existence that day.
    """
    person = locked_person(person)
    from_unit = person.unit
    require_hr(by, from_unit)
    require_hr(by, to_unit)
    if to_unit.pk == from_unit.pk:
        raise EvaluationError(
            _("%(name)s already works in %(unit)s.")
            % {"name": person.full_name, "unit": to_unit.name}
        )
    if on > clock.today():
        raise EvaluationError(
            _("Record a transfer on or after the day it takes effect (not before %(date)s).")
            % {"date": day(on)}
        )
    if on < person.active_from:
        raise EvaluationError(
            _("%(name)s started on %(date)s: a transfer cannot come before that.")
            % {"name": person.full_name, "date": day(person.active_from)}
        )
    previous = last_transfer_day(person)
    if previous is not None and on < previous:
        raise EvaluationError(
            _("%(name)s was last moved on %(date)s: a new transfer cannot come before it.")
            % {"name": person.full_name, "date": day(previous)}
        )
    if not to_unit.is_active_on(on):
        raise EvaluationError(
            _("%(unit)s does not exist on %(date)s.") % {"unit": to_unit.name, "date": day(on)}
        )
    person.unit = to_unit
    org_services.save_person(person, by=by, moved_on=on, source=TransferSource.FORM)
    transfer_id = person.transfers.order_by("-pk").values_list("pk", flat=True).first()
    open_sheets = list(
        Sheet.objects.filter(person=person, period__start__lte=on, period__end__gte=on)
        .exclude(status=Sheet.Status.DECIDED)
        .select_related("period", "unit")
    )
    log_action(
        person,
        "person.transferred",
        by=by,
        data={
            "on": on,
            "transfer_id": transfer_id,
            "before": {"unit": from_unit.code, "unit_id": from_unit.pk},
            "after": {"unit": to_unit.code, "unit_id": to_unit.pk},
            "sheets_kept": [sheet.pk for sheet in open_sheets],
        },
    )
    return Transfer(person, on, from_unit, to_unit, open_sheets)
