"""Signature pages: the public verification page (anyone uploads a PDF) and the head's page
to sign a unit's month summary with their stored certificate."""

import datetime
from collections.abc import Callable
from typing import Any

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
from danhgia.signatures.signers import Signer
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


def _sign_page(
    request: AuthenticatedRequest,
    sign: Callable[[Signer], object],
    reference: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The flow every signing page shares: GET shows the document's signed copies and the
    form; POST `passphrase` signs it now (`sign` with the person's signer), then shows the
    page again; a refusal stays on the form with its reason (422)."""
    form = SignMonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sign(signer_for(request.user, form.cleaned_data["passphrase"]))
        except SignatureError as error:
            form.add_error(None, str(error))
        else:
            return redirect(request.path)
    signed = SignedDocument.objects.filter(reference=reference).select_related("signed_by__person")
    status = 422 if form.errors else 200
    return render(request, template, {**context, "form": form, "signed": signed}, status=status)


@login_required
def sign_month(request: AuthenticatedRequest, unit_pk: int, year: int, month: int) -> HttpResponse:
    """GET: the month's signed summaries and the form; POST `passphrase`: sign it now."""
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    first = _month(year, month)
    if not permissions.can_sign_month(request.user, unit):
        raise PermissionDenied
    return _sign_page(
        request,
        lambda signer: sign_month_summary(unit, first, by=request.user, signer=signer),
        month_reference(unit, first),
        "signatures/sign_month.html",
        {"unit": unit, "month": first},
    )


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
    return _sign_page(
        request,
        lambda signer: sign_sheet(sheet, by=request.user, signer=signer),
        sheet_reference(sheet),
        "signatures/sign_sheet.html",
        {"sheet": sheet},
    )


@login_required
def sign_annual_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the annual form's signed copies and the form; POST `passphrase`: sign it now."""
    annual = get_object_or_404(
        annual_sheets_visible_to(request.user).select_related(
            "annual_period__rulebook", "rulebook", "person", "unit__parent", "decided_by__person"
        ),
        pk=pk,
    )
    if not permissions.can_sign_annual_sheet(request.user, annual):
        raise PermissionDenied
    return _sign_page(
        request,
        lambda signer: sign_annual_sheet(annual, by=request.user, signer=signer),
        annual_reference(annual),
        "signatures/sign_annual.html",
        {"sheet": annual},
    )


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
