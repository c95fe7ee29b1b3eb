"""Typed predicates of publication. Views turn False into 403 (after a scoped fetch: 404)."""

from danhgia.accounts.models import User
from danhgia.evaluations.models import Period
from danhgia.organisations.models import Role, Unit
from danhgia.organisations.permissions import has_role_over
from danhgia.reports.publication.models import PublicationSetting, Publisher
from danhgia.reports.publication.queries import setting_for

PUBLISHABLE_STATES: frozenset[str] = frozenset({Period.State.DECIDED, Period.State.CLOSED})
SETTING_EDITORS: set[str] = {Role.HR_OFFICER, Role.SYSTEM_ADMIN}


def can_publish(
    user: User, period: Period, known: dict[int, PublicationSetting] | None = None
) -> bool:
    """Who the organisation's setting names (HR officers, or the head), over the period's
    organisation; system administrators always. The same people unpublish. (Whether the
    period is decided is the service's guard, whose message says what is missing.)"""
    if not user.is_authenticated:
        return False
    organisation = period.organisation
    if has_role_over(user, {Role.SYSTEM_ADMIN}, organisation):
        return True
    if setting_for(organisation, known).publisher == Publisher.HEAD:
        return has_role_over(user, {Role.HEAD}, organisation)
    return has_role_over(user, {Role.HR_OFFICER}, organisation)


def can_open_publication_list(user: User) -> bool:
    """The publication page is for HR, heads and admins (the page shows what each may do)."""
    return has_role_over(user, SETTING_EDITORS | {Role.HEAD})


def can_edit_setting(user: User, organisation: Unit | None = None) -> bool:
    """HR officers and admins choose their organisations' privacy and publisher."""
    return has_role_over(user, SETTING_EDITORS, organisation)
