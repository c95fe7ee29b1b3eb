"""Records: the discipline and leave registers, conclusions, the organisation's policy, a
person's evaluation record and transfer.

HR keeps the records of the people in its scope; the person reads their own record (and is
refused its edit pages: 403); every role over the person reads it; other departments get 404.
The policy of Sở Nội vụ is for HR; roles that see the department get 403, others 404.
"""

import datetime
from typing import Any

from danhgia.evaluations.models import Discipline, Leave
from danhgia.evaluations.services.records import record_discipline, record_leave
from tests.conftest import World
from tests.matrix import Row


def _discipline(world: World) -> list[Any]:
    person = world.people["staff"]
    found = Discipline.objects.filter(person=person).first()
    if found is None:
        found = record_discipline(
            person,
            by=world.users["hr"],
            form=Discipline.Form.REPRIMAND,
            channel=Discipline.Channel.ADMINISTRATIVE,
            decision_number="12/QĐ-SNV",
            decided_on=datetime.date(2025, 3, 1),
            effective_from=datetime.date(2025, 3, 1),
        )
    return [found.pk]


def _leave(world: World) -> list[Any]:
    person = world.people["staff"]
    found = Leave.objects.filter(person=person).first()
    if found is None:
        found = record_leave(
            person,
            by=world.users["hr"],
            kind=Leave.Kind.SICK,
            start=datetime.date(2025, 4, 7),
            end=datetime.date(2025, 4, 11),
        )
    return [found.pk]


def _dept(world: World) -> list[Any]:
    return [world.dept.pk]


def _staff(world: World) -> list[Any]:
    return [world.people["staff"].pk]


HR_ONLY = "302 403 403 403 403 403 200 403"
STAFF_RECORD = "302 403 404 403 403 404 200 403"

ROWS = [
    Row("evaluations:discipline_list", HR_ONLY),
    Row("evaluations:discipline_create", HR_ONLY),
    Row("evaluations:discipline_edit", STAFF_RECORD, _discipline),
    Row("evaluations:discipline_delete", STAFF_RECORD, _discipline),
    Row("evaluations:finding_create", HR_ONLY),
    Row("evaluations:leave_list", HR_ONLY),
    Row("evaluations:leave_create", HR_ONLY),
    Row("evaluations:leave_edit", STAFF_RECORD, _leave),
    Row("evaluations:leave_delete", STAFF_RECORD, _leave),
    Row("evaluations:policy_list", HR_ONLY),
    Row("evaluations:policy_edit", "302 404 404 404 403 404 200 403", _dept),
    Row("evaluations:person_record", "302 200 404 200 200 404 200 200", _staff),
    Row("evaluations:person_transfer", STAFF_RECORD, _staff),
]
