"""Import and export of units and people: upload, preview, confirm; templates and exports.

Only users with `permissions.can_import` reach these views (others get 403). A batch is
fetched first, through its uploader, so anyone else gets 404 for it (STYLE: out of scope is
404, in scope but not allowed is 403).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core.http import paginate
from danhgia.organisations import exports, permissions
from danhgia.organisations.imports import services
from danhgia.organisations.imports.columns import Column, columns_for
from danhgia.organisations.imports.forms import UploadForm
from danhgia.organisations.models import ORGANISATION_IMPORT_KINDS, ImportBatch
from danhgia.organisations.services import OrganisationError

ERRORS_PER_PAGE = 200


def _require_import(request: AuthenticatedRequest) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied


def _kind_or_404(kind: str) -> str:
    if kind not in ORGANISATION_IMPORT_KINDS:
        raise Http404
    return kind


def _organisation_kinds() -> list[tuple[str, str]]:
    return [(kind.value, str(kind.label)) for kind in ORGANISATION_IMPORT_KINDS]


@login_required
def import_start(request: AuthenticatedRequest) -> HttpResponse:
    _require_import(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.upload_import(
            form.cleaned_data["kind"], form.cleaned_data["file"], by=request.user
        )
        return redirect("organisations:import_preview", pk=batch.pk)
    recent = ImportBatch.objects.filter(
        uploaded_by=request.user, kind__in=ORGANISATION_IMPORT_KINDS
    )[:10]
    return render(
        request,
        "organisations/import_start.html",
        {"form": form, "recent": recent, "kinds": _organisation_kinds()},
    )


@login_required
def import_template(request: AuthenticatedRequest, kind: str) -> FileResponse:
    _require_import(request)
    kind = _kind_or_404(kind)
    return FileResponse(
        exports.template_workbook(kind, request.user),
        as_attachment=True,
        filename=exports.template_filename(kind),
    )


@login_required
def import_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        ImportBatch.objects.filter(uploaded_by=request.user, kind__in=ORGANISATION_IMPORT_KINDS),
        pk=pk,
    )
    _require_import(request)
    if request.method == "POST":
        try:
            batch = services.commit_import(batch, by=request.user)
        except OrganisationError as error:
            messages.error(request, str(error))
            return redirect("organisations:import_preview", pk=batch.pk)
        if batch.status == ImportBatch.Status.COMMITTED:
            messages.success(request, _("Imported."))
        else:
            messages.error(
                request, _("The file no longer passes the checks; nothing was imported.")
            )
        return redirect("organisations:import_preview", pk=batch.pk)
    columns = columns_for(batch.kind)
    return render(
        request,
        "organisations/import_preview.html",
        {
            "batch": batch,
            "main_headers": [column.header for column in columns if column.required],
            "preview": [_preview_row(columns, row) for row in batch.preview],
            "errors": paginate(request, batch.errors, per_page=ERRORS_PER_PAGE),  # type: ignore[arg-type]
            "unchanged_count": batch.row_count - batch.created_count - batch.updated_count,
            "can_commit": batch.status == ImportBatch.Status.PREVIEWED,
        },
    )


def _preview_row(columns: tuple[Column, ...], row: dict[str, Any]) -> dict[str, Any]:
    """A stored preview row for the page: required columns as cells, the rest as one text
    ("Chức vụ: Chuyên viên · Email: …"), so the table fits a phone and a desktop."""
    cells = list(zip(columns, row["cells"], strict=True))
    return {
        "row": row["row"],
        "action": row["action"],
        "main": [value for column, value in cells if column.required],
        "details": " · ".join(
            f"{column.header}: {value}" for column, value in cells if value and not column.required
        ),
    }


@login_required
def export_data(request: AuthenticatedRequest, kind: str) -> FileResponse:
    _require_import(request)
    kind = _kind_or_404(kind)
    return FileResponse(
        exports.export_workbook(kind, request.user),
        as_attachment=True,
        filename=exports.export_filename(kind),
    )
