"""The head signs the month's summary on its page; the public verification page accepts the
signed file and rejects a modified copy (issue 18's "done when")."""

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from danhgia.signatures.models import SignedDocument, SignerCredential
from danhgia.signatures.services import add_credential
from tests.conftest import World
from tests.matrix import evaluations as evaluation_rows
from tests.signatures.ca import CertificateAuthority as CA
from tests.signatures.conftest import PASSPHRASE
from tests.signatures.test_signing import _flip_in_stream

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("matrix_clock")]


def _sign_url(world: World) -> str:
    return reverse("signatures:sign_month", args=[world.dept.pk, 2026, 10])


def _upload(client: Any, data: bytes) -> str:
    pdf = SimpleUploadedFile("ket-qua.pdf", data, content_type="application/pdf")
    with translation.override("vi"):
        response = client.post(reverse("signatures:verify"), {"document": pdf})
    assert response.status_code == 200
    return response.content.decode()


def test_a_head_signs_and_anyone_verifies(world: World, trusted_ca: CA, login: Any) -> None:
    evaluation_rows.period(world)
    head = world.users["head"]
    add_credential(head, trusted_ca.issue_pkcs12("Head", PASSPHRASE), PASSPHRASE, by=head)
    client = login(head)

    response = client.post(_sign_url(world), {"passphrase": PASSPHRASE})

    assert response.status_code == 302
    document = SignedDocument.objects.get()
    assert document.reference == f"month_summary:{world.dept.pk}:2026-10"
    data = document.file.read()
    anonymous = login(None)
    page = _upload(anonymous, data)
    assert "Chữ ký hợp lệ" in page
    assert "Khớp với bản lưu trong hệ thống" in page
    page = _upload(anonymous, _flip_in_stream(data))
    assert "Tài liệu đã bị sửa sau khi ký" in page
    assert "Không khớp với bản lưu trong hệ thống" in page


def test_a_head_keeps_a_certificate_signs_and_downloads(
    world: World, trusted_ca: CA, login: Any
) -> None:
    evaluation_rows.period(world)
    head = world.users["head"]
    client = login(head)
    blob = trusted_ca.issue_pkcs12("Head", PASSPHRASE)
    upload = SimpleUploadedFile("head.p12", blob, content_type="application/x-pkcs12")

    response = client.post(
        reverse("signatures:credential"), {"pkcs12": upload, "passphrase": PASSPHRASE}
    )

    assert response.status_code == 302
    assert SignerCredential.objects.get(user=head).subject == "CN=Head,C=VN"
    assert client.post(_sign_url(world), {"passphrase": PASSPHRASE}).status_code == 302
    document = SignedDocument.objects.get()
    response = client.get(reverse("signatures:download", args=[document.pk]))
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert document.sha256 in client.get(_sign_url(world)).content.decode()


def test_a_certificate_with_the_wrong_password_is_not_kept(
    world: World, trusted_ca: CA, login: Any
) -> None:
    blob = trusted_ca.issue_pkcs12("Head", PASSPHRASE)
    upload = SimpleUploadedFile("head.p12", blob, content_type="application/x-pkcs12")

    response = login(world.users["head"]).post(
        reverse("signatures:credential"), {"pkcs12": upload, "passphrase": "sai"}
    )

    assert response.status_code == 422
    assert SignerCredential.objects.count() == 0


def test_a_wrong_password_signs_nothing(world: World, trusted_ca: CA, login: Any) -> None:
    evaluation_rows.period(world)
    head = world.users["head"]
    add_credential(head, trusted_ca.issue_pkcs12("Head", PASSPHRASE), PASSPHRASE, by=head)

    response = login(head).post(_sign_url(world), {"passphrase": "sai"})

    assert response.status_code == 422
    assert SignedDocument.objects.count() == 0


def test_a_file_that_is_not_a_pdf_is_refused(world: World, login: Any) -> None:
    pdf = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")

    response = login(None).post(reverse("signatures:verify"), {"document": pdf})

    assert response.status_code == 422


def test_a_file_too_large_is_refused(world: World, login: Any, settings: Any) -> None:
    settings.SIGNATURE_VERIFY_MAX_BYTES = 10
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.7 and more", content_type="application/pdf")

    response = login(None).post(reverse("signatures:verify"), {"document": pdf})

    assert response.status_code == 422


def test_the_month_export_page_links_to_signing_for_the_head_only(world: World, login: Any) -> None:
    evaluation_rows.period(world)
    url = reverse("exports:month_export", args=[world.dept.pk, 2026, 10])
    sign = _sign_url(world)

    assert sign in login(world.users["head"]).get(url).content.decode()
    assert sign not in login(world.users["hr"]).get(url).content.decode()
