"""Writes of the exports app: ask for a background export, run it (the huey worker), purge
old files.

A request creates an `ExportJob` (queued) and logs `export.requested`; the job is handed to
the worker when the transaction commits. The worker claims the job (running), builds the file
in the language of the request while writing its progress, and stores it under a random name
(done) or keeps a message (failed). Finished files are kept `EXPORT_KEEP_DAYS` days.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import uuid
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.queries import annual_sheets_of_unit
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.periods import month_label
from danhgia.organisations.models import Unit
from danhgia.reports.exports import documents
from danhgia.reports.exports.models import ExportJob

logger = logging.getLogger(__name__)

#: A summary PDF lists every person on A4 pages; beyond this many rows, use the workbook.
MONTH_PDF_MAX_ROWS = 3000
ANNUAL_PDF_MAX_FORMS = 1000


class ExportError(Exception):
    """An export cannot be made; the message is for the user and says what to do next."""


EXPORT_ACTION_LABELS: dict[str, Any] = {
    "export.requested": gettext_lazy("export requested"),
    "export.purged": gettext_lazy("old export files deleted"),
}


def keep_days() -> int:
    return int(getattr(settings, "EXPORT_KEEP_DAYS", 7))


def _create_job(kind: str, parameters: dict[str, Any], title: str, by: User) -> ExportJob:
    job = ExportJob.objects.create(
        kind=kind,
        parameters={**parameters, "language": translation.get_language() or "vi"},
        title=title[:300],
        requested_by=by,
        created_at=clock.now(),
    )
    log_action(job, "export.requested", by=by, data={"kind": kind, "parameters": parameters})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from danhgia.reports.exports.tasks import export_task

    export_task(job_id)


@transaction.atomic
def request_month_export(unit: Unit, month: datetime.date, fmt: str, *, by: User) -> ExportJob:
    """Queue the workbook (`fmt="xlsx"`) or the summary PDF (`"pdf"`) of `unit`'s month.
    Raises ExportError when the month has no sheet there, or too many for a PDF."""
    count = documents.month_sheets(unit, month).count()
    if count == 0:
        raise ExportError(
            _("No sheet of %(month)s in %(unit)s: open the month first or pick another one.")
            % {"month": month_label(month), "unit": unit.name}
        )
    if fmt == "pdf" and count > MONTH_PDF_MAX_ROWS:
        raise ExportError(
            _(
                "%(count)s sheets are too many for a PDF (at most %(max)s): download the Excel "
                "workbook, or the PDF of each unit."
            )
            % {"count": count, "max": MONTH_PDF_MAX_ROWS}
        )
    kind = ExportJob.Kind.MONTH_PDF if fmt == "pdf" else ExportJob.Kind.MONTH_XLSX
    title = _("%(unit)s, %(month)s (%(format)s)") % {
        "unit": unit.name,
        "month": month_label(month),
        "format": "PDF" if fmt == "pdf" else "Excel",
    }
    parameters = {"unit": unit.pk, "year": month.year, "month": month.month}
    return _create_job(kind, parameters, title, by)


@transaction.atomic
def request_annual_export(period: AnnualPeriod, unit: Unit, *, by: User) -> ExportJob:
    """Queue the annual forms of everyone of `unit` (and below) in `period`, one PDF."""
    count = annual_sheets_of_unit(period, unit).count()
    if count == 0:
        raise ExportError(
            _("Nobody of %(unit)s is in the annual classification %(year)s.")
            % {"unit": unit.name, "year": period.year}
        )
    if count > ANNUAL_PDF_MAX_FORMS:
        raise ExportError(
            _("%(count)s forms are too many for one PDF (at most %(max)s): export each unit.")
            % {"count": count, "max": ANNUAL_PDF_MAX_FORMS}
        )
    title = _("%(unit)s, annual forms %(year)s (PDF)") % {"unit": unit.name, "year": period.year}
    return _create_job(
        ExportJob.Kind.ANNUAL_PDF, {"annual_period": period.pk, "unit": unit.pk}, title, by
    )


def _claim(job_id: int) -> ExportJob | None:
    """Move a queued job to running (once, even if the worker gets it twice)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ExportJob.Status.QUEUED:
            return None
        job.status = ExportJob.Status.RUNNING
        job.started_at = clock.now()
        job.save(update_fields=["status", "started_at"])
        return job


def _progress(job: ExportJob) -> documents.Progress:
    def report(done: int, total: int) -> None:
        percent = min(99, done * 100 // total) if total else 0
        ExportJob.objects.filter(pk=job.pk).update(progress=percent, rows=done)

    return report


def _build(job: ExportJob) -> tuple[File[Any], str, int]:
    """The file of the job, its download name and its row count."""
    parameters = job.parameters
    unit = Unit.objects.get(pk=parameters["unit"])
    if job.kind in (ExportJob.Kind.MONTH_XLSX, ExportJob.Kind.MONTH_PDF):
        month = datetime.date(parameters["year"], parameters["month"], 1)
        if job.kind == ExportJob.Kind.MONTH_PDF:
            pdf = documents.month_pdf(unit, month)
            rows = documents.month_sheets(unit, month).count()
            return ContentFile(pdf), documents.month_filename(unit, month, "pdf"), rows
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by run_export
        rows = documents.write_month_workbook(unit, month, handle, _progress(job))
        handle.seek(0)
        return File(handle), documents.month_filename(unit, month, "xlsx"), rows
    period = AnnualPeriod.objects.select_related("rulebook").get(pk=parameters["annual_period"])
    sheets: list[AnnualSheet] = list(
        annual_sheets_of_unit(period, unit).select_related(
            "annual_period__rulebook", "rulebook", "decided_by__person", "unit__parent"
        )
    )
    pdf = documents.annual_pdf(sheets)
    name = f"mau-danh-gia-nam-{unit.code.lower()}-{period.year}.pdf"
    return ContentFile(pdf), name, len(sheets)


def run_export(job_id: int) -> ExportJob | None:
    """Build a queued job's file (the worker calls this). Never raises for a broken export:
    the job is marked failed with a message and the error is logged for the administrator."""
    job = _claim(job_id)
    if job is None:
        return None
    content: File[Any] | None = None
    try:
        with translation.override(job.parameters.get("language") or "vi"):
            content, filename, rows = _build(job)
        extension = filename.rsplit(".", 1)[-1]
        with transaction.atomic():
            job.file.save(f"{uuid.uuid4().hex}.{extension}", content, save=False)
            job.filename = filename
            job.rows = rows
            job.progress = 100
            job.status = ExportJob.Status.DONE
            job.finished_at = clock.now()
            job.save(
                update_fields=["file", "filename", "rows", "progress", "status", "finished_at"]
            )
    except Exception:
        logger.exception("Export job %s failed", job_id)
        with translation.override(job.parameters.get("language") or "vi"):
            message = _("The export failed. Try again; if it fails again, tell the administrator.")
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=message, finished_at=clock.now()
        )
        job.refresh_from_db()
    finally:
        if content is not None:
            content.close()
    return job


@transaction.atomic
def purge_old_exports(now: datetime.datetime | None = None) -> int:
    """Delete finished jobs older than `EXPORT_KEEP_DAYS` and their files; logs
    `export.purged` with the count when there was any."""
    before = (now or clock.now()) - datetime.timedelta(days=keep_days())
    old = list(ExportJob.objects.filter(created_at__lt=before))
    for job in old:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    if old:
        log_action(None, "export.purged", data={"count": len(old), "before": before.isoformat()})
    return len(old)
