"""Sheet pages: my sheets, a sheet (docs/domain.md §21), self-evaluation and review.

Every view fetches through a scoped query (out of scope: 404), checks a predicate (not
allowed: 403), validates a form and calls the services; a refused action keeps what was typed
and shows the service's message.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core.audit import action_label
from danhgia.core.models import AuditLog
from danhgia.evaluations import permissions
from danhgia.evaluations.forms import ReturnForm, ReviewForm, SelfEvaluationForm
from danhgia.evaluations.holders import holds_for_review
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.queries import sheets_to_review, sheets_visible_to
from danhgia.evaluations.rules.citations import sheet_citations
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.rules.scoring import LineResult
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.band_reason import live_total_context, missing_reason
from danhgia.evaluations.services.categories import sheet_config
from danhgia.evaluations.services.sheets import (
    current_lines,
    leader_assessments,
    return_sheet,
    save_self_evaluation,
    submit_review,
    submit_saved_self_evaluation,
)
from danhgia.evaluations.services.withdraw import withdraw_submission
from danhgia.evaluations.views.appeals import appeal_context
from danhgia.evaluations.views.records import sheet_records


@login_required
def my_sheets(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in person's sheets, newest period first, and the sheets waiting for them."""
    person = getattr(request.user, "person", None)
    sheets = (
        Sheet.objects.filter(person__user=request.user).select_related("period__rulebook", "unit")
        if person is not None
        else Sheet.objects.none()
    )
    to_review = sheets_to_review(request.user)
    return render(
        request,
        "evaluations/sheet_list.html",
        {
            "person": person,
            "sheets": _with_level_names(list(sheets.order_by("-period__start", "-pk"))),
            "to_review": list(to_review.order_by("period__start", "person__sort_key")),
        },
    )


def _with_level_names(sheets: list[Sheet]) -> list[Sheet]:
    """Each sheet with `decided_level_name`, the level as its rulebook names it."""
    names: dict[int, dict[str, str]] = {}
    for sheet in sheets:
        rulebook_id = sheet.rulebook_id or sheet.period.rulebook_id
        if rulebook_id not in names:
            try:
                names[rulebook_id] = level_names(sheet_config(sheet))
            except EvaluationError:
                names[rulebook_id] = {}
        sheet.decided_level_name = names[rulebook_id].get(sheet.decided_level, "")  # type: ignore[attr-defined]
    return sheets


def _sheet_or_404(request: AuthenticatedRequest, pk: int) -> Sheet:
    sheets = sheets_visible_to(request.user).select_related(
        "period__rulebook", "period__organisation", "person", "unit", "decided_by__person"
    )
    return get_object_or_404(sheets, pk=pk)


def level_names(config: RulebookConfig) -> dict[str, str]:
    return {level.code: level.name for level in config.levels}


def criteria_rows(sheet: Sheet, config: RulebookConfig) -> list[dict[str, Any]]:
    return [
        {
            "name": criterion.name,
            "max": criterion.max_points,
            "self": sheet.self_scores.get(criterion.code),
            "manager": sheet.manager_scores.get(criterion.code),
        }
        for criterion in config.criteria
    ]


def task_lines_of(sheet: Sheet) -> list[LineResult]:
    """The tasks behind the sheet's a, b and c, as the sheet page and the review show them:
    computed while the sheet is with its owner, frozen once submitted (`current_lines`)."""
    return current_lines(sheet)


def _history(sheet: Sheet) -> list[dict[str, Any]]:
    entries = (
        AuditLog.objects.filter(object_type=sheet._meta.label_lower, object_id=str(sheet.pk))
        .select_related("actor__person")
        .order_by("-id")
    )
    return [{"entry": entry, "label": action_label(entry.action)} for entry in entries]


def _sheet_context(request: AuthenticatedRequest, sheet: Sheet) -> dict[str, Any]:
    config = sheet_config(sheet)
    names = level_names(config)
    lines = task_lines_of(sheet)
    return {
        "sheet": sheet,
        "config": config,
        "criteria": criteria_rows(sheet, config),
        "cites": sheet_citations(config, sheet),
        "lines": lines,
        "assessed": leader_assessments(config, sheet),  # đ, e the reviewer assesses
        "level_names": names,
        "band_name": names.get(sheet.band, sheet.band),
        "self_level_name": names.get(sheet.self_level, ""),
        "manager_level_name": names.get(sheet.manager_level, ""),
        "decided_level_name": names.get(sheet.decided_level, ""),
        "history": _history(sheet),
        "can_self_evaluate": permissions.can_self_evaluate(request.user, sheet),
        "can_withdraw": permissions.can_withdraw_submission(request.user, sheet),
        "can_review": permissions.can_review(request.user, sheet),
        **appeal_context(request.user, sheet, config),
    }


@login_required
def sheet_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The sheet as the form of Nghị định 335 lays it out, as stored: task writes keep the
    results of a sheet with its owner up to date (a GET never writes)."""
    sheet = _sheet_or_404(request, pk)
    if not permissions.can_view_sheet(request.user, sheet):
        raise PermissionDenied
    try:
        context = _sheet_context(request, sheet)
    except EvaluationError as error:
        return render(request, "evaluations/sheet_broken.html", {"sheet": sheet, "error": error})
    context.update(sheet_records(sheet))  # leave and moves in the period (views/records.py)
    return render(request, "evaluations/sheet_detail.html", context)


@login_required
@require_POST
def sheet_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The owner takes back their submitted sheet before anyone reviews it."""
    sheet = _sheet_or_404(request, pk)
    if not permissions.can_withdraw_submission(request.user, sheet):
        if permissions.is_owner(request.user, sheet):
            messages.error(
                request,
                _("This sheet is no longer waiting for review: ask your reviewer to return it."),
            )
            return redirect("evaluations:sheet_detail", pk=sheet.pk)
        raise PermissionDenied
    try:
        withdraw_submission(sheet, by=request.user)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Withdrawn. Correct your self-evaluation and submit again."))
    return redirect("evaluations:sheet_detail", pk=sheet.pk)


@login_required
def sheet_self_evaluate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The owner scores each criterion, writes strengths and shortcomings and proposes a
    level; "save" keeps a draft, "submit" hands the sheet to the reviewer."""
    sheet = _sheet_or_404(request, pk)
    submitting = request.POST.get("action") == SelfEvaluationForm.SUBMIT
    if submitting and _already_submitted(request, sheet):
        return _to_sheet_already_submitted(request, sheet)
    if not permissions.can_self_evaluate(request.user, sheet):
        raise PermissionDenied
    config = sheet_config(sheet)
    initial = {
        **SelfEvaluationForm.initial_scores(sheet.self_scores),
        "strengths": sheet.strengths,
        "shortcomings": sheet.shortcomings,
        "proposals": sheet.proposals,
        "proposed_level": sheet.self_level,
        "level_reason": sheet.level_reason,
    }
    form = SelfEvaluationForm(request.POST or None, config=config, initial=initial)
    unexplained = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a crash between saving and submitting leaves nothing half done.
            with transaction.atomic():
                sheet = save_self_evaluation(
                    sheet,
                    by=request.user,
                    scores=form.scores(),
                    strengths=data["strengths"],
                    shortcomings=data["shortcomings"],
                    proposals=data["proposals"],
                    proposed_level=data["proposed_level"],
                    level_reason=data["level_reason"],
                )
                unexplained = missing_reason(
                    config, sheet, data["proposed_level"], data["level_reason"]
                )
                if submitting and unexplained:
                    raise ReasonMissing(unexplained)
                if submitting:  # the sheet as saved, still locked: no second fetch
                    submit_saved_self_evaluation(sheet, by=request.user)
        except ReasonMissing as missing:
            sheet = _fresh(sheet)  # nothing was saved: the form keeps what was typed
            form.add_error("level_reason", str(missing))
        except EvaluationError as error:
            # A double click: the first request submitted while this one waited for the lock.
            if submitting and _already_submitted(request, _fresh(sheet)):
                return _to_sheet_already_submitted(request, sheet)
            form.add_error(None, str(error))
        else:
            if submitting:
                messages.success(request, _("Submitted. Your manager will review your sheet."))
                return redirect("evaluations:sheet_detail", pk=sheet.pk)
            messages.success(request, _("Saved. Submit when you are ready."))
            if unexplained:
                messages.warning(request, unexplained)
            return redirect("evaluations:sheet_self_evaluate", pk=sheet.pk)
    return render(
        request,
        "evaluations/sheet_self_evaluate.html",
        {"sheet": sheet, "config": config, "form": form, **live_total_context(config, sheet)},
    )


@login_required
def sheet_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The reviewer scores next to the person's own scores, comments and proposes a level,
    or returns the sheet with the reason."""
    sheet = _sheet_or_404(request, pk)
    if request.method == "POST" and _already_reviewed(request, sheet):
        return _to_sheet_already_reviewed(request, sheet)
    if not permissions.can_review(request.user, sheet):
        raise PermissionDenied
    config = sheet_config(sheet)
    returning = request.method == "POST" and request.POST.get("action") == "return"
    initial = {
        **ReviewForm.initial_scores(sheet.manager_scores or sheet.self_scores),
        "comment": sheet.manager_comment,
        "proposed_level": sheet.manager_level or sheet.self_level,
    }
    form = ReviewForm(
        None if returning else (request.POST or None),
        config=config,
        assessed=leader_assessments(config, sheet),
        initial=initial,
    )
    return_form = ReturnForm(request.POST if returning else None)
    if returning and return_form.is_valid():
        try:
            return_sheet(sheet, by=request.user, reason=return_form.cleaned_data["reason"])
        except EvaluationError as error:
            return_form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The sheet was returned to %(name)s.") % {"name": sheet.person.full_name}
            )
            return redirect("evaluations:sheet_detail", pk=sheet.pk)
    elif request.method == "POST" and not returning and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                reviewed = submit_review(
                    sheet,
                    by=request.user,
                    scores=form.scores(),
                    comment=data["comment"],
                    proposed_level=data["proposed_level"],
                    **form.leader_values(),
                )
                unexplained = missing_reason(
                    config, reviewed, data["proposed_level"], data["comment"]
                )
                if unexplained:
                    raise ReasonMissing(unexplained)
        except ReasonMissing as missing:
            sheet = _fresh(sheet)  # nothing was saved: the form keeps what was typed
            form.add_error("comment", str(missing))
        except EvaluationError as error:
            if _already_reviewed(request, _fresh(sheet)):
                return _to_sheet_already_reviewed(request, sheet)
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Review saved. The head decides the level."))
            return redirect("evaluations:sheet_detail", pk=sheet.pk)
    return render(
        request,
        "evaluations/sheet_review.html",
        {
            "sheet": sheet,
            "config": config,
            "form": form,
            "return_form": return_form,
            "criteria": criteria_rows(sheet, config),
            "self_level_name": level_names(config).get(sheet.self_level, ""),
            "lines": task_lines_of(sheet),
            **live_total_context(config, sheet, reviewing=True),
        },
    )


# Double submissions (a double click, a retry after a lost answer): the second request finds
# the work done, says so and shows the sheet; nothing is written twice.


class ReasonMissing(Exception):
    """A proposal differs from the band without a reason: the form's transaction is undone."""


def _fresh(sheet: Sheet) -> Sheet:
    return Sheet.objects.select_related("period").get(pk=sheet.pk)


def _already_submitted(request: AuthenticatedRequest, sheet: Sheet) -> bool:
    return (
        permissions.is_owner(request.user, sheet)
        and sheet.status not in permissions.OWNER_STATUSES
        and sheet.self_submitted_at is not None
    )


def _to_sheet_already_submitted(request: AuthenticatedRequest, sheet: Sheet) -> HttpResponse:
    sheet = _fresh(sheet)
    messages.info(
        request,
        _("Your sheet was already submitted at %(when)s. Nothing was sent twice.")
        % {"when": _when(sheet.self_submitted_at)},
    )
    return redirect("evaluations:sheet_detail", pk=sheet.pk)


def _already_reviewed(request: AuthenticatedRequest, sheet: Sheet) -> bool:
    return (
        sheet.status in (Sheet.Status.REVIEWED, Sheet.Status.DECIDED)
        and sheet.reviewed_at is not None
        and holds_for_review(request.user, sheet)
    )


def _to_sheet_already_reviewed(request: AuthenticatedRequest, sheet: Sheet) -> HttpResponse:
    sheet = _fresh(sheet)
    messages.info(
        request,
        _("You already reviewed this sheet at %(when)s. Nothing was saved twice.")
        % {"when": _when(sheet.reviewed_at)},
    )
    return redirect("evaluations:sheet_detail", pk=sheet.pk)


def _when(moment: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else ""
