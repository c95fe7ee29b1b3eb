"""Typed predicates of the signatures app. Views turn False into 403 (after a scoped fetch: 404).

The month summary carries the head's decision, so it is signed by whoever decides the unit's
month: a head over the unit (evaluations.holders.DECIDER_ROLES, the rule delegations use).
Verifying a PDF is open to everyone, signed in or not.
"""

from danhgia.accounts.models import User
from danhgia.evaluations.holders import DECIDER_ROLES
from danhgia.organisations.models import Unit
from danhgia.organisations.permissions import has_role_over


def can_sign_month(user: User, unit: Unit) -> bool:
    return has_role_over(user, DECIDER_ROLES, unit)
