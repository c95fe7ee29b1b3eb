"""The decider signs a person's decided monthly sheet; nobody else does, and an undecided
sheet is not signed."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.signatures.models import SignedDocument
from danhgia.signatures.services import SignatureError, add_credential, sign_sheet
from danhgia.signatures.signers import LocalSigner
from danhgia.signatures.verification import verify
from tests.conftest import World
from tests.matrix import appeals as appeal_rows
from tests.matrix import evaluations as evaluation_rows
from tests.signatures.ca import CertificateAuthority as CA
from tests.signatures.conftest import PASSPHRASE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("matrix_clock")]


def test_the_decider_signs_the_decided_sheet_on_its_page(
    world: World, trusted_ca: CA, login: Any
) -> None:
    sheet = appeal_rows.decided_sheet(world)
    head = world.users["head"]
    add_credential(head, trusted_ca.issue_pkcs12("Head", PASSPHRASE), PASSPHRASE, by=head)

    response = login(head).post(
        reverse("signatures:sign_sheet", args=[sheet.pk]), {"passphrase": PASSPHRASE}
    )

    assert response.status_code == 302
    document = SignedDocument.objects.get()
    assert (document.kind, document.reference, document.unit) == (
        SignedDocument.Kind.SHEET,
        f"sheet:{sheet.pk}",
        sheet.unit,
    )
    assert verify(document.file.read()).valid
    assert AuditLog.objects.get(action="document.signed").data["sha256"] == document.sha256


def test_an_undecided_sheet_is_not_signed(world: World, trusted_ca: CA) -> None:
    sheet = evaluation_rows.staff_sheet(world)
    signer = LocalSigner(trusted_ca.issue_pkcs12("Head", PASSPHRASE), PASSPHRASE)

    with pytest.raises(SignatureError):
        sign_sheet(sheet, by=world.users["head"], signer=signer)
    assert SignedDocument.objects.count() == 0


@pytest.mark.parametrize("persona", ["staff", "manager", "hr"])
def test_only_the_decider_signs_a_sheet(persona: str, world: World, trusted_ca: CA) -> None:
    sheet = appeal_rows.decided_sheet(world)
    signer = LocalSigner(trusted_ca.issue_pkcs12("X", PASSPHRASE), PASSPHRASE)

    with pytest.raises(PermissionDenied):
        sign_sheet(sheet, by=world.users[persona], signer=signer)
