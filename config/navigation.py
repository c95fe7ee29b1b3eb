"""Navigation entries for the signed-in user, as booleans the base template reads.

Every predicate here reads the user's roles (cached for the request) or one count: the menu
costs the same few queries on every page, once: a response that renders several templates
with the request (an htmx row and its meter) reuses the entries built for the first. config
may import every app; no app imports it.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from danhgia.annual.permissions import can_manage_annual
from danhgia.api.permissions import can_manage_integrations
from danhgia.core.digests import unread_digests
from danhgia.evaluations.permissions import (
    DECIDER_ROLES,
    can_edit_policy,
    can_follow_team,
    can_keep_records,
    can_manage_periods,
)
from danhgia.evaluations.queries import delegations_in_force
from danhgia.organisations.permissions import can_import
from danhgia.organisations.queries import active_roles
from danhgia.reminders.permissions import can_view_reminders
from danhgia.reports.dashboards.permissions import can_supervise, can_view_dashboard
from danhgia.reports.publication.permissions import can_open_publication_list
from danhgia.reports.recognition.permissions import can_view_proposals, can_view_rewards
from danhgia.work.permissions import can_assign_in, can_edit_catalogue

_CACHE_ATTR = "_navigation"


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached: tuple[Any, dict[str, Any]] | None = getattr(request, _CACHE_ATTR, None)
    if cached is not None and cached[0] is user:  # signing in or out replaces the user
        return cached[1]
    entries = _entries(user)
    setattr(request, _CACHE_ATTR, (user, entries))
    return entries


def _entries(user: Any) -> dict[str, Any]:
    roles = active_roles(user)
    person = getattr(user, "person", None)
    return {
        "nav_has_scope": bool(roles),
        "nav_can_import": can_import(user),
        "nav_can_assign": can_assign_in(user),
        "nav_can_edit_catalogue": can_edit_catalogue(user),
        "nav_person": person,
        "nav_decides": any(role.role in DECIDER_ROLES for role in roles)
        or bool(delegations_in_force(user)),
        "nav_follows_team": can_follow_team(user),
        "nav_manages_periods": can_manage_periods(user),
        "nav_manages_annual": can_manage_annual(user),
        "nav_keeps_records": can_keep_records(user),
        "nav_edits_policy": can_edit_policy(user),
        "nav_reminders": can_view_reminders(user),
        "nav_integrations": can_manage_integrations(user),
        "nav_publishes": can_open_publication_list(user),
        "nav_dashboards": person is not None or can_view_dashboard(user),
        "nav_supervises": can_supervise(user),
        "nav_proposals": can_view_proposals(user),
        "nav_rewards": can_view_rewards(user),
        "nav_unread": unread_digests(user),
        # With single sign-on, logging out also ends the provider's session (accounts/oidc.py).
        "nav_sso_logout": settings.OIDC_ENABLED,
        "nav_local_passwords": settings.LOCAL_PASSWORDS,
    }
