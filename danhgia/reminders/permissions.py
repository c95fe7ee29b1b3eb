"""Typed predicates of the reminders app. Views turn False into 403."""

from danhgia.accounts.models import User
from danhgia.organisations.models import Role
from danhgia.organisations.permissions import has_role_over

REMINDER_READERS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN}


def can_view_reminders(user: User) -> bool:
    """HR officers and system administrators see the reminders sent in their scope."""
    return has_role_over(user, REMINDER_READERS)
