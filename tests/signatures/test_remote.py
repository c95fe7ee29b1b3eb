"""The remote signing interface against a local test double: the key stays in the service,
danhgia sends the digest and the person's confirmation."""

import datetime
from typing import Any

import pytest

from danhgia.signatures.models import SignedDocument
from danhgia.signatures.remote import RemoteSigner
from danhgia.signatures.services import SignatureError, sign_month_summary, signer_for
from danhgia.signatures.signers import SigningFailed
from danhgia.signatures.verification import verify
from tests.conftest import World
from tests.matrix import evaluations as evaluation_rows
from tests.signatures.ca import CertificateAuthority as CA
from tests.signatures.remote_double import remote_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("matrix_clock")]

OCTOBER = datetime.date(2026, 10, 1)
PIN = "246810"


def test_a_head_without_a_stored_certificate_signs_remotely(
    world: World, trusted_ca: CA, settings: Any
) -> None:
    evaluation_rows.period(world)
    head = world.users["head"]
    with remote_service(trusted_ca, head.username, PIN) as service:
        settings.SIGNATURE_REMOTE_URL = service.url
        document = sign_month_summary(world.dept, OCTOBER, by=head, signer=signer_for(head, PIN))

        result = verify(document.file.read())

    assert len(service.signed) == 1  # one confirmation, one signature (no call to size it)
    assert (result.valid, result.record) == (True, document)
    assert [check.signer for check in result.signatures] == [
        f"Common Name: Remote {head.username}, Country: VN"
    ]


def test_a_refused_confirmation_signs_nothing(world: World, trusted_ca: CA) -> None:
    evaluation_rows.period(world)
    head = world.users["head"]
    with remote_service(trusted_ca, head.username, PIN) as service:
        signer = RemoteSigner(service.url, head.username, "000000")

        with pytest.raises(SignatureError):
            sign_month_summary(world.dept, OCTOBER, by=head, signer=signer)

    assert (service.signed, SignedDocument.objects.count()) == ([], 0)


def test_a_service_that_is_down_is_a_signing_failure(world: World, trusted_ca: CA) -> None:
    with remote_service(trusted_ca, "x", PIN) as service:
        url = service.url
    with pytest.raises(SigningFailed):
        RemoteSigner(url, "x", PIN, timeout=2)


def test_without_credential_or_service_there_is_no_signer(world: World, settings: Any) -> None:
    settings.SIGNATURE_REMOTE_URL = ""

    with pytest.raises(SignatureError):
        signer_for(world.users["head"], PIN)
