"""Typed predicates of initiatives, emulation and rewards. Views turn False into 403 (after a
scoped fetch: 404)."""

from danhgia.accounts.models import User
from danhgia.evaluations.permissions import can_view_records
from danhgia.organisations.models import Person, Role, Unit
from danhgia.organisations.permissions import has_role_over
from danhgia.organisations.queries import active_roles
from danhgia.reports.recognition.models import Initiative

KEEPERS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN}
ASSESSORS: set[str] = KEEPERS | {Role.HEAD}
PROPOSERS: set[str] = ASSESSORS | {Role.DEPUTY_HEAD, Role.MANAGER}


def can_view_person_record(user: User, person: Person) -> bool:
    """The person, and every role whose scope covers their unit (as the evaluation record)."""
    return can_view_records(user, person)


def can_propose_initiative(user: User, person: Person) -> bool:
    """A person proposes their own initiative; a leader or HR over the unit proposes one for
    a person of their unit."""
    if not user.is_authenticated:
        return False
    return person.user_id == user.pk or has_role_over(user, PROPOSERS, person.unit)


def proposes_for_others(user: User) -> bool:
    """May the user propose for someone else at all (the form then asks whose initiative)?"""
    return has_role_over(user, PROPOSERS)


def can_assess_initiative(user: User, initiative: Initiative) -> bool:
    """HR or the head over the author's unit (at the proposal) records the council's
    assessment of a waiting initiative; never the author."""
    if not user.is_authenticated or initiative.status != Initiative.Status.PROPOSED:
        return False
    if initiative.person.user_id == user.pk:
        return False
    return has_role_over(user, ASSESSORS, initiative.unit)


def can_manage_emulation(user: User, organisation: Unit | None = None) -> bool:
    """HR and admins build emulation proposals and record reward decisions for their scope
    (any organisation when None)."""
    return has_role_over(user, KEEPERS, organisation)


def can_view_proposals(user: User, organisation: Unit | None = None) -> bool:
    """HR, admins and heads read the emulation proposals of their scope."""
    return has_role_over(user, ASSESSORS, organisation)


def can_view_rewards(user: User) -> bool:
    """Every role holder reads the reward decisions of their scope (a person sees their own on
    their record page)."""
    return bool(active_roles(user))


def can_edit_titles(user: User) -> bool:
    """Emulation titles apply everywhere: HR or an admin of a top-level unit edits them."""
    return any(role.role in KEEPERS and role.unit.parent_id is None for role in active_roles(user))
