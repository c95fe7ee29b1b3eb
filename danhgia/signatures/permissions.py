"""Typed predicates of the signatures app. Views turn False into 403 (after a scoped fetch: 404).

Who signs a month summary is `reports.exports.permissions.can_sign_month` (the export page
links here with it), re-exported below.
A signed file is for whoever may export the unit's month (every role over the unit).
Verifying a PDF is open to everyone, signed in or not; anyone signed in keeps their own
certificate (it lets them sign only where a predicate above allows).
"""

from danhgia.accounts.models import User
from danhgia.annual import permissions as annual_permissions
from danhgia.annual.models import AnnualSheet
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.permissions import acts_as_decider
from danhgia.reports.exports.permissions import can_export_unit
from danhgia.reports.exports.permissions import can_sign_month as can_sign_month
from danhgia.signatures.models import SignedDocument


def can_sign_sheet(user: User, sheet: Sheet) -> bool:
    """A monthly sheet carries its decider's decision: they sign it (a deputy holding a
    delegation, or the stand-in, as `holders.holds_for_decision` says)."""
    return acts_as_decider(user, sheet)


def can_sign_annual_sheet(user: User, sheet: AnnualSheet) -> bool:
    """The annual form carries its decider's decision (`annual.permissions.acts_as_decider`)."""
    return annual_permissions.acts_as_decider(user, sheet)


def can_download_signed(user: User, document: SignedDocument) -> bool:
    return can_export_unit(user, document.unit)
