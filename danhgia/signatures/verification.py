"""Checking a PDF anyone uploads: are its signatures intact and made with a certificate we
trust, and is it, byte for byte, a document danhgia signed? Reads only."""

import hashlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import x509
from django.conf import settings
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from danhgia.signatures.models import SignedDocument

# Changes a later incremental update may make without altering what was signed.
HARMLESS_UPDATES = frozenset({ModificationLevel.NONE, ModificationLevel.LTA_UPDATES})


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # the cryptographic signature over that digest holds
    trusted: bool  # the certificate chains to a configured trust root
    unchanged_after: bool  # nothing but harmless updates follows the signature

    @property
    def modified(self) -> bool:
        return not (self.intact and self.valid and self.unchanged_after)


@dataclass(frozen=True)
class Verification:
    sha256: str
    readable: bool
    signatures: list[SignatureCheck]
    record: SignedDocument | None  # the stored document with these very bytes

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def modified(self) -> bool:
        return any(check.modified for check in self.signatures)

    @property
    def trusted(self) -> bool:
        return self.signed and all(check.trusted for check in self.signatures)

    @property
    def valid(self) -> bool:
        """Signed, nothing modified, every certificate trusted."""
        return self.signed and not self.modified and self.trusted


def trust_roots() -> list[x509.Certificate]:
    """The certificates of settings.SIGNATURE_TRUST_ROOTS (PEM or DER files)."""
    from pyhanko.keys import load_certs_from_pemder

    paths = [str(Path(path)) for path in settings.SIGNATURE_TRUST_ROOTS]
    return list(load_certs_from_pemder(paths))


def _check(embedded: object, context: ValidationContext) -> SignatureCheck:
    status = validate_pdf_signature(embedded, signer_validation_context=context)  # type: ignore[arg-type]
    certificate = status.signing_cert
    level = status.modification_level
    unchanged = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        level is not None and level in HARMLESS_UPDATES
    )
    return SignatureCheck(
        field=str(getattr(embedded, "field_name", "")),
        signer=str(certificate.subject.human_friendly) if certificate is not None else "",
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        unchanged_after=unchanged,
    )


def verify(pdf: bytes) -> Verification:
    """Each signature of `pdf` checked against the configured trust roots, and the stored
    SignedDocument with the same SHA-256, if any. A file that is no PDF is `readable=False`."""
    digest = hashlib.sha256(pdf).hexdigest()
    record = SignedDocument.objects.select_related("signed_by").filter(sha256=digest).first()
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        checks = [_check(embedded, context) for embedded in reader.embedded_signatures]
    except (PdfError, SignatureValidationError, ValueError, KeyError, TypeError):
        return Verification(sha256=digest, readable=False, signatures=[], record=record)
    return Verification(sha256=digest, readable=True, signatures=checks, record=record)
