"""The two writes of an import: store and check an upload, then commit it all-or-nothing."""

import hashlib
import secrets

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.organisations.imports.columns import columns_for
from danhgia.organisations.imports.people import check_people, write_people
from danhgia.organisations.imports.reading import extension, read_table
from danhgia.organisations.imports.rows import CheckResult, ImportFileError
from danhgia.organisations.imports.units import check_units, write_units
from danhgia.organisations.models import ImportBatch, ImportKind
from danhgia.organisations.services import OrganisationError


def upload_import(kind: str, upload: UploadedFile, *, by: User) -> ImportBatch:
    """Store `upload` under MEDIA_ROOT (random name), check every row, record the outcome.

    Creates one ImportBatch, PREVIEWED when the file is clean and REJECTED with every
    problem otherwise. Changes no unit or person and writes no audit row: the batch itself
    records the upload. Size and extension are the upload form's checks, not repeated here.
    """
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    batch = ImportBatch(
        kind=kind,
        original_name=(upload.name or "")[:255],
        sha256=digest.hexdigest(),
        uploaded_by=by,
        uploaded_at=clock.now(),
        status=ImportBatch.Status.PREVIEWED,
    )
    batch.file.save(f"{secrets.token_hex(16)}{extension(batch.original_name)}", upload, save=False)
    _record(batch, check_batch(batch, by=by))
    batch.save()
    return batch


def check_batch(batch: ImportBatch, *, by: User) -> CheckResult:
    """Read the batch's stored file and check it for `by`. Reads only.

    Raises OrganisationError when the stored file no longer matches the uploaded one.
    """
    with batch.file.open("rb") as handle:
        data = handle.read()
    if batch.sha256 and hashlib.sha256(data).hexdigest() != batch.sha256:
        raise OrganisationError(_("The stored file has changed since it was uploaded."))
    try:
        table = read_table(data, batch.original_name, columns_for(batch.kind))
    except ImportFileError as error:
        return CheckResult(kind=batch.kind, problems=error.problems)
    checker = check_units if batch.kind == ImportKind.UNITS else check_people
    return checker(table, by)


def _record(batch: ImportBatch, result: CheckResult) -> None:
    batch.row_count = result.row_count
    batch.created_count = len(result.created)
    batch.updated_count = len(result.updated)
    problems = result.sorted_problems(columns_for(batch.kind))
    batch.errors = [problem.as_dict() for problem in problems]
    batch.preview = result.preview
    if result.problems:
        batch.status = ImportBatch.Status.REJECTED


@transaction.atomic
def commit_import(batch: ImportBatch, *, by: User) -> ImportBatch:
    """Check the stored file again and write all its rows, or none, in one transaction.

    If the check now finds problems (the data changed since the preview), the batch becomes
    REJECTED with them and nothing else is written. Otherwise it becomes COMMITTED and one
    audit row `import.committed` records the counts and the created, updated and moved codes
    (a person whose unit changes is moved from today: a `Transfer` row).
    Raises OrganisationError when the batch is not waiting for confirmation.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise OrganisationError(_("This file is not waiting for confirmation."))
    result = check_batch(batch, by=by)
    _record(batch, result)
    fields = ["status", "row_count", "created_count", "updated_count", "errors", "preview"]
    if result.problems:
        batch.save(update_fields=fields)
        return batch
    moved: list[str] = []
    if batch.kind == ImportKind.UNITS:
        write_units(result)
    else:
        moved = write_people(result, by=by)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = clock.now()
    batch.save(update_fields=[*fields, "committed_at"])
    log_action(
        batch,
        "import.committed",
        by=by,
        data={
            "kind": batch.kind,
            "file": batch.original_name,
            "sha256": batch.sha256,
            "rows": result.row_count,
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": result.unchanged,
            "created_codes": result.created,
            "updated_codes": result.updated,
            "moved_codes": moved,
            "job_positions_created": sorted(result.new_job_positions),
        },
    )
    return batch
