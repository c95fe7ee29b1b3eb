"""Typed predicates of the signatures app. Views turn False into 403 (after a scoped fetch: 404).

The month summary carries the head's decision, so it is signed by whoever decides the unit's
month: a head over the unit (evaluations.holders.DECIDER_ROLES, the rule delegations use).
A signed file is for whoever may export the unit's month (every role over the unit).
Verifying a PDF is open to everyone, signed in or not; anyone signed in keeps their own
certificate (it lets them sign only where a predicate above allows).
"""

from danhgia.accounts.models import User
from danhgia.evaluations.holders import DECIDER_ROLES
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.permissions import acts_as_decider
from danhgia.organisations.models import Unit
from danhgia.organisations.permissions import has_role_over
from danhgia.reports.exports.permissions import can_export_unit
from danhgia.signatures.models import SignedDocument


def can_sign_month(user: User, unit: Unit) -> bool:
    return has_role_over(user, DECIDER_ROLES, unit)


def can_sign_sheet(user: User, sheet: Sheet) -> bool:
    """A monthly sheet carries its decider's decision: they sign it (a deputy holding a
    delegation, or the stand-in, as `holders.holds_for_decision` says)."""
    return acts_as_decider(user, sheet)


def can_download_signed(user: User, document: SignedDocument) -> bool:
    return can_export_unit(user, document.unit)
