"""Reads of the reminders app scoped to a user."""

from django.db.models import QuerySet

from danhgia.accounts.models import User
from danhgia.organisations.queries import units_visible_to
from danhgia.reminders.models import Reminder
from danhgia.reminders.permissions import can_view_reminders


def reminders_visible_to(user: User) -> QuerySet[Reminder]:
    """Reminders about organisations in the user's scope, for those who may read them."""
    if not can_view_reminders(user):
        return Reminder.objects.none()
    return Reminder.objects.filter(organisation__in=units_visible_to(user))
