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
    "sheet.returned": gettext_lazy("sheet returned for correction"),
    "sheet.reviewed": gettext_lazy("sheet reviewed"),
    "sheet.decided": gettext_lazy("level decided"),
}
