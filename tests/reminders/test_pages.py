"""The reminders page for HR: scope, the period filter and a constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.evaluations.models import Period
from danhgia.evaluations.services.periods import open_period
from danhgia.organisations.models import Role, UnitRole
from danhgia.reminders.models import Reminder
from tests.conftest import World
from tests.factories import UserFactory
from tests.reminders.conftest import DECISION_DUE, REVIEW_DUE, SELF_DUE, days_from, run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_in_english")]
URL = reverse("reminders:reminder_list")


def _november(world: World) -> Period:
    return open_period(
        world.dept_other,
        datetime.date(2026, 11, 1),
        by=world.users["hr"],
        deadlines={
            "self_evaluation_due": SELF_DUE,
            "review_due": REVIEW_DUE,
            "decision_due": DECISION_DUE,
        },
    )


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [reminder.message for reminder in response.context["page"].object_list]


def test_hr_sees_the_reminders_of_their_scope_and_filters_by_period(
    world: World, october: Period, login
) -> None:  # type: ignore[no-untyped-def]
    november = _november(world)
    run(days_from(SELF_DUE, -3))
    assert Reminder.objects.count() == 9  # 7 people in October, 2 in Sở Tài chính's November
    client = login(world.users["hr"])
    response = client.get(URL)
    assert response.status_code == 200
    assert len(_messages(response)) == 9
    response = client.get(URL, {"period": november.pk})
    assert {r.period_id for r in response.context["page"].object_list} == {november.pk}
    assert len(_messages(response)) == 2
    assert "Lê Thị Bình" in response.content.decode()


def test_hr_of_a_department_sees_only_its_own(world: World, october: Period, login) -> None:  # type: ignore[no-untyped-def]
    november = _november(world)
    run(days_from(SELF_DUE, -3))
    local_hr = UserFactory(username="hr_stc")
    UnitRole.objects.create(user=local_hr, unit=world.dept_other, role=Role.HR_OFFICER)
    response = login(local_hr).get(URL)
    assert {r.period_id for r in response.context["page"].object_list} == {november.pk}
    response = login(local_hr).get(URL, {"period": october.pk})  # the province's reminders
    assert _messages(response) == []
    response = login(local_hr).get(URL, {"period": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(_messages(response)) == 2


def test_a_failed_email_shows(world: World, october: Period, login, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "tests.reminders.test_reminders.FailingBackend"
    world.users["staff"].email = "an@snv.gov.vn"
    world.users["staff"].save(update_fields=["email"])
    run(days_from(SELF_DUE, -3))
    page = login(world.users["hr"]).get(URL).content.decode()
    assert "an@snv.gov.vn" in page
    assert "mail server down" in page


def test_the_page_costs_the_same_queries_for_one_row_or_three(
    world: World, october: Period, login
) -> None:  # type: ignore[no-untyped-def]
    run(days_from(SELF_DUE, -3))
    client = login(world.users["hr"])
    client.get(URL)  # warm the session

    def queries_for(rows: int) -> int:
        keep = list(Reminder.objects.order_by("pk").values_list("pk", flat=True)[:rows])
        Reminder.objects.exclude(pk__in=keep).delete()
        with CaptureQueriesContext(connection) as captured:
            assert len(_messages(client.get(URL))) == rows
        return len(captured)

    three = queries_for(3)
    assert three == queries_for(1) <= 9
