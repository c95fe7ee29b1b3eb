"""The head signs a person's decided annual form (the annual fixtures of tests/annual)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from danhgia.annual.services import decide_annual
from danhgia.signatures.models import SignedDocument
from danhgia.signatures.services import SignatureError, add_credential, sign_annual_sheet
from danhgia.signatures.signers import LocalSigner
from danhgia.signatures.verification import verify
from tests.annual.conftest import Decided, OpenYear, sheet_of
from tests.annual.conftest import decided as decided  # noqa: F401 (fixtures)
from tests.annual.conftest import open_year as open_year  # noqa: F401
from tests.annual.conftest import qnam as qnam  # noqa: F401
from tests.conftest import World
from tests.signatures.ca import CertificateAuthority as CA
from tests.signatures.conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


def test_the_head_signs_a_decided_annual_form(
    world: World, decided: Decided, open_year: OpenYear, trusted_ca: CA, login: Any
) -> None:
    decided(world.people["staff"], range(1, 13), "60")
    sheet = sheet_of(open_year(world.dept), world.people["staff"])
    head = world.users["head"]
    add_credential(head, trusted_ca.issue_pkcs12("Head", PASSPHRASE), PASSPHRASE, by=head)
    url = reverse("signatures:sign_annual", args=[sheet.pk])
    client = login(head)

    assert client.post(url, {"passphrase": PASSPHRASE}).status_code == 422  # not decided yet
    decide_annual(sheet, by=head, level=sheet.proposed_level)
    assert client.post(url, {"passphrase": PASSPHRASE}).status_code == 302

    document = SignedDocument.objects.get()
    assert (document.kind, document.reference) == ("annual_form", f"annual_form:{sheet.pk}")
    assert verify(document.file.read()).valid


def test_only_the_decider_signs_an_annual_form(
    world: World, decided: Decided, open_year: OpenYear, trusted_ca: CA
) -> None:
    decided(world.people["staff"], range(1, 13), "60")
    sheet = sheet_of(open_year(world.dept), world.people["staff"])
    sheet = decide_annual(sheet, by=world.users["head"], level=sheet.proposed_level)
    signer = LocalSigner(trusted_ca.issue_pkcs12("X", PASSPHRASE), PASSPHRASE)

    for persona in ("staff", "manager", "hr"):
        with pytest.raises(PermissionDenied):
            sign_annual_sheet(sheet, by=world.users[persona], signer=signer)
    assert SignedDocument.objects.count() == 0
    with pytest.raises(SignatureError):  # the manager's form: no months, not classified
        sign_annual_sheet(
            sheet_of(sheet.annual_period, world.people["manager"]),
            by=world.users["head"],
            signer=signer,
        )
