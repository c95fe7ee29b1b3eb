"""The reminder job: each rule, never twice, escalation, e-mails, the huey task and the command.

World of the October period (reviewer → decider): staff (manager → head), manager, hr
(head → head), staff_other (head_other → head_other), head, head_other, supervisor (nobody).
"""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Appeal, EvaluationPolicy, Period, Sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations.models import Person, Role, UnitKind, UnitRole
from danhgia.reminders.models import Reminder, ReminderRun
from danhgia.reminders.services import ReminderSummary
from danhgia.reminders.tasks import send_daily_reminders
from tests.conftest import World
from tests.evaluations.conftest import OCT, scores
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.reminders.conftest import (
    DECISION_DUE,
    REVIEW_DUE,
    SELF_DUE,
    TODAY,
    days_from,
    open_october,
    run,
    sheet,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_in_english")]


def d(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def sent(rule: str, step: str) -> list[tuple[str, int, str]]:
    """(recipient username, count, message) of the in-app reminders of one rule and step."""
    return list(
        Reminder.objects.filter(rule=rule, step=step, channel=Reminder.Channel.APP)
        .order_by("recipient__username", "object_type")
        .values_list("recipient__username", "count", "message")
    )


def submit(world: World, period: Period, key: str) -> Sheet:
    user = world.users[key]
    own = sheet(period, world.people[key])
    own = save_self_evaluation(own, by=user, scores=scores(9, 9, 8), proposed_level="good")
    return submit_self_evaluation(own, by=user)


def review(world: World, period: Period, key: str) -> Sheet:
    return submit_review(
        sheet(period, world.people[key]),
        by=world.users["manager"],
        scores=scores(9, 9, 8),
        proposed_level="good",
    )


LABEL = "Tỉnh Thử nghiệm · October 2026"


# Self-evaluation


def test_each_person_is_reminded_once_within_the_days_before(world: World, october: Period) -> None:
    assert run(days_from(SELF_DUE, -4)) == ReminderSummary(0, 0)
    assert run(days_from(SELF_DUE, -3)).reminders == 7
    assert run(days_from(SELF_DUE, -3)) == ReminderSummary(0, 0)
    assert run(days_from(SELF_DUE, -1)) == ReminderSummary(0, 0)
    assert run(SELF_DUE) == ReminderSummary(0, 0)
    message = (
        f"Your self-evaluation for {LABEL} is due on {d(SELF_DUE)}: score yourself and submit "
        "the sheet."
    )
    assert sent("self_evaluation", "before") == [
        (username, 1, message)
        for username in [
            "head",
            "head_other",
            "hr",
            "manager",
            "staff",
            "staff_other",
            "supervisor",
        ]
    ]
    staff_sheet = sheet(october, world.people["staff"])
    notification = Notification.objects.get(recipient=world.users["staff"])
    assert (notification.kind, notification.message, notification.url) == (
        "reminder.self_evaluation.before",
        message,
        reverse("evaluations:sheet_detail", args=[staff_sheet.pk]),
    )
    reminder = Reminder.objects.get(recipient=world.users["staff"])
    assert (reminder.notification, reminder.object_id, reminder.deadline, reminder.period) == (
        notification,
        staff_sheet.pk,
        SELF_DUE,
        october,
    )
    assert ReminderRun.objects.count() == 5
    assert AuditLog.objects.filter(action="reminders.sent").count() == 1
    assert AuditLog.objects.get(action="reminders.sent").data == {
        "day": days_from(SELF_DUE, -3).isoformat(),
        "reminders": 7,
        "emails": 0,
        "by_rule": {"self_evaluation.before": 7},
    }


def test_a_missed_run_catches_up_on_a_later_day(world: World, october: Period) -> None:
    assert run(days_from(SELF_DUE, -1)).reminders == 7
    assert run(SELF_DUE).reminders == 0


def test_the_organisation_policy_sets_the_days_before(world: World, october: Period) -> None:
    EvaluationPolicy.objects.create(organisation=world.province, reminder_days_before=5)
    assert run(days_from(SELF_DUE, -6)).reminders == 0
    assert run(days_from(SELF_DUE, -5)).reminders == 7


def test_zero_days_before_reminds_on_the_day_itself(world: World, october: Period) -> None:
    EvaluationPolicy.objects.create(organisation=world.dept, reminder_days_before=0)
    # Sở Nội vụ's own policy is not the period's: the province's organisation decides.
    assert run(days_from(SELF_DUE, -3)).reminders == 7


def test_submitted_sheets_and_people_without_login_are_not_reminded(
    world: World, rulebooks: None
) -> None:
    PersonFactory(unit=world.division, full_name="Chưa Có Tài Khoản")
    period = open_october(world)
    submit(world, period, "staff")
    assert Sheet.objects.filter(period=period).count() == 8
    run(days_from(SELF_DUE, -3))
    assert [name for name, _, _ in sent("self_evaluation", "before")] == [
        "head",
        "head_other",
        "hr",
        "manager",
        "staff_other",
        "supervisor",
    ]


def test_a_moved_deadline_earns_a_new_reminder(world: World, october: Period) -> None:
    run(days_from(SELF_DUE, -3))
    later = days_from(SELF_DUE, 4)
    Period.objects.filter(pk=october.pk).update(self_evaluation_due=later)  # as HR extends it
    assert run(days_from(SELF_DUE, 1)).reminders == 7
    assert sorted(
        Reminder.objects.filter(recipient=world.users["staff"]).values_list("deadline", flat=True)
    ) == [SELF_DUE, later]


# Review and decision: one reminder with the count to whoever holds the sheets


def test_the_reviewer_is_reminded_of_the_sheets_waiting(world: World, october: Period) -> None:
    submit(world, october, "staff")
    submit(world, october, "hr")  # reviewed by the decider: waits for the decision instead
    run(days_from(REVIEW_DUE, -3))
    assert sent("review", "before") == [
        (
            "manager",
            1,
            f"1 sheet of {LABEL} is waiting for your review, due on {d(REVIEW_DUE)}.",
        )
    ]
    notification = Notification.objects.get(kind="reminder.review.before")
    assert notification.url == reverse("evaluations:my_sheets")
    assert run(days_from(REVIEW_DUE, -2)).reminders == 0


def test_the_decider_is_reminded_of_reviewed_sheets_and_those_they_review(
    world: World, october: Period
) -> None:
    submit(world, october, "staff")
    review(world, october, "staff")
    submit(world, october, "hr")
    submit(world, october, "staff_other")
    run(days_from(DECISION_DUE, -3))
    assert sent("decision", "before") == [
        (
            "head",
            2,
            f"2 sheets of {LABEL} are waiting for your decision, due on {d(DECISION_DUE)}.",
        ),
        (
            "head_other",
            1,
            f"1 sheet of {LABEL} is waiting for your decision, due on {d(DECISION_DUE)}.",
        ),
    ]
    assert sent("review", "before") == []


# Escalation after a deadline: the decider with their count, HR with the period's


def test_late_self_evaluations_go_to_the_decider_and_hr_once(world: World, october: Period) -> None:
    submit(world, october, "staff")
    run(days_from(SELF_DUE, 1))
    assert sent("self_evaluation", "overdue") == [
        (
            "head",
            2,
            f"2 people in {LABEL} have not submitted their self-evaluation, due on {d(SELF_DUE)}.",
        ),
        (
            "head_other",
            1,
            f"1 person in {LABEL} has not submitted their self-evaluation, due on {d(SELF_DUE)}.",
        ),
        (
            "hr",
            6,
            f"6 people in {LABEL} have not submitted their self-evaluation, due on {d(SELF_DUE)}.",
        ),
    ]
    assert set(
        Reminder.objects.filter(recipient=world.users["hr"], step="overdue").values_list(
            "object_type", flat=True
        )
    ) == {"period_hr"}
    run(days_from(SELF_DUE, 2))
    run(days_from(SELF_DUE, 30))
    assert Reminder.objects.filter(rule="self_evaluation", channel="app").count() == 3
    assert Notification.objects.get(
        recipient=world.users["head"], kind="reminder.self_evaluation.overdue"
    ).url == reverse("evaluations:decision_list")


def test_hr_who_also_decides_gets_both_escalations(world: World, october: Period) -> None:
    UnitRole.objects.create(user=world.users["head"], unit=world.province, role=Role.HR_OFFICER)
    run(days_from(SELF_DUE, 1))
    assert [(name, count) for name, count, _ in sent("self_evaluation", "overdue")] == [
        ("head", 3),
        ("head", 7),
        ("head_other", 1),
        ("hr", 7),
    ]


def test_hr_below_the_organisation_or_no_longer_in_office_is_not_told(
    world: World, october: Period
) -> None:
    UnitRole.objects.filter(user=world.users["hr"]).update(valid_to=days_from(SELF_DUE, -1))
    other = UserFactory(username="hr_dept")
    UnitRole.objects.create(user=other, unit=world.dept, role=Role.HR_OFFICER)
    run(days_from(SELF_DUE, 1))
    assert [name for name, _, _ in sent("self_evaluation", "overdue")] == ["head", "head_other"]


def test_late_reviews_and_decisions_escalate(world: World, october: Period) -> None:
    submit(world, october, "staff")
    submit(world, october, "hr")
    run(days_from(DECISION_DUE, 1))
    assert sent("review", "overdue") == [
        (
            "head",
            1,
            f"1 sheet of {LABEL} has not been reviewed; the review was due on {d(REVIEW_DUE)}.",
        ),
        (
            "hr",
            1,
            f"1 sheet of {LABEL} has not been reviewed; the review was due on {d(REVIEW_DUE)}.",
        ),
    ]
    assert [(name, count) for name, count, _ in sent("decision", "overdue")] == [
        ("head", 1),
        ("hr", 1),
    ]


def test_closed_periods_remind_nobody(world: World, october: Period) -> None:
    Period.objects.filter(pk=october.pk).update(state=Period.State.DECIDED)
    assert run(days_from(SELF_DUE, -3)).reminders == 0
    assert run(days_from(DECISION_DUE, 1)).reminders == 0


# Appeals


def test_appeal_answerer_is_reminded_then_hr_is_told(world: World, october: Period) -> None:
    Period.objects.filter(pk=october.pk).update(state=Period.State.DECIDED)  # appeals come after
    due = TODAY + datetime.timedelta(days=5)
    appeal = Appeal.objects.create(
        sheet=sheet(october, world.people["staff"]),
        sheet_version=1,
        text="Tôi đề nghị xem lại mức xếp loại.",
        submitted_at=datetime.datetime.now(datetime.UTC),
        answer_due=due,
        answerer=world.users["head"],
    )
    run(days_from(due, -3))
    assert sent("appeal_answer", "before") == [
        (
            "head",
            1,
            f"The appeal of Nguyễn Văn An against their level for {LABEL} waits for an answer, "
            f"due on {d(due)}.",
        )
    ]
    run(days_from(due, 1))
    assert [name for name, _, _ in sent("appeal_answer", "overdue")] == ["head", "hr"]
    assert run(days_from(due, 2)).reminders == 0
    Appeal.objects.filter(pk=appeal.pk).update(status=Appeal.Status.UPHELD)
    Reminder.objects.all().delete()
    assert run(days_from(due, 3)).reminders == 0


# E-mail


def test_emails_go_to_the_persons_address_else_the_logins(world: World, october: Period) -> None:
    Person.objects.filter(pk=world.people["staff"].pk).update(email="an@snv.gov.vn")
    world.users["manager"].email = "chau@login.example"
    world.users["manager"].save(update_fields=["email"])
    assert run(days_from(SELF_DUE, -3)) == ReminderSummary(7, 2)
    run_row = ReminderRun.objects.get()
    assert (run_row.emails_sent, run_row.emails_failed) == (2, 0)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "an@snv.gov.vn",
        "chau@login.example",
    ]
    assert Reminder.objects.filter(channel="email", sent_at__isnull=False).count() == 2
    assert run(days_from(SELF_DUE, -2)) == ReminderSummary(0, 0)
    assert len(mail.outbox) == 2


def test_email_is_in_vietnamese(world: World, october: Period, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "vi"
    settings.SITE_URL = "https://danhgia.example.vn"
    Person.objects.filter(pk=world.people["staff"].pk).update(email="an@snv.gov.vn")
    run(days_from(SELF_DUE, -3))
    (message,) = mail.outbox
    staff_sheet = sheet(october, world.people["staff"])
    assert message.subject == f"Hạn tự đánh giá {d(SELF_DUE)}"
    body = message.body
    assert "Nguyễn Văn An" in body
    assert "Tỉnh Thử nghiệm · Tháng 10/2026" in body
    assert f"https://danhgia.example.vn/danh-gia/phieu/{staff_sheet.pk}/" in body
    assert "https://danhgia.example.vn/thong-bao/" in body


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise OSError("mail server down")


def test_a_failed_email_is_recorded_and_the_app_notice_stays(
    world: World, october: Period, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "tests.reminders.test_reminders.FailingBackend"
    Person.objects.filter(pk=world.people["staff"].pk).update(email="an@snv.gov.vn")
    assert run(days_from(SELF_DUE, -3)) == ReminderSummary(7, 1)
    run_row = ReminderRun.objects.get()
    assert (run_row.emails_sent, run_row.emails_failed) == (0, 1)
    failed = Reminder.objects.get(channel="email")
    assert (failed.sent_at, failed.error) == (None, "mail server down")
    assert Notification.objects.filter(recipient=world.users["staff"]).count() == 1
    assert run(days_from(SELF_DUE, -2)) == ReminderSummary(0, 0)


# The job's cost does not grow with the number of sheets


def _queries_for(world: World, people: int) -> int:
    with transaction.atomic():
        unit = UnitFactory(code=f"Q{people}", name="Đơn vị đo", parent=world.province)
        division = UnitFactory(
            code=f"Q{people}-P", name="Phòng đo", parent=unit, kind=UnitKind.DIVISION
        )
        head = UserFactory(username=f"q{people}-head")
        PersonFactory(unit=unit, user=head, email="head@q.vn")
        UnitRole.objects.create(user=head, unit=unit, role=Role.HEAD)
        for number in range(people):
            user = UserFactory(username=f"q{people}-{number}")
            PersonFactory(unit=division, user=user, email=f"{number}@q.vn")
        period = open_period(
            unit,
            OCT,
            by=world.users["hr"],
            deadlines={
                "self_evaluation_due": SELF_DUE,
                "review_due": REVIEW_DUE,
                "decision_due": DECISION_DUE,
            },
        )
        assert Sheet.objects.filter(period=period).count() == people + 1
        with CaptureQueriesContext(connection) as queries:
            assert run(days_from(SELF_DUE, -3)).reminders == people + 1
            assert run(days_from(SELF_DUE, 1)).reminders == 2  # the head and HR
        transaction.set_rollback(True)
    return len(queries)


def test_the_job_costs_the_same_queries_for_one_sheet_or_three(
    world: World, rulebooks: None
) -> None:
    assert _queries_for(world, 1) == _queries_for(world, 3)


# The huey task and the command


def test_the_huey_task_runs_the_job_for_today(world: World, rulebooks: None) -> None:
    open_october(world, self_due=TODAY + datetime.timedelta(days=1))
    send_daily_reminders()  # immediate mode under pytest: runs inline
    assert ReminderRun.objects.get().day == TODAY
    assert Reminder.objects.filter(rule="self_evaluation").count() == 7


def test_the_command_runs_for_a_date(world: World, october: Period) -> None:
    out = StringIO()
    day = days_from(SELF_DUE, -3)
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    assert out.getvalue() == "7 reminder(s) sent; 0 e-mail(s) queued.\n"
    assert ReminderRun.objects.get().day == day


def test_the_command_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "25/10/2026")


# Two runs at the same moment (PostgreSQL: SQLite serialises writers anyway)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_once(world: World, rulebooks: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    import threading

    from django.db import connections

    open_october(world)
    Person.objects.filter(pk=world.people["staff"].pk).update(email="an@snv.gov.vn")
    start = threading.Barrier(2)
    results: list[ReminderSummary] = []

    def job() -> None:
        try:
            start.wait()
            results.append(run(days_from(SELF_DUE, -3)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(summary.reminders for summary in results) == [0, 7]
    assert sorted(summary.emails for summary in results) == [0, 1]
    assert Reminder.objects.filter(channel="app").count() == 7
    assert Notification.objects.count() == 7
    assert len(mail.outbox) == 1
