"""Reminders of the annual decision deadline (danhgia/reminders/rules/annual.py): the decider
of pending annual results is reminded before it, the decider and HR after it, each once."""

import datetime

import pytest

from danhgia.reminders.models import Reminder
from danhgia.reminders.services import send_reminders
from tests.annual.conftest import OpenYear
from tests.conftest import World


@pytest.mark.django_db
def test_the_annual_decision_is_reminded_then_escalated_once(
    world: World, decided: object, open_year: OpenYear
) -> None:
    decided(world.people["staff"], range(1, 13), 90)  # type: ignore[operator]
    period = open_year()
    due = period.decision_due
    send_reminders(due - datetime.timedelta(days=10))  # too early
    assert not Reminder.objects.filter(rule="annual_decision").exists()
    send_reminders(due - datetime.timedelta(days=2))
    send_reminders(due - datetime.timedelta(days=1))  # the same deadline: not again
    before = Reminder.objects.filter(rule="annual_decision", step="before")
    heads = {reminder.recipient for reminder in before}
    assert heads == {world.users["head"]}
    assert before.filter(channel="app").count() == 1
    # Written in the site's language, whatever the language of the run.
    message = before.first().message  # type: ignore[union-attr]
    assert message.startswith("1 kết quả xếp loại năm của Tỉnh Thử nghiệm")
    send_reminders(due + datetime.timedelta(days=1))
    send_reminders(due + datetime.timedelta(days=2))
    overdue = Reminder.objects.filter(rule="annual_decision", step="overdue", channel="app")
    assert {reminder.recipient for reminder in overdue} == {
        world.users["head"],
        world.users["hr"],
    }
    assert overdue.count() == 2
