"""Notifications: every signed-in person has their own."""

from tests.matrix import Row

ROWS = [
    Row("core:notifications", "302 200 200 200 200 200 200 200"),
    Row("core:notifications_mark_read", "302 302 302 302 302 302 302 302", method="post"),
    Row("core:notification_open", "302 302 302 302 302 302 302 302", method="post"),
]
