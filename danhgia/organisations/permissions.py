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


# Who may grant what. Roles rank from the highest; only the roles in GRANTING_ROLES grant,
# and each grants the roles at or below its own rank, within the units it covers (an HR officer
# of a department: that department and, with sub-units, below it; a system administrator:
# everywhere). So an HR officer grants every role but system administrator, and only a system
# administrator makes a system administrator. Nobody grants or ends a role of their own.
ROLE_RANK: list[str] = [
    Role.SYSTEM_ADMIN,
    Role.HR_OFFICER,
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.MANAGER,
    Role.SUPERVISOR,
    Role.OFFICE,
]
GRANTING_ROLES: set[str] = {Role.SYSTEM_ADMIN, Role.HR_OFFICER}


def _grants(holder: UnitRole, role: str, unit: Unit, include_subunits: bool) -> bool:
    """May `holder` (a role in force) grant `role` in `unit`? Not above its rank, and a role
    covering no more units than `holder` covers."""
    if holder.role not in GRANTING_ROLES:
        return False
    if ROLE_RANK.index(role) < ROLE_RANK.index(holder.role):
        return False
    if holder.role == Role.SYSTEM_ADMIN or holder.include_subunits:
        return _covers(holder, unit)
    return holder.unit_id == unit.pk and not include_subunits


def grantable_roles(user: User, unit: Unit, include_subunits: bool = False) -> list[str]:
    """The roles `user` may grant to someone else in `unit`, highest first."""
    holders = active_roles(user)
    return [
        role
        for role in ROLE_RANK
        if any(_grants(holder, role, unit, include_subunits) for holder in holders)
    ]


def can_grant_role(
    user: User, grantee: User, role: str, unit: Unit, *, include_subunits: bool
) -> bool:
    """May `user` give `grantee` `role` in `unit`? Never to themselves; the grantee's own unit
    must also be in the granter's scope (a user without a person: system administrators only)."""
    if grantee.pk == user.pk or role not in ROLE_RANK:
        return False
    holders = [h for h in active_roles(user) if _grants(h, role, unit, include_subunits)]
    person: Person | None = getattr(grantee, "person", None)
    return any(
        holder.role == Role.SYSTEM_ADMIN or (person is not None and _covers(holder, person.unit))
        for holder in holders
    )


def can_end_role(user: User, unit_role: UnitRole) -> bool:
    """Ending a role takes the power to grant it (and never one's own)."""
    return can_grant_role(
        user,
        unit_role.user,
        unit_role.role,
        unit_role.unit,
        include_subunits=unit_role.include_subunits,
    )


def can_assign_roles(user: User, unit: Unit) -> bool:
    """Whether the unit's page offers "assign a role": some role is grantable there."""
    return bool(grantable_roles(user, unit))


def can_view_history(user: User, unit: Unit) -> bool:
    """The change history of a person or unit: HR, admins and supervisors of the scope."""
    return has_role_over(user, _ORG_EDITORS | {Role.SUPERVISOR, Role.HEAD}, unit)
