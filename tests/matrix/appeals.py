"""Reopening and appeals: the staff sheet of October (tests/matrix/evaluations.py) reviewed by
`manager` and decided by `head`; `staff` appeals it with a PDF, `head` answers.

Only HR (or a head above the decider) reopens a sheet; HR reopens periods; only the person
appeals or withdraws; the named head answers; the appeal's files go to whoever sees the sheet.
"""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from danhgia.evaluations.models import Appeal, AppealFile, Sheet
from danhgia.evaluations.services.appeals import submit_appeal
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.sheets import submit_review
from tests.conftest import World
from tests.matrix import Row
from tests.matrix.evaluations import period, submitted_sheet
from tests.work.conftest import pdf_bytes


def decided_sheet(world: World) -> Sheet:
    sheet = submitted_sheet(world)
    scores = {"ethics": 9, "competence": 9, "innovation": 8}
    sheet = submit_review(
        sheet, by=world.users["manager"], scores=scores, proposed_level=sheet.band
    )
    return decide_sheet(sheet, by=world.users["head"], level=sheet.band)


def appeal(world: World) -> Appeal:
    upload = SimpleUploadedFile("minh-chung.pdf", pdf_bytes(), content_type="application/pdf")
    return submit_appeal(
        decided_sheet(world), by=world.users["staff"], text="Đề nghị xem lại.", files=[upload]
    )


def _decided(world: World) -> list[Any]:
    return [decided_sheet(world).pk]


def _period(world: World) -> list[Any]:
    return [period(world).pk]


def _appeal(world: World) -> list[Any]:
    return [appeal(world).pk]


def _file(world: World) -> list[Any]:
    appeal(world)
    return [AppealFile.objects.get().pk]


ROWS = [
    Row("evaluations:sheet_reopen", "302 403 404 403 403 404 200 403", _decided),
    Row("evaluations:period_reopen", "302 403 403 403 403 403 200 403", _period),
    Row("evaluations:appeal_create", "302 200 404 403 403 404 403 403", _decided),
    Row("evaluations:appeal_list", "302 200 200 200 200 200 200 200"),
    Row("evaluations:appeal_answer", "302 403 404 403 200 404 403 403", _appeal),
    Row("evaluations:appeal_withdraw", "302 302 404 403 403 404 403 403", _appeal, "post"),
    Row("evaluations:appeal_file", "302 200 404 200 200 404 200 200", _file),
]
