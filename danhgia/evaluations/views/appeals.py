"""Appeals: the person appeals a decided level (text and files), the named head answers
(keep or change), the person withdraws; files are served to whoever may see the sheet; the
appeals waiting for the user. `appeal_context()` feeds the appeals part of the sheet page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.evaluations import permissions
from danhgia.evaluations.appeal_forms import AnswerForm, AppealForm
from danhgia.evaluations.models import Appeal, AppealFile, Sheet, SheetVersion
from danhgia.evaluations.queries import sheets_visible_to
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.appeals import (
    COUNTED_STATUSES,
    answer_appeal,
    appeal_deadline,
    submit_appeal,
    withdraw_appeal,
)
from danhgia.evaluations.services.categories import sheet_config
from danhgia.organisations.permissions import has_role_over
from danhgia.work.services.evidence import KINDS


def _level_names(config: RulebookConfig) -> dict[str, str]:
    return {level.code: level.name for level in config.levels}


def appeal_context(user: User, sheet: Sheet, config: RulebookConfig) -> dict[str, Any]:
    """The sheet page's appeals part: appeals with their files, earlier decisions, the last day
    to appeal and what the user may do (booleans for the template)."""
    names = _level_names(config)
    appeals = list(
        sheet.appeals.select_related("answerer__person", "answered_by__person").prefetch_related(
            "files"
        )
    )
    for appeal in appeals:
        appeal.can_answer = permissions.can_answer_appeal(user, appeal)  # type: ignore[attr-defined]
        appeal.can_withdraw = permissions.can_withdraw_appeal(user, appeal)  # type: ignore[attr-defined]
        appeal.new_level_name = names.get(appeal.new_level, "")  # type: ignore[attr-defined]
        appeal.overdue = (  # type: ignore[attr-defined]
            appeal.status == Appeal.Status.SUBMITTED
            and appeal.answer_due is not None
            and appeal.answer_due < clock.today()
        )
    versions = list(sheet.versions.select_related("created_by__person").order_by("-number"))
    for version in versions:
        version.level_name = names.get(version.data.get("decided_level", ""), "")  # type: ignore[attr-defined]
    deadline = appeal_deadline(sheet)
    appealed = any(
        appeal.sheet_version == sheet.version and appeal.status in COUNTED_STATUSES
        for appeal in appeals
    ) or any(
        version.number == sheet.version - 1 and version.cause == SheetVersion.Cause.APPEAL
        for version in versions
    )
    may_appeal = permissions.can_appeal(user, sheet) and not appealed
    in_window = deadline is not None and clock.today() <= deadline
    return {
        "appeals": appeals,
        "versions": versions,
        "appeal_deadline": deadline,
        "appealed": appealed,
        "can_appeal": may_appeal and in_window,
        "appeal_window_closed": may_appeal and not in_window,
        "can_reopen": permissions.can_reopen_sheet(user, sheet),
    }


def _sheet_or_404(request: AuthenticatedRequest, pk: int) -> Sheet:
    sheets = sheets_visible_to(request.user).select_related(
        "period__rulebook", "period__organisation", "person", "unit"
    )
    return get_object_or_404(sheets, pk=pk)


def _appeal_or_404(request: AuthenticatedRequest, pk: int) -> Appeal:
    appeals = Appeal.objects.filter(sheet__in=sheets_visible_to(request.user)).select_related(
        "sheet__period__rulebook", "sheet__period__organisation", "sheet__person", "sheet__unit"
    )
    return get_object_or_404(appeals, pk=pk)


@login_required
def appeal_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The person appeals their decided level with the grounds and files."""
    sheet = _sheet_or_404(request, pk)
    if not permissions.can_appeal(request.user, sheet):
        raise PermissionDenied
    config = sheet_config(sheet)
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_appeal(sheet, by=request.user, text=data["text"], files=data["attachments"])
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your appeal was sent. The answer will appear on this sheet.")
            )
            return redirect("evaluations:sheet_detail", pk=sheet.pk)
    return render(
        request,
        "evaluations/appeal_create.html",
        {
            "sheet": sheet,
            "form": form,
            "deadline": appeal_deadline(sheet),
            "decided_level_name": _level_names(config).get(sheet.decided_level, ""),
        },
    )


@login_required
def appeal_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The named answerer keeps or changes the level, with a written answer."""
    appeal = _appeal_or_404(request, pk)
    if not permissions.can_answer_appeal(request.user, appeal):
        raise PermissionDenied
    sheet = appeal.sheet
    config = sheet_config(sheet)
    form = AnswerForm(
        request.POST or None, config=config, current=sheet.decided_level, band=sheet.band
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer_appeal(
                appeal,
                by=request.user,
                outcome=data["outcome"],
                answer=data["answer"],
                new_level=data["new_level"],
                use_exception=data["use_exception"],
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The appeal was answered. %(name)s has been told.")
                % {"name": sheet.person.full_name},
            )
            return redirect("evaluations:sheet_detail", pk=sheet.pk)
    return render(
        request,
        "evaluations/appeal_answer.html",
        {
            "appeal": appeal,
            "sheet": sheet,
            "form": form,
            "files": list(appeal.files.all()),
            "decided_level_name": _level_names(config).get(sheet.decided_level, ""),
            "band_name": _level_names(config).get(sheet.band, ""),
        },
    )


@login_required
@require_POST
def appeal_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appeal = _appeal_or_404(request, pk)
    if not permissions.can_withdraw_appeal(request.user, appeal):
        raise PermissionDenied
    try:
        withdraw_appeal(appeal, by=request.user)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your appeal was withdrawn."))
    return redirect("evaluations:sheet_detail", pk=appeal.sheet_id)


@login_required
def appeal_file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """An appeal's file, to whoever may see the sheet, always as a download."""
    stored = get_object_or_404(
        AppealFile.objects.filter(appeal__sheet__in=sheets_visible_to(request.user)).select_related(
            "appeal__sheet__person", "appeal__sheet__unit"
        ),
        pk=pk,
    )
    if not permissions.can_view_sheet(request.user, stored.appeal.sheet):
        raise PermissionDenied
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    extension = "." + stored.original_name.rsplit(".", 1)[-1].lower()
    content_type = next(
        (kind[1] for kind in KINDS.values() if extension in kind[0]), "application/octet-stream"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def appeals_to_answer(user: User) -> QuerySet[Appeal]:
    """Pending appeals the user is named to answer, and for HR those nobody is named for."""
    condition = Q(answerer=user)
    if has_role_over(user, permissions.PERIOD_MANAGERS):
        condition |= Q(answerer__isnull=True, sheet__in=sheets_visible_to(user))
    return Appeal.objects.filter(condition, status=Appeal.Status.SUBMITTED)


@login_required
def appeal_list(request: AuthenticatedRequest) -> HttpResponse:
    """The appeals waiting for the user's answer, oldest due first, and the user's own."""
    related = ("sheet__period", "sheet__person", "sheet__unit")
    to_answer = appeals_to_answer(request.user).select_related(*related)
    mine = Appeal.objects.filter(sheet__person__user=request.user).select_related(*related)
    return render(
        request,
        "evaluations/appeal_list.html",
        {
            "to_answer": list(to_answer.order_by("answer_due", "pk")),
            "mine": list(mine.order_by("-submitted_at", "-pk")[:50]),
            "today": clock.today(),
        },
    )
