"""Every write of the evaluations app, by sub-domain: periods, sheets, decisions.

The names of the audit actions are here so that the app registers them once (`ready()`).
"""

from typing import Any

from django.utils.translation import gettext_lazy


class EvaluationError(Exception):
    """A rule of the evaluation cycle was broken; the message is for the user and says what
    to do next."""


EVALUATION_ACTION_LABELS: dict[str, Any] = {
    "rulebook.frozen": gettext_lazy("rulebook frozen"),
    "rulebook.cloned": gettext_lazy("rulebook cloned"),
    "rulebook.updated": gettext_lazy("rulebook changed"),
    "period.opened": gettext_lazy("evaluation period opened"),
    "period.sheet_added": gettext_lazy("sheet added to a period"),
    "period.deadlines_changed": gettext_lazy("period deadlines changed"),
    "period.advanced": gettext_lazy("evaluation period moved on"),
    "period.closed": gettext_lazy("evaluation period closed"),
    "sheet.recomputed": gettext_lazy("task results recomputed"),
    "sheet.self_saved": gettext_lazy("self-evaluation saved"),
    "sheet.self_submitted": gettext_lazy("self-evaluation submitted"),
    "sheet.withdrawn": gettext_lazy("self-evaluation withdrawn before review"),
    "sheet.returned": gettext_lazy("sheet returned for correction"),
    "sheet.reviewed": gettext_lazy("sheet reviewed"),
    "sheet.decided": gettext_lazy("level decided"),
    "sheet.reopened": gettext_lazy("decided sheet reopened"),
    "period.reopened": gettext_lazy("evaluation period reopened"),
    "appeal.submitted": gettext_lazy("appeal submitted"),
    "appeal.answered": gettext_lazy("appeal answered"),
    "appeal.withdrawn": gettext_lazy("appeal withdrawn"),
    "delegation.created": gettext_lazy("decision delegated to a deputy"),
    "delegation.revoked": gettext_lazy("delegation revoked"),
    "period.sheets_added": gettext_lazy("sheets added for newcomers"),
    "discipline.recorded": gettext_lazy("discipline recorded"),
    "discipline.updated": gettext_lazy("discipline changed"),
    "discipline.deleted": gettext_lazy("discipline deleted"),
    "finding.recorded": gettext_lazy("finding recorded"),
    "leave.recorded": gettext_lazy("leave recorded"),
    "leave.updated": gettext_lazy("leave changed"),
    "leave.deleted": gettext_lazy("leave deleted"),
    "policy.updated": gettext_lazy("evaluation policy changed"),
    "person.transferred": gettext_lazy("moved to another unit"),
}
