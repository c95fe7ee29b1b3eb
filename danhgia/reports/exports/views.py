"""Export pages: a sheet's PDF and an annual form (served at once), a unit's month and a
unit's annual forms (asked for, then made in the background), the status of an export
(htmx polls it) and its download.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.annual.queries import (
    annual_periods_visible_to,
    annual_sheets_of_unit,
    annual_sheets_visible_to,
)
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.queries import sheets_visible_to
from danhgia.evaluations.services import EvaluationError
from danhgia.organisations.queries import units_visible_to
from danhgia.reports.exports import documents, permissions
from danhgia.reports.exports.forms import MonthExportForm
from danhgia.reports.exports.models import ExportJob
from danhgia.reports.exports.queries import jobs_of
from danhgia.reports.exports.services import (
    ExportError,
    request_annual_export,
    request_month_export,
)

RECENT_JOBS = 10


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _broken(request: AuthenticatedRequest, error: Exception) -> HttpResponse:
    return render(request, "reports/exports/broken.html", {"error": error}, status=409)


@login_required
def sheet_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One person's monthly sheet as the form prints it (docs/domain.md §21)."""
    sheet = get_object_or_404(
        sheets_visible_to(request.user).select_related(
            "period__rulebook", "person", "unit__parent", "decided_by__person"
        ),
        pk=pk,
    )
    if not permissions.can_export_sheet(request.user, sheet):
        raise PermissionDenied
    try:
        data = documents.sheet_pdf(sheet)
    except EvaluationError as error:
        return _broken(request, error)
    return _pdf_response(data, documents.sheet_filename(sheet))


@login_required
def annual_sheet_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One person's annual form: that of the regime of the sheet's rulebook and the person's
    staff category (`documents.annual_form_context`)."""
    sheet = get_object_or_404(
        annual_sheets_visible_to(request.user).select_related(
            "annual_period__rulebook", "rulebook", "person", "unit__parent", "decided_by__person"
        ),
        pk=pk,
    )
    if not permissions.can_export_annual_sheet(request.user, sheet):
        raise PermissionDenied
    try:
        data = documents.annual_pdf([sheet])
    except EvaluationError as error:
        return _broken(request, error)
    return _pdf_response(data, documents.annual_filename(sheet))


def _month(year: int, month: int) -> datetime.date:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return datetime.date(year, month, 1)


@login_required
def month_export(
    request: AuthenticatedRequest, unit_pk: int, year: int, month: int
) -> HttpResponse:
    """GET: what a unit's month holds and the two exports; POST `format=xlsx|pdf`: ask for
    one, then follow it on its status page."""
    unit = get_object_or_404(units_visible_to(request.user).select_related("parent"), pk=unit_pk)
    first = _month(year, month)
    if not permissions.can_export_unit(request.user, unit):
        raise PermissionDenied
    form = MonthExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = request_month_export(unit, first, form.cleaned_data["format"], by=request.user)
        except ExportError as error:
            form.add_error(None, str(error))
        else:
            return redirect("exports:job_detail", pk=job.pk)
    sheets = documents.month_sheets(unit, first)
    context = {
        "unit": unit,
        "month": first,
        "form": form,
        "count": sheets.count(),
        "decided": sheets.filter(status=Sheet.Status.DECIDED).count(),
        "can_sign": permissions.can_sign_month(request.user, unit),
        "jobs": _recent(request, {"unit": unit.pk, "year": year, "month": month}),
    }
    status = 422 if form.errors else 200
    return render(request, "reports/exports/month.html", context, status=status)


def _recent(request: AuthenticatedRequest, parameters: dict[str, int]) -> list[ExportJob]:
    """The user's latest exports with these parameters (JSON key lookups: SQLite has no
    `contains` on JSON)."""
    lookups = {f"parameters__{key}": value for key, value in parameters.items()}
    return list(jobs_of(request.user).filter(**lookups)[:RECENT_JOBS])


@login_required
def annual_export(request: AuthenticatedRequest, period_pk: int, unit_pk: int) -> HttpResponse:
    """GET: the annual forms of a unit; POST: ask for them as one PDF."""
    period = get_object_or_404(annual_periods_visible_to(request.user), pk=period_pk)
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    if not permissions.can_export_unit(request.user, unit):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            job = request_annual_export(period, unit, by=request.user)
        except ExportError as exc:
            error = str(exc)
        else:
            return redirect("exports:job_detail", pk=job.pk)
    context = {
        "period": period,
        "unit": unit,
        "count": annual_sheets_of_unit(period, unit).count(),
        "error": error,
        "jobs": _recent(request, {"annual_period": period.pk, "unit": unit.pk}),
    }
    return render(request, "reports/exports/annual.html", context, status=422 if error else 200)


@login_required
def job_list(request: AuthenticatedRequest) -> HttpResponse:
    """The signed-in user's exports, newest first."""
    jobs = list(jobs_of(request.user)[:50])
    return render(request, "reports/exports/job_list.html", {"jobs": jobs})


@login_required
def job_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An export's status and progress; htmx asks again every two seconds until it is ready
    (the `status` partial), without JavaScript the page has a refresh link."""
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    template = "reports/exports/job_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"job": job})


@login_required
def job_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The finished file, as an attachment that is never cached."""
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    if not permissions.can_download(request.user, job):
        raise PermissionDenied
    if not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["Cache-Control"] = "no-store"
    return response
