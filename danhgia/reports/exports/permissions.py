"""Typed predicates of the exports app. Views turn False into 403 (after a scoped fetch: 404).

A document shows what its page shows, so the same people may download it: a sheet's PDF is
for whoever may read the sheet; a unit's month or annual forms for every role whose scope
covers the unit; an export job's file only for the person who asked for it.
"""

from danhgia.accounts.models import User
from danhgia.annual import permissions as annual_permissions
from danhgia.annual.models import AnnualSheet
from danhgia.evaluations import permissions as evaluation_permissions
from danhgia.evaluations.holders import DECIDER_ROLES
from danhgia.evaluations.models import Sheet
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.permissions import has_role_over
from danhgia.reports.exports.models import ExportJob


def can_export_sheet(user: User, sheet: Sheet) -> bool:
    """The person, their reviewer and decider, and every role over the unit."""
    return evaluation_permissions.can_view_sheet(user, sheet)


def can_export_annual_sheet(user: User, sheet: AnnualSheet) -> bool:
    return annual_permissions.can_view_sheet(user, sheet)


def can_export_unit(user: User, unit: Unit) -> bool:
    """Every role whose scope covers the unit (they read its sheets on the pages already)."""
    return has_role_over(user, set(Role.values), unit)


def can_sign_month(user: User, unit: Unit) -> bool:
    """The month summary carries the head's decision, so it is signed by whoever decides the
    unit's month: a head over the unit (DECIDER_ROLES, the rule delegations use). The
    signatures app signs; the export page only links to it."""
    return has_role_over(user, DECIDER_ROLES, unit)


def can_download(user: User, job: ExportJob) -> bool:
    """Only the person who asked, once the file is ready."""
    return job.requested_by_id == user.pk and job.status == ExportJob.Status.DONE
