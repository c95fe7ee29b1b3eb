"""Typed predicates of the dashboards and supervision. Views turn False into 403 (after a
scoped fetch: 404)."""

from danhgia.accounts.models import User
from danhgia.organisations.models import Person, Role, Unit
from danhgia.organisations.permissions import has_role_over

SUPERVISORS: set[str] = {Role.SUPERVISOR, Role.HR_OFFICER, Role.SYSTEM_ADMIN}
THRESHOLD_EDITORS: set[str] = {Role.SUPERVISOR, Role.HR_OFFICER, Role.SYSTEM_ADMIN}


def can_view_dashboard(user: User, unit: Unit | None = None) -> bool:
    """Every role whose scope covers the unit (any unit when None) sees its figures."""
    return has_role_over(user, set(Role.values), unit)


def can_view_person_dashboard(user: User, person: Person) -> bool:
    """The person themself, and every role whose scope covers their unit."""
    if not user.is_authenticated:
        return False
    return person.user_id == user.pk or can_view_dashboard(user, person.unit)


def can_supervise(user: User, unit: Unit | None = None) -> bool:
    """Supervisors (Ban Tổ chức, Ủy ban Kiểm tra, inspection), HR officers and administrators
    read the supervision flags of their scope."""
    return has_role_over(user, SUPERVISORS, unit)


def can_read_integrity_details(user: User) -> bool:
    """The integrity checks cover the whole installation: the mismatches they name (people,
    units) are shown only to those who supervise every top-level unit; others see the counts."""
    roots = Unit.objects.filter(parent__isnull=True)
    return roots.exists() and all(can_supervise(user, root) for root in roots)


def can_edit_thresholds(user: User, unit: Unit) -> bool:
    return has_role_over(user, THRESHOLD_EDITORS, unit)
