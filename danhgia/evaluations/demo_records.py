"""Demo records for Sở Nội vụ: one discipline that vetoes a staff member's decided months, and
one sick leave the sheets show. Written through the services, before the months are decided
(`demo.build_evaluations` calls `seed_demo_records` first)."""

import datetime

from django.db.models import Q

from danhgia.accounts.models import User
from danhgia.evaluations.facts import veto_facts_for
from danhgia.evaluations.models import Discipline, Leave, Period, Sheet
from danhgia.evaluations.rules.levels import lowest_level
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.vetoes import applicable_vetoes
from danhgia.evaluations.services.records import record_discipline, record_leave
from danhgia.organisations.models import Person, Unit

DAY = datetime.timedelta(days=1)
ORGANISATION = "SNV"
HR_USERNAME = "nhansu"
VETO_REASON = "Bị kỷ luật khiển trách trong năm: xếp loại không hoàn thành nhiệm vụ."


def _month_start(today: datetime.date, back: int) -> datetime.date:
    first = today.replace(day=1)
    for _ in range(back):
        first = (first - DAY).replace(day=1)
    return first


def _staff(unit: Unit, since: datetime.date) -> list[Person]:
    """Staff (not leaders) of Sở Nội vụ at work from `since` on, in a fixed order."""
    return list(
        Person.objects.filter(
            unit__path__startswith=unit.path, is_leader=False, active_from__lte=since
        )
        .filter(Q(active_to__isnull=True))
        .exclude(user__isnull=True)
        .select_related("unit")
        .order_by("employee_code")
    )


def seed_demo_records(today: datetime.date) -> tuple[Discipline, Leave]:
    """A reprimand (administrative, public duty) effective on the 10th of the month two
    before today's for the first staff member of Sở Nội vụ by employee code, so their
    level of that month (and of the next, same year) is "not completed"; and a sick leave
    of five days in last month for the second."""
    unit = Unit.objects.get(code=ORGANISATION)
    hr = User.objects.get(username=HR_USERNAME)
    veto_month = _month_start(today, 2)
    first, second = _staff(unit, _month_start(today, 3))[:2]
    discipline = record_discipline(
        first,
        by=hr,
        form=Discipline.Form.REPRIMAND,
        channel=Discipline.Channel.ADMINISTRATIVE,
        public_duty=True,
        decision_number=f"{veto_month.month:02d}/QĐ-SNV",
        decided_on=veto_month.replace(day=8),
        effective_from=veto_month.replace(day=10),
        note="Vi phạm quy chế làm việc: chậm trễ, để quá hạn hồ sơ của công dân.",
    )
    leave_month = _month_start(today, 1)
    leave = record_leave(
        second,
        by=hr,
        kind=Leave.Kind.SICK,
        start=leave_month.replace(day=6),
        end=leave_month.replace(day=10),
        reference="Giấy ra viện số 1234/BV",
    )
    return discipline, leave


def forced_level(period: Period, config: RulebookConfig, sheet: Sheet) -> str | None:
    """The level a veto forces on this sheet (the lowest), or None when no veto applies: the
    demo decides a vetoed person at that level, as the service requires."""
    facts = veto_facts_for(period, [(sheet.person_id, sheet.is_leader)])[sheet.person_id]
    if applicable_vetoes(config, facts, period.start, period.end):
        return lowest_level(config)
    return None
