"""Digital signatures: the verification page is open to everyone (anonymous included); the
page to sign the department's October summary is for a head over it (the manager's scope is
the division only: 404; HR and the supervisor see the unit but do not decide: 403). A signed
summary downloads for every role over its unit (as the month's export); everyone signed in
keeps their own certificate. A decided sheet is signed by its decider (`head`); the others who
read it get 403; so is the 2025 annual form of `staff` (waiting: the page opens, signing waits
for the decision)."""

from typing import Any

from tests.conftest import World
from tests.matrix import Row
from tests.matrix import annual as annual_rows
from tests.matrix import appeals as appeal_rows
from tests.matrix import evaluations as evaluation_rows


def _month(world: World) -> list[Any]:
    evaluation_rows.period(world)
    return [world.dept.pk, 2026, 10]


def empty_pdf() -> bytes:
    """A valid PDF of one blank page (what a reader of the download can open)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _document(world: World) -> list[Any]:
    """A month summary signed by `head` (its file one blank page: the matrix tests access only)."""
    from django.core.files.base import ContentFile

    from danhgia.core import clock
    from danhgia.signatures.models import SignedDocument

    document = SignedDocument.objects.filter(unit=world.dept).first()
    if document is None:
        document = SignedDocument(
            kind=SignedDocument.Kind.MONTH_SUMMARY,
            reference=f"month_summary:{world.dept.pk}:2026-10",
            unit=world.dept,
            filename="ket-qua-snv-2026-10-da-ky.pdf",
            sha256="0" * 64,
            signed_by=world.users["head"],
            signed_at=clock.now(),
        )
        document.file.save("matrix.pdf", ContentFile(empty_pdf()), save=False)
        document.save()
    return [document.pk]


def _decided(world: World) -> list[Any]:
    """The staff's decided October sheet: the one another row decided (an appeal's), else
    decided now."""
    from danhgia.evaluations.models import Sheet

    decided = Sheet.objects.filter(
        period=evaluation_rows.period(world),
        person=world.people["staff"],
        status=Sheet.Status.DECIDED,
    ).first()
    return [(decided or appeal_rows.decided_sheet(world)).pk]


ROWS = [
    Row("signatures:verify", "200 200 200 200 200 200 200 200"),
    Row("signatures:sign_sheet", "302 403 404 403 200 404 403 403", _decided),
    Row("signatures:sign_annual", "302 403 404 403 200 404 403 403", annual_rows._sheet),
    Row("signatures:credential", "302 200 200 200 200 200 200 200"),
    Row("signatures:download", "302 404 404 404 200 404 200 200", _document),
    Row("signatures:sign_month", "302 404 404 404 200 404 403 403", _month),
]
