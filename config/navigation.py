"""Navigation entries for the signed-in user, as booleans the base template reads."""

from typing import Any

from django.http import HttpRequest

from danhgia.organisations.permissions import can_import
from danhgia.organisations.queries import active_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_has_scope": bool(active_roles(user)),
        "nav_can_import": can_import(user),
        "nav_person": getattr(user, "person", None),
    }
