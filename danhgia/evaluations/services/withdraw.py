"""A submitted sheet taken back by its owner before anyone reviews it."""

from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.permissions import is_owner
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import locked, require_period_open, sheet_url
from danhgia.evaluations.services.sheets import rescore_leaders


def withdraw_submission(sheet: Sheet, *, by: User) -> Sheet:
    """The owner takes back a sheet that waits for review: it is theirs again, as it was
    before they submitted (returned for correction, if it had been returned, else a draft).
    Logs `sheet.withdrawn` and tells the reviewer (the decider when nobody else reviews).

    Raises EvaluationError for anyone but the owner, a sheet already reviewed or decided, or
    a closed period.
    """
    sheet = locked(sheet)
    if not is_owner(by, sheet):
        raise EvaluationError(
            _("Only %(name)s may withdraw this sheet.") % {"name": sheet.person.full_name}
        )
    if sheet.status != Sheet.Status.SUBMITTED:
        raise EvaluationError(
            _(
                "This sheet is no longer waiting for review (%(status)s): it can no longer be "
                "withdrawn. Ask your reviewer to return it if something must change."
            )
            % {"status": sheet.get_status_display()}
        )
    require_period_open(sheet)
    back_to = Sheet.Status.RETURNED if sheet.return_reason else Sheet.Status.DRAFT
    sheet.status = back_to
    sheet.save(update_fields=["status"])
    log_action(
        sheet,
        "sheet.withdrawn",
        by=by,
        data={"before": {"status": Sheet.Status.SUBMITTED}, "after": {"status": back_to}},
    )
    notify(
        sheet.reviewer or sheet.decider,
        _("%(name)s withdrew their self-evaluation for %(period)s to correct it.")
        % {"name": sheet.person.full_name, "period": sheet.period},
        url=sheet_url(sheet),
        kind="sheet.withdrawn",
    )
    rescore_leaders([sheet], by=by)  # their leaders' d follows, as at submission
    return sheet
