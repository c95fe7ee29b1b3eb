"""The head's decision on a month or a quarter: one sheet, or every proposal of a unit at
once. The workflow, vetoes and the quota are the decision round's (`evaluations/rounds/`):
the quota is judged on how the decisions and the standing proposals end, not on the order
of the clicks.

A decision is final here (reopening is `reopen.py`). One decision locks the sheets of its
quota scope (the decider's unit) and holds the period shared, so two decisions of one scope
cannot both pass the quota while decisions of other units go on (`rounds/decide.lock_scope`);
"accept all" locks the period itself, as HR's changes to it do.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.evaluations.holders import decidable_by
from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rounds.decide import AcceptResult, Skipped, accept_all, decide
from danhgia.evaluations.rounds.month import DECISION_FIELDS, MONTH
from danhgia.evaluations.services.sheets import rescore_leaders
from danhgia.organisations.models import Unit

__all__ = ["DECISION_FIELDS", "AcceptResult", "Skipped", "accept_all_proposals", "decide_sheet"]


@transaction.atomic
def decide_sheet(
    sheet: Sheet, *, by: User, level: str, reason: str = "", use_exception: bool = False
) -> Sheet:
    """The head decides the level of a reviewed sheet (a submitted one when nobody but the
    head reviews that person): DECIDED, for good.

    A veto (discipline, finding) forces the lowest level, recorded with its reason; no other
    level is accepted. Otherwise a level other than the score's band needs a reason. The
    quota of the decider's unit refuses the decision only when the round could no longer
    end within it (even with every open level at "good"); the rulebook may then allow the
    exception share with a reason (`use_exception`, recorded) or block.

    Logs `sheet.decided` with before/after; notifies the person. Raises EvaluationError for
    anyone but the decider (or a stand-in when they are gone), a sheet not ready or already
    decided, a closed period, the decision deadline passed, an unknown level, a level other
    than a veto's, a missing reason, or the quota.
    """
    decided: Sheet = decide(
        MONTH, sheet, by=by, level=level, reason=reason, use_exception=use_exception
    )
    rescore_leaders([decided], by=by)  # their leaders' d follows the decided level
    return decided


@transaction.atomic
def accept_all_proposals(period: Period, unit: Unit, *, by: User) -> AcceptResult:
    """Decide every reviewed sheet of `unit` (and below) whose decision `by` holds
    (`holders.decidable_by`), at the manager's proposed level (the band when none was proposed).

    Skipped, with the reason: a proposal other than the band (it needs the head's reason), a
    veto (decided on its own page, where it is shown), and a proposal the quota refuses (the
    same judgement as one decision). Levels below the top are decided first and the top
    level by descending score. Each decision logs `sheet.decided` and notifies the person.
    Raises EvaluationError for a closed period or the decision deadline passed.
    """
    period = MONTH.lock_period(period.pk)
    MONTH.require_deciding(period)
    sheets = list(
        Sheet.objects.select_for_update(of=("self",))
        .select_related("period", "person", "unit")
        .filter(decidable_by(by), period=period, unit__path__startswith=unit.path)
        .order_by("pk")
    )
    result = AcceptResult()
    # Sheets the head reviews themself have no manager's proposal to accept: they are listed,
    # so the head opens each one, rather than accepting a self-proposal unseen.
    for sheet in [sheet for sheet in sheets if sheet.status == Sheet.Status.SUBMITTED]:
        result.skipped.append(
            Skipped(sheet, _("You review this sheet yourself: open it and decide it on its own."))
        )
    sheets = [sheet for sheet in sheets if sheet.status == Sheet.Status.REVIEWED]
    accept_all(MONTH, period, sheets, by=by, result=result)
    rescore_leaders(result.decided, by=by)  # their leaders' d follows the decided levels
    return result
