"""Sign the month summary with a certificate of a test CA, verify it, tamper with it, verify
again (issue 18, digital signatures)."""

import datetime
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from danhgia.core.models import AuditLog
from danhgia.signatures.models import SignedDocument
from danhgia.signatures.services import (
    SignatureError,
    add_credential,
    sign_month_summary,
    signer_for,
)
from danhgia.signatures.signers import LocalSigner, SigningFailed
from danhgia.signatures.verification import verify
from tests.conftest import World
from tests.matrix import evaluations as evaluation_rows
from tests.signatures.ca import CertificateAuthority as CA
from tests.signatures.ca import build_ca
from tests.signatures.conftest import PASSPHRASE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("matrix_clock")]

OCTOBER = datetime.date(2026, 10, 1)


def _signed(world: World, ca: CA) -> SignedDocument:
    evaluation_rows.period(world)
    head = world.users["head"]
    add_credential(head, ca.issue_pkcs12("Trần Văn Head", PASSPHRASE), PASSPHRASE, by=head)
    signer = signer_for(head, PASSPHRASE)
    return sign_month_summary(world.dept, OCTOBER, by=head, signer=signer)


def _flip_in_stream(data: bytes) -> bytes:
    """One byte changed inside the first content stream: covered by the signature, and the
    file still parses."""
    at = data.index(b"stream\n") + len(b"stream\n") + 20
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_a_head_signs_the_month_summary_and_it_verifies(world: World, trusted_ca: CA) -> None:
    document = _signed(world, trusted_ca)
    data = document.file.read()

    result = verify(data)

    assert (result.valid, result.record) == (True, document)
    assert [(c.signer, c.intact, c.valid, c.trusted) for c in result.signatures] == [
        ("Common Name: Trần Văn Head, Country: VN", True, True, True)
    ]
    entry = AuditLog.objects.get(action="document.signed")
    assert entry.data["sha256"] == document.sha256 == result.sha256
    assert entry.actor == world.users["head"]


def test_a_flipped_byte_breaks_the_signature(world: World, trusted_ca: CA) -> None:
    data = _signed(world, trusted_ca).file.read()

    result = verify(_flip_in_stream(data))

    assert result.readable
    assert (result.modified, result.valid, result.record) == (True, False, None)
    assert [c.intact for c in result.signatures] == [False]


def test_a_resaved_copy_does_not_match_the_record(world: World, trusted_ca: CA) -> None:
    data = _signed(world, trusted_ca).file.read()
    # Opened and saved again by a PDF tool: an incremental update, the signed bytes untouched.
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    writer.root["/Lang"] = generic.TextStringObject("vi-VN")
    writer.update_root()
    output = BytesIO()
    writer.write(output)
    copy = output.getvalue()

    result = verify(copy)

    assert copy != data
    assert result.record is None
    assert [c.intact for c in result.signatures] == [True]


def test_a_certificate_of_another_ca_is_not_trusted(world: World, trusted_ca: CA) -> None:
    document = _signed(world, build_ca("Another CA"))

    result = verify(document.file.read())

    assert (result.modified, result.trusted, result.valid) == (False, False, False)


def test_a_wrong_passphrase_signs_nothing(world: World, trusted_ca: CA) -> None:
    head = world.users["head"]
    add_credential(head, trusted_ca.issue_pkcs12("Head", PASSPHRASE), PASSPHRASE, by=head)

    with pytest.raises(SignatureError):
        signer_for(head, "sai-mat-khau")
    with pytest.raises(SigningFailed):
        LocalSigner(trusted_ca.issue_pkcs12("Head", PASSPHRASE), "sai")
    with pytest.raises(SignatureError):
        add_credential(head, trusted_ca.issue_pkcs12("Head", PASSPHRASE), "sai", by=head)


def test_the_stored_credential_is_sealed(world: World, trusted_ca: CA) -> None:
    head = world.users["head"]
    blob = trusted_ca.issue_pkcs12("Head", PASSPHRASE)
    credential = add_credential(head, blob, PASSPHRASE, by=head)

    assert blob not in bytes(credential.sealed_pkcs12)
    assert credential.subject == "CN=Head,C=VN"


@pytest.mark.parametrize("persona", ["manager", "hr", "head_other"])
def test_only_a_head_over_the_unit_signs(
    persona: str, world: World, trusted_ca: CA, settings: Any
) -> None:
    evaluation_rows.period(world)
    user = world.users[persona]
    signer = LocalSigner(trusted_ca.issue_pkcs12("X", PASSPHRASE), PASSPHRASE)

    with pytest.raises(PermissionDenied):
        sign_month_summary(world.dept, OCTOBER, by=user, signer=signer)
    assert SignedDocument.objects.count() == 0
