"""Reminders: the list of reminders sent is for HR officers and system administrators."""

from tests.matrix import Row

ROWS = [
    Row("reminders:reminder_list", "302 403 403 403 403 403 200 403"),
]
