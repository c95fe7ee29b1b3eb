"""Export fixtures: the DOMAIN worked example as a reviewed (and a decided) October sheet.

The staff member of the division scores 9/9/9 and proposes "excellent" (total 90,44); the
manager reviews with the same scores. Deciding "excellent" alone in a unit is over the quota,
so the decided sheet is "good" with the quota as reason.
"""

import subprocess
from pathlib import Path

import pytest

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.services.decisions import decide_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.work.models import Task
from tests.annual.conftest import decided, open_year, qnam  # noqa: F401 - fixtures
from tests.conftest import World
from tests.evaluations.conftest import (  # noqa: F401 - fixtures
    OpenOctober,
    english,
    make_task,
    nd335,
    open_october,
    products,
    scores,
    sheet_of,
    worked_example,
)

QUOTA_REASON = "Đơn vị đã đủ tỷ lệ hoàn thành xuất sắc nhiệm vụ trong tháng."
STRENGTHS = "Nắm vững chuyên môn, chủ động tham mưu; phối hợp tốt với đồng nghiệp."
SHORTCOMINGS = "Còn 01 báo cáo nộp chậm so với thời hạn."
COMMENT = "Thống nhất với nội dung tự đánh giá."


@pytest.fixture
def october(open_october: OpenOctober) -> Period:  # noqa: F811
    return open_october()


@pytest.fixture
def reviewed_sheet(world: World, worked_example: list[Task], october: Period) -> Sheet:  # noqa: F811
    sheet = sheet_of(october, world.people["staff"])
    owner = world.users["staff"]
    sheet = save_self_evaluation(
        sheet,
        by=owner,
        scores=scores(9, 9, 9),
        strengths=STRENGTHS,
        shortcomings=SHORTCOMINGS,
        proposed_level="excellent",
    )
    sheet = submit_self_evaluation(sheet, by=owner)
    return submit_review(
        sheet,
        by=world.users["manager"],
        scores=scores(9, 9, 9),
        comment=COMMENT,
        proposed_level="excellent",
    )


@pytest.fixture
def decided_sheet(world: World, reviewed_sheet: Sheet) -> Sheet:
    return decide_sheet(reviewed_sheet, by=world.users["head"], level="good", reason=QUOTA_REASON)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of a PDF as poppler's pdftotext reads it (layout kept, one string)."""
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def pdf_fonts(data: bytes, tmp_path: Path) -> str:
    """The fonts embedded in a PDF (poppler's pdffonts)."""
    source = tmp_path / "fonts.pdf"
    source.write_bytes(data)
    result = subprocess.run(["pdffonts", str(source)], capture_output=True, check=True)
    return result.stdout.decode("utf-8")
