"""Writes of the signatures app: keeping a signer's credential, signing a month summary."""

import datetime
import hashlib
from typing import Any

from cryptography.hazmat.primitives.serialization import pkcs12 as pkcs12_format
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualSheet
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.services import EvaluationError
from danhgia.organisations.models import Unit
from danhgia.reports.exports import documents
from danhgia.signatures import credentials, permissions
from danhgia.signatures.models import SignedDocument, SignerCredential
from danhgia.signatures.remote import RemoteSigner
from danhgia.signatures.signers import LocalSigner, Signer, SigningFailed

SIGNATURE_ACTION_LABELS: dict[str, Any] = {
    "signature.credential_added": gettext_lazy("signing credential added"),
    "document.signed": gettext_lazy("document signed"),
}


class SignatureError(Exception):
    """A signature that cannot be made; the message is for the person."""


@transaction.atomic
def add_credential(user: User, pkcs12: bytes, passphrase: str, *, by: User) -> SignerCredential:
    """Keep `user`'s PKCS#12 (sealed, `credentials.seal`) after checking that `passphrase`
    opens it; replaces an earlier one. Logs `signature.credential_added`. The passphrase is
    not kept."""
    try:
        _key, certificate, _chain = pkcs12_format.load_key_and_certificates(
            pkcs12, passphrase.encode()
        )
    except ValueError as error:
        raise SignatureError(_("The file cannot be opened with this password.")) from error
    if certificate is None:
        raise SignatureError(_("The file holds no certificate."))
    subject = certificate.subject.rfc4514_string()[:300]
    credential, _created = SignerCredential.objects.update_or_create(
        user=user,
        defaults={
            "sealed_pkcs12": credentials.seal(pkcs12),
            "subject": subject,
            "created_at": clock.now(),
        },
    )
    log_action(credential, "signature.credential_added", by=by, data={"subject": subject})
    return credential


def signer_for(user: User, passphrase: str) -> Signer:
    """Who signs for `user`: their stored credential opened with `passphrase`; without one,
    the remote signing service of settings.SIGNATURE_REMOTE_URL, `passphrase` being what
    they confirm there with. SignatureError when neither works."""
    credential = SignerCredential.objects.filter(user=user).first()
    if credential is None:
        if settings.SIGNATURE_REMOTE_URL:
            try:
                return RemoteSigner(
                    settings.SIGNATURE_REMOTE_URL,
                    user.username,
                    passphrase,
                    timeout=settings.SIGNATURE_REMOTE_TIMEOUT,
                )
            except SigningFailed as error:
                raise SignatureError(_("The remote signing service did not answer.")) from error
        raise SignatureError(_("You have no signing certificate in the system yet."))
    try:
        return LocalSigner(credentials.unseal(credential.sealed_pkcs12), passphrase)
    except (SigningFailed, ValueError) as error:
        raise SignatureError(_("The signing password is not correct.")) from error


def month_reference(unit: Unit, month: datetime.date) -> str:
    return f"{SignedDocument.Kind.MONTH_SUMMARY}:{unit.pk}:{month:%Y-%m}"


def sheet_reference(sheet: Sheet) -> str:
    return f"{SignedDocument.Kind.SHEET}:{sheet.pk}"


def annual_reference(sheet: AnnualSheet) -> str:
    return f"{SignedDocument.Kind.ANNUAL_FORM}:{sheet.pk}"


def _sign_and_keep(
    pdf: bytes,
    *,
    kind: str,
    reference: str,
    unit: Unit,
    filename: str,
    reason: str,
    by: User,
    signer: Signer,
) -> SignedDocument:
    """Sign `pdf`, keep it as a SignedDocument, log `document.signed` with its SHA-256."""
    try:
        signed = signer.sign(pdf, field_name="DanhGia-Ky-1", reason=reason, location=unit.name)
    except SigningFailed as error:
        raise SignatureError(_("The document could not be signed.")) from error
    sha256 = hashlib.sha256(signed).hexdigest()
    document = SignedDocument(
        kind=kind,
        reference=reference,
        unit=unit,
        filename=filename,
        sha256=sha256,
        signed_by=by,
        signed_at=clock.now(),
    )
    document.file.save(filename, ContentFile(signed), save=False)
    document.save()
    log_action(
        document,
        "document.signed",
        by=by,
        data={"reference": reference, "sha256": sha256, "signer": signer.subject},
    )
    return document


def _signed_name(filename: str) -> str:
    return filename.removesuffix(".pdf") + "-da-ky.pdf"


@transaction.atomic
def sign_month_summary(
    unit: Unit, month: datetime.date, *, by: User, signer: Signer
) -> SignedDocument:
    """Render the unit's month summary, sign it with `signer` and keep it. Only a head over the
    unit (PermissionDenied), for a month with sheets (SignatureError). Logs `document.signed`
    with the file's SHA-256. The head signs what the summary shows when they sign; it does not
    yet wait for every sheet to be decided (docs/decisions.md)."""
    if not permissions.can_sign_month(by, unit):
        raise PermissionDenied
    if not documents.month_sheets(unit, month).exists():
        raise SignatureError(_("This month has no sheets to sign."))
    return _sign_and_keep(
        documents.month_pdf(unit, month),
        kind=SignedDocument.Kind.MONTH_SUMMARY,
        reference=month_reference(unit, month),
        unit=unit,
        filename=_signed_name(documents.month_filename(unit, month, "pdf")),
        reason=_("Decision on the results of %(month)s") % {"month": f"{month:%m/%Y}"},
        by=by,
        signer=signer,
    )


@transaction.atomic
def sign_sheet(sheet: Sheet, *, by: User, signer: Signer) -> SignedDocument:
    """Sign a person's decided monthly sheet (its form, `documents.sheet_pdf`) and keep it.
    Only whoever holds the sheet's decision (PermissionDenied), once it is decided
    (SignatureError). Logs `document.signed` with the file's SHA-256."""
    if not permissions.can_sign_sheet(by, sheet):
        raise PermissionDenied
    if sheet.status != Sheet.Status.DECIDED:
        raise SignatureError(_("Only a decided sheet is signed."))
    try:
        pdf = documents.sheet_pdf(sheet)
    except EvaluationError as error:
        raise SignatureError(str(error)) from error
    return _sign_and_keep(
        pdf,
        kind=SignedDocument.Kind.SHEET,
        reference=sheet_reference(sheet),
        unit=sheet.unit,
        filename=_signed_name(documents.sheet_filename(sheet)),
        reason=_("Decision on the evaluation of %(person)s") % {"person": sheet.person.full_name},
        by=by,
        signer=signer,
    )


@transaction.atomic
def sign_annual_sheet(sheet: AnnualSheet, *, by: User, signer: Signer) -> SignedDocument:
    """Sign a person's decided annual form (`documents.annual_pdf`, the form of their regime)
    and keep it. Only whoever holds the sheet's decision (PermissionDenied), once it is
    decided (SignatureError). Logs `document.signed` with the file's SHA-256."""
    if not permissions.can_sign_annual_sheet(by, sheet):
        raise PermissionDenied
    if sheet.status != AnnualSheet.Status.DECIDED:
        raise SignatureError(_("Only a decided sheet is signed."))
    try:
        pdf = documents.annual_pdf([sheet])
    except EvaluationError as error:
        raise SignatureError(str(error)) from error
    return _sign_and_keep(
        pdf,
        kind=SignedDocument.Kind.ANNUAL_FORM,
        reference=annual_reference(sheet),
        unit=sheet.unit,
        filename=_signed_name(documents.annual_filename(sheet)),
        reason=_("Decision on the evaluation of %(person)s") % {"person": sheet.person.full_name},
        by=by,
        signer=signer,
    )
