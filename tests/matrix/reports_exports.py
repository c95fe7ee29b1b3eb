"""Forms and exports: the October sheet of `staff` (reviewed by `manager`, decided by
`head`), the 2025 annual sheet of `staff`, the department's month and annual forms, and an
export job asked for by `head`.

A sheet's PDF follows the sheet page (the person, reviewer, decider and roles over the unit;
others 404). A unit's exports are for every role over the unit (the manager's scope is the
division only: 404 for the department). An export job is its requester's alone (404 for
everyone else).
"""

from typing import Any

from django.utils import timezone

from danhgia.reports.exports.models import ExportJob
from tests.conftest import World
from tests.matrix import Row
from tests.matrix import annual as annual_rows
from tests.matrix import evaluations as evaluation_rows


def _sheet(world: World) -> list[Any]:
    return [evaluation_rows.staff_sheet(world).pk]


def _annual_sheet(world: World) -> list[Any]:
    return annual_rows._sheet(world)


def _month(world: World) -> list[Any]:
    evaluation_rows.period(world)
    return [world.dept.pk, 2026, 10]


def _annual(world: World) -> list[Any]:
    return [annual_rows.period(world).pk, world.dept.pk]


def _job(world: World) -> list[Any]:
    """A finished job of `head` (its file is a few bytes: the matrix tests access only)."""
    job = ExportJob.objects.filter(requested_by=world.users["head"]).first()
    if job is None:
        from django.core.files.base import ContentFile

        job = ExportJob(
            kind=ExportJob.Kind.MONTH_XLSX,
            parameters={"unit": world.dept.pk, "year": 2026, "month": 10},
            title="Sở Nội vụ, tháng 10/2026 (Excel)",
            requested_by=world.users["head"],
            created_at=timezone.now(),
            status=ExportJob.Status.DONE,
            filename="ket-qua-snv-2026-10.xlsx",
        )
        job.file.save("matrix.xlsx", ContentFile(b"PK"), save=False)
        job.save()
    return [job.pk]


ROWS = [
    Row("exports:job_list", "302 200 200 200 200 200 200 200"),
    Row("exports:job_detail", "302 404 404 404 200 404 404 404", _job),
    Row("exports:job_download", "302 404 404 404 200 404 404 404", _job),
    Row("exports:sheet_pdf", "302 200 404 200 200 404 200 200", _sheet),
    Row("exports:annual_sheet_pdf", "302 200 404 200 200 404 200 200", _annual_sheet),
    Row("exports:month_export", "302 404 404 404 200 404 200 200", _month),
    Row("exports:annual_export", "302 404 404 404 200 404 200 200", _annual),
]
