"""A proposal that differs from the band of the score needs a reason: the person's when they
submit (`Sheet.level_reason`), the manager's comment when they review. The one rule the
self-evaluation and review pages apply (and the live hint of the form mirrors); the services
underneath accept any level, as the head's decision does within the rulebook's ceiling."""

import json

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danhgia.evaluations.models import Sheet
from danhgia.evaluations.rules.levels import level_name
from danhgia.evaluations.rules.schema import RulebookConfig


def missing_reason(config: RulebookConfig, sheet: Sheet, proposed: str, reason: str) -> str | None:
    """The message to show when `proposed` differs from the sheet's band (its total as just
    saved) and `reason` is blank; None when nothing is missing."""
    if not proposed or not sheet.band or proposed == sheet.band or reason.strip():
        return None
    return _(
        "You propose “%(proposed)s” but the score (%(total)s points) gives “%(band)s”: write "
        "why, or propose “%(band)s”."
    ) % {
        "proposed": level_name(config, proposed),
        "band": level_name(config, sheet.band),
        "total": number_format(sheet.total, 2),
    }


def live_total_context(
    config: RulebookConfig, sheet: Sheet, *, reviewing: bool = False
) -> dict[str, object]:
    """What the form's live hint (static/js/live_total.js) needs to show the total and band
    while scores are typed, and to warn before submitting that a reason is needed: the task
    points (fixed while the form is open), each level's name and minimum score, the texts; as
    JSON for an attribute of the page (no inline script: the pages' content policy allows
    none)."""
    return {
        "live_total": json.dumps(
            {
                "task_points": str(sheet.task_points),
                "levels": [
                    {"code": level.code, "name": level.name, "min": str(level.min_score)}
                    for level in config.levels
                ],
                "reason_field": "comment" if reviewing else "level_reason",
                "total_text": _("Total with these scores: %(total)s points, “%(band)s”."),
                "differs_text": _(
                    "The level you propose differs from “%(band)s”: write why before you submit."
                ),
            }
        )
    }
