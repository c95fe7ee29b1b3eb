"""Navigation entries for the signed-in user, as booleans the base template reads."""

from typing import Any

from django.http import HttpRequest

from danhgia.core.models import Notification
from danhgia.evaluations.permissions import DECIDER_ROLES, can_manage_periods
from danhgia.evaluations.queries import delegations_in_force
from danhgia.organisations.permissions import can_import
from danhgia.organisations.queries import active_roles
from danhgia.work.permissions import can_assign_in, can_edit_catalogue


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_has_scope": bool(active_roles(user)),
        "nav_can_import": can_import(user),
        "nav_can_assign": can_assign_in(user),
        "nav_can_edit_catalogue": can_edit_catalogue(user),
        "nav_person": getattr(user, "person", None),
        "nav_decides": any(role.role in DECIDER_ROLES for role in active_roles(user))
        or bool(delegations_in_force(user)),
        "nav_manages_periods": can_manage_periods(user),
        "nav_unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    }
