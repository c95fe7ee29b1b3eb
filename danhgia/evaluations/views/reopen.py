"""Reopening: a decided sheet (HR, or the head above the decider) and a decided or closed
period (HR), each on a small page with the reason; the services guard, log and notify."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.evaluations import permissions
from danhgia.evaluations.appeal_forms import ReopenPeriodForm, ReopenSheetForm
from danhgia.evaluations.queries import periods_visible_to, sheets_visible_to
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.reopen import reopen_period, reopen_sheet


@login_required
def sheet_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Send a decided sheet back to its head, with the reason."""
    sheet = get_object_or_404(
        sheets_visible_to(request.user).select_related(
            "period__organisation", "person", "unit", "decided_by__person"
        ),
        pk=pk,
    )
    if not permissions.can_reopen_sheet(request.user, sheet):
        raise PermissionDenied
    form = ReopenSheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reopened = reopen_sheet(sheet, by=request.user, reason=form.cleaned_data["reason"])
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The sheet was reopened. %(name)s's head decides the level again.")
                % {"name": sheet.person.full_name},
            )
            note = getattr(reopened, "quota_note", "")
            if note:
                messages.warning(request, note)
            return redirect("evaluations:sheet_detail", pk=sheet.pk)
    return render(request, "evaluations/reopen_sheet.html", {"sheet": sheet, "form": form})


@login_required
def period_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Move a decided or closed period back to review, with the reason and a new decision
    deadline."""
    period = get_object_or_404(
        periods_visible_to(request.user).select_related("organisation", "rulebook"), pk=pk
    )
    if not permissions.can_reopen_period(request.user, period):
        raise PermissionDenied
    form = ReopenPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = reopen_period(
                period, by=request.user, reason=data["reason"], decision_due=data["decision_due"]
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(period)s is now: %(state)s. Reopen the sheets to decide again.")
                % {"period": period, "state": period.get_state_display()},
            )
            return redirect("evaluations:period_list")
    reopenable = period.state in permissions.REOPENABLE_PERIOD_STATES
    return render(
        request,
        "evaluations/reopen_period.html",
        {"period": period, "form": form, "reopenable": reopenable},
    )
