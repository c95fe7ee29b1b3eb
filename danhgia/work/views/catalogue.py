"""The product catalogue: list (current versions, or with history), add, revise, import.

Everyone signed in reads the catalogues that apply to them and to their scope; HR officers
and heads maintain those of their scope (`permissions.can_edit_catalogue`).
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core import clock
from danhgia.core.http import paginate
from danhgia.organisations.models import ImportBatch, ImportKind
from danhgia.work import permissions, queries
from danhgia.work import product_import as catalogue_import
from danhgia.work.catalogue_forms import ProductForm, ProductReviseForm, ProductUploadForm
from danhgia.work.models import ProductType
from danhgia.work.services import WorkError
from danhgia.work.services.catalogue import create_product_type, revise_product_type

ERRORS_PER_PAGE = 200
# The preview columns shown on a phone: code, name, coefficient (the others on wider screens).
PHONE_COLUMNS = {"code", "name", "coefficient"}


@login_required
def catalogue(request: AuthenticatedRequest) -> HttpResponse:
    show_history = request.GET.get("history") == "1"
    today = clock.today()
    products = queries.product_types_visible_to(request.user).select_related("job_position", "unit")
    if not show_history:
        products = products.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    products = products.order_by(
        F("job_position__name").asc(nulls_first=True),
        "job_position_id",
        "code",
        "unit__path",
        "-valid_from",
    )
    rows = list(products)
    for product in rows:
        product.can_revise = product.valid_to is None and permissions.can_edit_catalogue(  # type: ignore[attr-defined]
            request.user, product.unit
        )
    can_edit = permissions.can_edit_catalogue(request.user)
    return render(
        request,
        "work/catalogue.html",
        {"products": rows, "show_history": show_history, "can_edit": can_edit, "today": today},
    )


def _require_editor(request: AuthenticatedRequest) -> None:
    if not permissions.can_edit_catalogue(request.user):
        raise PermissionDenied


@login_required
def product_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_editor(request)
    units = queries.units_where(request.user, permissions.CATALOGUE_EDITORS).order_by("path")
    form = ProductForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            product = create_product_type(**form.cleaned_data, by=request.user)
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Product %(code)s added to the catalogue.") % {"code": product.code}
            )
            return redirect("work:catalogue")
    return render(request, "work/product_form.html", {"form": form, "product": None})


@login_required
def product_revise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(
        queries.product_types_visible_to(request.user).select_related("unit", "job_position"),
        pk=pk,
    )
    if not permissions.can_edit_catalogue(request.user, product.unit):
        raise PermissionDenied
    today = clock.today()
    initial = {
        "name": product.name,
        "unit_of_measure": product.unit_of_measure,
        "coefficient": product.coefficient,
        "valid_from": max(today, product.valid_from + datetime.timedelta(days=1)),
    }
    form = ProductReviseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            revise_product_type(product, by=request.user, **form.cleaned_data)
        except WorkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Product %(code)s revised from %(date)s.")
                % {
                    "code": product.code,
                    "date": form.cleaned_data["valid_from"].strftime("%d/%m/%Y"),
                },
            )
            return redirect("work:catalogue")
    versions = ProductType.objects.filter(unit=product.unit, code=product.code).order_by(
        "-valid_from"
    )
    return render(
        request,
        "work/product_form.html",
        {"form": form, "product": product, "versions": versions},
    )


@login_required
def product_import(request: AuthenticatedRequest) -> HttpResponse:
    _require_editor(request)
    form = ProductUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = catalogue_import.upload_products(form.cleaned_data["file"], by=request.user)
        return redirect("work:product_import_preview", pk=batch.pk)
    recent = ImportBatch.objects.filter(uploaded_by=request.user, kind=ImportKind.PRODUCTS)[:10]
    return render(request, "work/product_import.html", {"form": form, "recent": recent})


@login_required
def product_import_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        ImportBatch.objects.filter(uploaded_by=request.user, kind=ImportKind.PRODUCTS), pk=pk
    )
    _require_editor(request)
    if request.method == "POST":
        try:
            batch = catalogue_import.commit_products(batch, by=request.user)
        except WorkError as error:
            messages.error(request, str(error))
            return redirect("work:product_import_preview", pk=batch.pk)
        if batch.status == ImportBatch.Status.COMMITTED:
            messages.success(request, _("Imported."))
        else:
            messages.error(
                request, _("The file no longer passes the checks; nothing was imported.")
            )
        return redirect("work:product_import_preview", pk=batch.pk)
    return render(
        request,
        "work/product_import_preview.html",
        {
            "batch": batch,
            "headers": [
                (column.header, column.key in PHONE_COLUMNS)
                for column in catalogue_import.PRODUCT_COLUMNS
            ],
            "preview": [_preview_row(row) for row in batch.preview],
            "errors": paginate(request, batch.errors, per_page=ERRORS_PER_PAGE),  # type: ignore[arg-type]
            "unchanged_count": batch.row_count - batch.created_count - batch.updated_count,
            "can_commit": batch.status == ImportBatch.Status.PREVIEWED,
        },
    )


@login_required
def product_template(request: AuthenticatedRequest) -> FileResponse:
    _require_editor(request)
    return FileResponse(
        catalogue_import.template_workbook(request.user),
        as_attachment=True,
        filename=catalogue_import.TEMPLATE_FILENAME,
    )


def _preview_row(row: dict[str, Any]) -> dict[str, Any]:
    columns = catalogue_import.PRODUCT_COLUMNS
    return {
        "row": row["row"],
        "action": row["action"],
        "cells": [
            (value, column.key in PHONE_COLUMNS)
            for column, value in zip(columns, row["cells"], strict=True)
        ],
    }
