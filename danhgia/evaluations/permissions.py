"""Typed predicates of the evaluations app. Views turn False into 403 (after a scoped fetch: 404).

Who acts on a sheet (its reviewer, its decider, a deputy by delegation, a stand-in when the
named one is gone) is `holders.py`: one rule for the lists and these predicates. Nobody
reviews or decides their own sheet.
"""

from danhgia.accounts.models import User
from danhgia.evaluations.holders import (
    DECIDER_ROLES,
    OPEN_PERIOD_STATES,
    REVIEWER_ROLES,
    delegated_to,
    delegations_in_force,
    holds_for_decision,
    may_decide_now,
    may_review_now,
)
from danhgia.evaluations.holders import reviewed_by_decider as reviewed_by_decider
from danhgia.evaluations.models import Appeal, Delegation, Period, Rulebook, Sheet
from danhgia.organisations.models import Person, Role, Unit, UnitRole
from danhgia.organisations.permissions import has_role_over
from danhgia.organisations.queries import active_roles

PERIOD_MANAGERS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN}

# The person holds the sheet while it is in these states; the manager and head after.
OWNER_STATUSES: frozenset[str] = frozenset({Sheet.Status.DRAFT, Sheet.Status.RETURNED})


def is_owner(user: User, sheet: Sheet) -> bool:
    return user.is_authenticated and sheet.person.user_id == user.pk


def acts_as_decider(user: User, sheet: Sheet) -> bool:
    """Whoever holds the sheet's decision now (`holders.holds_decision`), whatever its state."""
    return holds_for_decision(user, sheet)


def can_self_evaluate(user: User, sheet: Sheet) -> bool:
    """The person scores themself while the sheet is with them and the period is open."""
    return (
        is_owner(user, sheet)
        and sheet.status in OWNER_STATUSES
        and sheet.period.state in OPEN_PERIOD_STATES
    )


def can_withdraw_submission(user: User, sheet: Sheet) -> bool:
    """The person takes back their submitted sheet until someone reviews it (period open)."""
    return (
        is_owner(user, sheet)
        and sheet.status == Sheet.Status.SUBMITTED
        and sheet.period.state in OPEN_PERIOD_STATES
    )


def can_review(user: User, sheet: Sheet) -> bool:
    """Submitted, in an open period, and the user holds its review (`holders.reviewable_by`)."""
    return may_review_now(user, sheet)


def can_decide(user: User, sheet: Sheet) -> bool:
    """Ready for a decision, in an open period, and the user holds it (`holders.decidable_by`)."""
    return may_decide_now(user, sheet)


def can_manage_periods(user: User, organisation: Unit | None = None) -> bool:
    """HR officers and system administrators open, move on and close periods of their scope
    (any organisation when None: may they manage some period at all?)."""
    return has_role_over(user, PERIOD_MANAGERS, organisation)


def can_clone_rulebook(user: User, rulebook: Rulebook) -> bool:
    """HR and admins clone a national rulebook, or one of an organisation in their scope, into
    an organisation of their scope."""
    if rulebook.organisation is None:
        return can_manage_periods(user)
    return can_manage_periods(user, rulebook.organisation)


def can_edit_rulebook(user: User, rulebook: Rulebook) -> bool:
    """A rulebook no period uses, of an organisation in the user's HR or admin scope (a
    national one is changed by cloning it)."""
    return (
        not rulebook.is_frozen
        and rulebook.organisation is not None
        and can_manage_periods(user, rulebook.organisation)
    )


def can_view_sheet(user: User, sheet: Sheet) -> bool:
    """The person, whoever reviews or decides it, and every role whose scope covers the unit."""
    if not user.is_authenticated:
        return False
    if is_owner(user, sheet) or user.pk in (sheet.reviewer_id, sheet.decider_id):
        return True
    if has_role_over(user, set(Role.values), sheet.unit):
        return True
    delegated = delegated_to(user, "reviewer") | delegated_to(user, "decider")
    return bool(delegations_in_force(user)) and (
        Sheet.objects.filter(delegated, pk=sheet.pk).exists()
    )


def can_follow_team(user: User) -> bool:
    """Managers and heads (and deputies holding a delegation) follow their team's month."""
    if any(role.role in REVIEWER_ROLES | DECIDER_ROLES for role in active_roles(user)):
        return True
    return bool(delegations_in_force(user))


def can_delegate(user: User, unit: Unit) -> bool:
    """A head delegates the review and decision of a unit under their headship."""
    return has_role_over(user, DECIDER_ROLES, unit)


def can_revoke_delegation(user: User, delegation: Delegation) -> bool:
    """The head who gave it, or HR and admins over its unit, while it is not revoked."""
    if delegation.revoked_at is not None:
        return False
    return delegation.head_id == user.pk or can_manage_periods(user, delegation.unit)


# Reopening and appeals

REOPENABLE_PERIOD_STATES: frozenset[str] = frozenset({Period.State.DECIDED, Period.State.CLOSED})


def units_above_decider(sheet: Sheet) -> list[int]:
    """Ids of the units strictly above the decider's unit: the nearest unit above the person
    where the named decider held the headship during the period (the sheet's own unit when
    there is none), as `services.decisions.scope_path` finds it for the quota."""
    chain = sheet.unit.ancestor_ids or [sheet.unit.pk]
    held = set(
        UnitRole.objects.overlapping(sheet.period.start, sheet.period.end)
        .filter(user_id=sheet.decider_id, role=Role.HEAD, unit_id__in=chain)
        .values_list("unit_id", flat=True)
        if sheet.decider_id is not None
        else []
    )
    for index in range(len(chain) - 1, -1, -1):
        if chain[index] in held:
            return chain[:index]
    return chain[:-1]


def is_superior_head(user: User, sheet: Sheet) -> bool:
    """The user heads (today) a unit strictly above the unit of the sheet's decider."""
    above = set(units_above_decider(sheet))
    return any(role.role in DECIDER_ROLES and role.unit_id in above for role in active_roles(user))


def can_reopen_sheet(user: User, sheet: Sheet) -> bool:
    """A decided sheet is reopened by HR or an admin over its unit, or by a head above the
    decider's unit; never by the person. (The period must be open again: the service says so.)"""
    if not user.is_authenticated or is_owner(user, sheet) or not sheet.is_decided:
        return False
    return has_role_over(user, PERIOD_MANAGERS, sheet.unit) or is_superior_head(user, sheet)


def can_reopen_period(user: User, period: Period) -> bool:
    """HR and admins over the organisation reopen its decided or closed periods."""
    return can_manage_periods(user, period.organisation)


def can_appeal(user: User, sheet: Sheet) -> bool:
    """The person appeals their own decided level (the window and a pending appeal are
    checked by the service, whose message names the deadline)."""
    return is_owner(user, sheet) and sheet.is_decided


def can_answer_appeal(user: User, appeal: Appeal) -> bool:
    """The named answerer of a pending appeal (for the decider: whoever acts as decider);
    HR or an admin over the unit when nobody is named."""
    sheet = appeal.sheet
    if appeal.status != Appeal.Status.SUBMITTED or not user.is_authenticated:
        return False
    if is_owner(user, sheet):
        return False
    if appeal.answerer_id is None:
        return has_role_over(user, PERIOD_MANAGERS, sheet.unit)
    if appeal.answerer_id == user.pk:
        return True
    return appeal.answerer_id == sheet.decider_id and acts_as_decider(user, sheet)


def can_withdraw_appeal(user: User, appeal: Appeal) -> bool:
    return appeal.status == Appeal.Status.SUBMITTED and is_owner(user, appeal.sheet)


# Discipline, leave, transfers and the organisation's policy (views/records.py)


def can_keep_records(user: User, unit: Unit | None = None) -> bool:
    """HR officers and system administrators keep discipline and leave of the people of
    their scope (of `unit`; any unit when None: may they open the register at all?)."""
    return has_role_over(user, PERIOD_MANAGERS, unit)


def can_view_records(user: User, person: Person) -> bool:
    """A person's own records, read-only; every role whose scope covers their unit."""
    if not user.is_authenticated:
        return False
    return person.user_id == user.pk or has_role_over(user, set(Role.values), person.unit)


def can_transfer(user: User, person: Person) -> bool:
    """HR or an admin over the person's unit (the target unit is checked by the service)."""
    return has_role_over(user, PERIOD_MANAGERS, person.unit)


def can_edit_policy(user: User, organisation: Unit | None = None) -> bool:
    return has_role_over(user, PERIOD_MANAGERS, organisation)
