"""The record pages: registers with filters and a constant number of queries, add, correct
and delete forms that keep what was typed, the policy page, the person's record and leave on
the sheet."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.evaluations.models import Discipline, EvaluationPolicy, Leave
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.records import record_discipline, record_leave
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import World
from tests.evaluations.conftest import FULL_SCORES, OpenOctober, sheet_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("english", "english_pages")

D = datetime.date


def _leave(world: World, key: str, start: datetime.date, end: datetime.date) -> Leave:
    return record_leave(
        world.people[key], by=world.users["hr"], kind=Leave.Kind.SICK, start=start, end=end
    )


def _discipline(world: World, key: str = "staff", **fields: Any) -> Discipline:
    values: dict[str, Any] = {
        "form": Discipline.Form.WARNING,
        "channel": Discipline.Channel.PARTY,
        "decision_number": "7-QĐ/ĐU",
        "decided_on": D(2025, 6, 2),
        "effective_from": D(2025, 6, 2),
    }
    values.update(fields)
    return record_discipline(world.people[key], by=world.users["hr"], **values)


# Registers


def _add_leave(world: World, number: int) -> None:
    person = PersonFactory(unit=world.division, full_name=f"Người Nghỉ {number}")
    record_leave(person, by=world.users["hr"], kind="sick", start=D(2026, 3, 2), end=D(2026, 3, 4))


def _add_discipline(world: World, number: int) -> None:
    person = PersonFactory(unit=world.division, full_name=f"Người Kỷ Luật {number}")
    record_discipline(
        person,
        by=world.users["hr"],
        form="reprimand",
        channel="administrative",
        decision_number=f"{number}/QĐ",
        decided_on=D(2026, 3, 2),
        effective_from=D(2026, 3, 2),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "add", "shown"),
    [
        ("evaluations:leave_list", _add_leave, "Người Nghỉ"),
        ("evaluations:discipline_list", _add_discipline, "Người Kỷ Luật"),
    ],
)
def test_a_register_takes_the_same_queries_for_1_and_3_rows(
    world: World,
    login: Any,
    django_assert_max_num_queries: Any,
    name: str,
    add: Callable[[World, int], None],
    shown: str,
) -> None:
    client = login(world.users["hr"])
    url = reverse(name)
    client.get(url)  # the session and the user's roles, once
    counts = []
    for numbers in ([0], [1, 2]):
        for number in numbers:
            add(world, number)
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
        assert response.content.decode().count(shown) == numbers[-1] + 1
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_register_filters_by_unit_person_kind_and_year(world: World, login: Any) -> None:
    _leave(world, "staff", D(2025, 12, 29), D(2026, 1, 2))
    _leave(world, "staff_other", D(2026, 3, 2), D(2026, 3, 4))
    record_leave(
        world.people["manager"],
        by=world.users["hr"],
        kind=Leave.Kind.STUDY,
        start=D(2024, 9, 1),
        end=D(2024, 12, 31),
    )
    client = login(world.users["hr"])
    url = reverse("evaluations:leave_list")

    def names(**params: Any) -> list[str]:
        html = client.get(url, params).content.decode()
        return [key for key in ("Nguyễn Văn An", "Lê Thị Bình", "Phạm Minh Châu") if key in html]

    assert names() == ["Nguyễn Văn An", "Lê Thị Bình", "Phạm Minh Châu"]
    assert names(unit=world.dept.pk) == ["Nguyễn Văn An", "Phạm Minh Châu"]
    assert names(q="binh") == ["Lê Thị Bình"]
    assert names(kind="study") == ["Phạm Minh Châu"]
    assert names(year=2026) == ["Nguyễn Văn An", "Lê Thị Bình"]  # a leave across the new year
    assert names(year=2025) == ["Nguyễn Văn An"]
    partial = client.get(url, {"q": "binh"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="results">' in partial and "<html" not in partial


@pytest.mark.django_db
def test_the_register_shows_only_the_scope_of_the_hr_officer(world: World, login: Any) -> None:
    """An HR officer of one department sees the records of that department only."""
    _leave(world, "staff", D(2026, 3, 2), D(2026, 3, 4))
    _leave(world, "staff_other", D(2026, 3, 2), D(2026, 3, 4))
    user = world.users["head_other"]
    UnitRole.objects.create(user=user, unit=world.dept_other, role=Role.HR_OFFICER)

    html = login(user).get(reverse("evaluations:leave_list")).content.decode()

    assert "Lê Thị Bình" in html and "Nguyễn Văn An" not in html


# Add, correct, delete


@pytest.mark.django_db
def test_hr_records_a_discipline_by_employee_code(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    url = reverse("evaluations:discipline_create")
    form = {
        "employee_code": "e-staff",
        "form": "reprimand",
        "channel": "administrative",
        "public_duty": "on",
        "decision_number": "21/QĐ-SNV",
        "decided_on": "10/03/2026",
        "effective_from": "10/03/2026",
        "effective_to": "",
        "note": "",
    }
    prefilled = client.get(url, {"person": world.people["staff"].pk}).content.decode()
    assert 'value="E-staff"' in prefilled

    response = client.post(url, form)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "evaluations:person_record", args=[world.people["staff"].pk]
    )
    discipline = Discipline.objects.get()
    assert (discipline.person, discipline.decision_number) == (world.people["staff"], "21/QĐ-SNV")


@pytest.mark.django_db
def test_bad_input_keeps_what_was_typed(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    url = reverse("evaluations:discipline_create")
    form = {
        "employee_code": "NOBODY-1",
        "form": "warning",
        "channel": "party",
        "decision_number": "21/QĐ-SNV",
        "decided_on": "10/03/2026",
        "effective_from": "09/03/2026",
    }

    html = client.post(url, form).content.decode()

    assert "Nobody with the code NOBODY-1 works in the units you manage." in html
    assert "A discipline takes effect on or after the day it was decided." in html
    assert 'value="21/QĐ-SNV"' in html and 'value="2026-03-09"' in html
    assert Discipline.objects.count() == 0


@pytest.mark.django_db
def test_overlapping_leave_on_the_page_names_the_other_leave(world: World, login: Any) -> None:
    _leave(world, "staff", D(2026, 3, 2), D(2026, 3, 13))
    client = login(world.users["hr"])
    form = {
        "employee_code": "E-staff",
        "kind": "unpaid",
        "start": "12/03/2026",
        "end": "20/03/2026",
        "reference": "Đơn xin nghỉ",
    }

    html = client.post(reverse("evaluations:leave_create"), form).content.decode()

    assert "already has sick leave from 02/03/2026 to 13/03/2026" in html
    assert 'value="Đơn xin nghỉ"' in html and 'value="2026-03-12"' in html
    assert Leave.objects.count() == 1


@pytest.mark.django_db
def test_hr_corrects_and_deletes_a_leave(world: World, login: Any) -> None:
    leave = _leave(world, "staff", D(2026, 3, 2), D(2026, 3, 6))
    client = login(world.users["hr"])

    edit = client.post(
        reverse("evaluations:leave_edit", args=[leave.pk]),
        {"kind": "sick", "start": "02/03/2026", "end": "09/03/2026", "reference": "", "note": ""},
    )
    assert edit.status_code == 302
    leave.refresh_from_db()
    assert leave.end == D(2026, 3, 9)

    url = reverse("evaluations:leave_delete", args=[leave.pk])
    assert "reason for deleting" in client.post(url, {"reason": ""}).content.decode().lower()
    assert client.post(url, {"reason": "Nhập trùng"}).status_code == 302
    assert Leave.objects.count() == 0


@pytest.mark.django_db
def test_a_discipline_after_a_decided_month_warns_that_it_keeps_its_level(
    world: World, login: Any, open_october: OpenOctober
) -> None:
    sheet = sheet_of(open_october(), world.people["staff"])
    staff = world.users["staff"]
    save_self_evaluation(sheet, by=staff, scores=FULL_SCORES, proposed_level="completed")
    sheet = submit_self_evaluation(sheet, by=staff)
    sheet = submit_review(
        sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level="not_completed"
    )
    decide_sheet(sheet, by=world.users["head"], level="not_completed")
    form = {
        "employee_code": "E-staff",
        "form": "reprimand",
        "channel": "administrative",
        "public_duty": "on",
        "decision_number": "30/QĐ-SNV",
        "decided_on": "02/10/2026",
        "effective_from": "05/10/2026",
    }

    response = login(world.users["hr"]).post(
        reverse("evaluations:discipline_create"), form, follow=True
    )

    assert "1 sheets of Nguyễn Văn An decided before this record keep their level" in (
        response.content.decode()
    )


# The policy


@pytest.mark.django_db
def test_hr_gives_a_department_its_own_policy(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    url = reverse("evaluations:policy_edit", args=[world.dept.pk])
    assert 'value="10"' in client.get(url).content.decode()  # the defaults to start from
    values = {
        "appeal_days": "7",
        "appeal_answer_days": "20",
        "reminder_days_before": "2",
        "annual_decision_month": "2",
        "annual_decision_day": "30",
    }

    refused = client.post(url, values).content.decode()
    assert "Month 2 has no day 30." in refused and 'value="7"' in refused

    assert client.post(url, {**values, "annual_decision_day": "28"}).status_code == 302
    policy = EvaluationPolicy.objects.get(organisation=world.dept)
    assert (policy.appeal_days, policy.annual_decision_day) == (7, 28)
    listing = client.get(reverse("evaluations:policy_list")).content.decode()
    assert 'Sở Nội vụ</strong><br><span class="muted">own policy' in listing
    assert 'Sở Tài chính</strong><br><span class="muted">defaults' in listing


# The person's record and the sheet


@pytest.mark.django_db
def test_the_person_reads_their_own_record_without_edit_links(world: World, login: Any) -> None:
    discipline = _discipline(world)
    _leave(world, "staff", D(2026, 3, 2), D(2026, 3, 4))
    url = reverse("evaluations:person_record", args=[world.people["staff"].pk])

    own = login(world.users["staff"]).get(url).content.decode()
    hr = login(world.users["hr"]).get(url).content.decode()

    edit = reverse("evaluations:discipline_edit", args=[discipline.pk])
    assert "7-QĐ/ĐU" in own and "02/03/2026" in own
    assert edit not in own and edit in hr
    assert reverse("evaluations:person_transfer", args=[world.people["staff"].pk]) in hr


@pytest.mark.django_db
def test_the_sheet_shows_days_of_leave_in_the_period(
    world: World, login: Any, open_october: OpenOctober
) -> None:
    _leave(world, "staff", D(2026, 9, 28), D(2026, 10, 12))
    record_leave(
        world.people["staff"],
        by=world.users["hr"],
        kind=Leave.Kind.STUDY,
        start=D(2026, 10, 26),
        end=D(2026, 11, 6),
    )
    sheet = sheet_of(open_october(), world.people["staff"])

    html = login(world.users["staff"]).get(reverse("evaluations:sheet_detail", args=[sheet.pk]))

    assert "Sick leave 12/31 days in the period" in html.content.decode()
    assert "Study leave 6/31 days in the period" in html.content.decode()
