"""Typed predicates: may this user do this to this object? Views turn False into 403."""

from danhgia.accounts.models import User
from danhgia.organisations.models import Person, Role, Unit, UnitRole
from danhgia.organisations.queries import active_roles

_ORG_EDITORS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN}


def _covers(role: UnitRole, unit: Unit) -> bool:
    if role.role == Role.SYSTEM_ADMIN:
        return True
    if role.include_subunits:
        return unit.path.startswith(role.unit.path)
    return role.unit_id == unit.pk


def has_role_over(user: User, roles: set[str], unit: Unit | None = None) -> bool:
    """True when one of the user's active `roles` covers `unit` (any unit when None)."""
    return any(
        role.role in roles and (unit is None or _covers(role, unit)) for role in active_roles(user)
    )


def can_edit_organisation(user: User, unit: Unit | None = None) -> bool:
    """HR officers and system administrators edit units and people within their scope."""
    return has_role_over(user, _ORG_EDITORS, unit)


def can_import(user: User) -> bool:
    return can_edit_organisation(user)


def can_edit_person(user: User, person: Person) -> bool:
    return can_edit_organisation(user, person.unit)


def can_assign_roles(user: User, unit: Unit) -> bool:
    return can_edit_organisation(user, unit)


def can_view_history(user: User, unit: Unit) -> bool:
    """The change history of a person or unit: HR, admins and supervisors of the scope."""
    return has_role_over(user, _ORG_EDITORS | {Role.SUPERVISOR, Role.HEAD}, unit)
