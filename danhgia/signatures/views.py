"""Signature pages: the public verification page (anyone uploads a PDF) and the head's page
to sign a unit's month summary with their stored certificate."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.annual.queries import annual_sheets_visible_to
from danhgia.evaluations.queries import sheets_visible_to
from danhgia.organisations.queries import units_visible_to
from danhgia.signatures import permissions
from danhgia.signatures.forms import CredentialForm, SignMonthForm, VerifyForm
from danhgia.signatures.models import SignedDocument, SignerCredential
from danhgia.signatures.services import (
    SignatureError,
    add_credential,
    annual_reference,
    month_reference,
    sheet_reference,
    sign_annual_sheet,
    sign_month_summary,
    sign_sheet,
    signer_for,
)
from danhgia.signatures.verification import verify as verify_pdf


def verify(request: HttpRequest) -> HttpResponse:
    """GET: the upload form; POST: the verdict on the uploaded PDF. Open to everyone; writes
    nothing."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = verify_pdf(form.cleaned_data["document"])
    status = 422 if form.errors else 200
    return render(
        request, "signatures/verify.html", {"form": form, "result": result}, status=status
    )


def _month(year: int, month: int) -> datetime.date:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return datetime.date(year, month, 1)


@login_required
def sign_month(request: AuthenticatedRequest, unit_pk: int, year: int, month: int) -> HttpResponse:
    """GET: the month's signed summaries and the form; POST `passphrase`: sign it now."""
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    first = _month(year, month)
    if not permissions.can_sign_month(request.user, unit):
        raise PermissionDenied
    form = SignMonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signer = signer_for(request.user, form.cleaned_data["passphrase"])
            sign_month_summary(unit, first, by=request.user, signer=signer)
        except SignatureError as error:
            form.add_error(None, str(error))
        else:
            return redirect("signatures:sign_month", unit_pk=unit.pk, year=year, month=month)
    signed = SignedDocument.objects.filter(reference=month_reference(unit, first)).select_related(
        "signed_by__person"
    )
    context = {"unit": unit, "month": first, "form": form, "signed": signed}
    status = 422 if form.errors else 200
    return render(request, "signatures/sign_month.html", context, status=status)


@login_required
def sign_sheet_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the sheet's signed copies and the form; POST `passphrase`: sign its form now."""
    sheet = get_object_or_404(
        sheets_visible_to(request.user).select_related(
            "period__rulebook", "person", "unit__parent", "decided_by__person"
        ),
        pk=pk,
    )
    if not permissions.can_sign_sheet(request.user, sheet):
        raise PermissionDenied
    form = SignMonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signer = signer_for(request.user, form.cleaned_data["passphrase"])
            sign_sheet(sheet, by=request.user, signer=signer)
        except SignatureError as error:
            form.add_error(None, str(error))
        else:
            return redirect("signatures:sign_sheet", pk=sheet.pk)
    signed = SignedDocument.objects.filter(reference=sheet_reference(sheet)).select_related(
        "signed_by__person"
    )
    context = {"sheet": sheet, "form": form, "signed": signed}
    status = 422 if form.errors else 200
    return render(request, "signatures/sign_sheet.html", context, status=status)


@login_required
def sign_annual_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the annual form's signed copies and the form; POST `passphrase`: sign it now."""
    sheet = get_object_or_404(
        annual_sheets_visible_to(request.user).select_related(
            "annual_period__rulebook", "rulebook", "person", "unit__parent", "decided_by__person"
        ),
        pk=pk,
    )
    if not permissions.can_sign_annual_sheet(request.user, sheet):
        raise PermissionDenied
    form = SignMonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signer = signer_for(request.user, form.cleaned_data["passphrase"])
            sign_annual_sheet(sheet, by=request.user, signer=signer)
        except SignatureError as error:
            form.add_error(None, str(error))
        else:
            return redirect("signatures:sign_annual", pk=sheet.pk)
    signed = SignedDocument.objects.filter(reference=annual_reference(sheet)).select_related(
        "signed_by__person"
    )
    context = {"sheet": sheet, "form": form, "signed": signed}
    status = 422 if form.errors else 200
    return render(request, "signatures/sign_annual.html", context, status=status)


@login_required
def download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The signed PDF as it was stored (its SHA-256 is in the audit log)."""
    document = get_object_or_404(
        SignedDocument.objects.filter(unit__in=units_visible_to(request.user)), pk=pk
    )
    if not permissions.can_download_signed(request.user, document):
        raise PermissionDenied
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )


@login_required
def credential(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the person's signing certificate, if any; POST a PKCS#12 and its password: keep it
    (sealed) in place of the earlier one. The password is checked, never stored."""
    form = CredentialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_credential(
                request.user,
                form.cleaned_data["pkcs12"],
                form.cleaned_data["passphrase"],
                by=request.user,
            )
        except SignatureError as error:
            form.add_error(None, str(error))
        else:
            return redirect("signatures:credential")
    current = SignerCredential.objects.filter(user=request.user).first()
    status = 422 if form.errors else 200
    return render(
        request, "signatures/credential.html", {"form": form, "current": current}, status=status
    )
