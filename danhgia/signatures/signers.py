"""Who applies a signature: the `Signer` protocol, and `LocalSigner`, which holds the key in
a PKCS#12 unlocked by its owner's passphrase. A remote signing service (a provincial HSM, a
commercial remote-signing API) implements the same protocol (docs/signatures.md)."""

from io import BytesIO
from typing import Protocol

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers


class SigningFailed(Exception):
    """The signer could not sign (wrong passphrase, unreadable key, remote refusal)."""


class Signer(Protocol):
    def sign(self, pdf: bytes, *, field_name: str, reason: str, location: str) -> bytes:
        """`pdf` with one more PAdES signature in a new field `field_name`, appended as an
        incremental update (earlier signatures stay valid). Raises SigningFailed."""
        ...

    @property
    def subject(self) -> str:
        """The signer's certificate subject, as people read it."""
        ...


def pades(
    signer: signers.Signer, pdf: bytes, *, field_name: str, reason: str, location: str
) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    output = signers.sign_pdf(writer, metadata, signer=signer)
    return output.getvalue()


class LocalSigner:
    """A signer whose key is a PKCS#12 blob opened with its passphrase (PAdES B-B: no
    timestamp authority, no revocation data embedded)."""

    def __init__(self, pkcs12: bytes, passphrase: str) -> None:
        try:
            self._signer = signers.SimpleSigner.load_pkcs12_data(
                pkcs12, other_certs=[], passphrase=passphrase.encode()
            )
        except (ValueError, TypeError) as error:
            raise SigningFailed(str(error)) from error
        if self._signer is None:  # pyHanko returns None when the passphrase is wrong
            raise SigningFailed("cannot open the PKCS#12")

    @property
    def subject(self) -> str:
        certificate = self._signer.signing_cert
        return str(certificate.subject.human_friendly) if certificate is not None else ""

    def sign(self, pdf: bytes, *, field_name: str, reason: str, location: str) -> bytes:
        return pades(self._signer, pdf, field_name=field_name, reason=reason, location=location)
