"""The yearly export for the national database of cán bộ, công chức, viên chức: one record per
person of a decided (or closed) annual classification, as CSV (UTF-8 with a BOM, for Excel)
and JSON, the JSON valid against `schemas/national-annual-export.schema.json`.

No official field list of the national database could be found (docs/decisions.md): the
format is ours, its columns are documented in docs/national-export.md. Everyone with an annual
sheet is listed; a person not classified has `result` "not_classified" and an empty level.
"""

import csv
import datetime
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.round import AnnualError
from danhgia.annual.services import DECIDED_STATES
from danhgia.core.audit import log_action
from danhgia.evaluations.services.categories import Configs
from danhgia.evaluations.services.common import require_manager

FORMAT_VERSION: Final = "1.0"
SCHEMA_PATH: Final = Path(__file__).parent / "schemas" / "national-annual-export.schema.json"
FORMATS: Final = ("csv", "json")
DECIDED: Final = "decided"
NOT_CLASSIFIED: Final = "not_classified"


@dataclass(frozen=True)
class NationalRecord:
    """One person's annual classification; the field order is the CSV's column order."""

    organisation_code: str
    organisation_name: str
    year: int
    employee_code: str
    full_name: str
    staff_category: str
    unit_code: str
    unit_name: str
    result: str
    level_code: str
    level_name: str
    score: str
    decided_on: str
    decision_number: str
    decision_date: str


COLUMNS: Final = tuple(NationalRecord.__dataclass_fields__)


def _iso(value: datetime.date | None) -> str:
    return value.isoformat() if value is not None else ""


def national_records(period: AnnualPeriod) -> list[NationalRecord]:
    """Every annual sheet of the period, in roster order (unit, then person). The unit is the
    person's at the opening of the year; the level's name is that of the sheet's rulebook."""
    sheets = (
        AnnualSheet.objects.filter(annual_period=period)
        .select_related("person", "unit", "rulebook", "annual_period__rulebook")
        .order_by("unit__path", "person__sort_key", "pk")
    )
    configs = Configs(period, error=AnnualError)
    organisation = period.organisation
    records = []
    for sheet in sheets:
        decided = sheet.status == AnnualSheet.Status.DECIDED
        names = {level.code: level.name for level in configs.of(sheet).levels}
        decided_at = timezone.localdate(sheet.decided_at) if sheet.decided_at and decided else None
        records.append(
            NationalRecord(
                organisation_code=organisation.code,
                organisation_name=organisation.name,
                year=period.year,
                employee_code=sheet.person.employee_code,
                full_name=sheet.person.full_name,
                staff_category=sheet.person.staff_category,
                unit_code=sheet.unit.code,
                unit_name=sheet.unit.name,
                result=DECIDED if decided else NOT_CLASSIFIED,
                level_code=sheet.decided_level if decided else "",
                level_name=names.get(sheet.decided_level, "") if decided else "",
                score=f"{sheet.score:.2f}" if sheet.score is not None else "",
                decided_on=_iso(decided_at),
                decision_number=period.decision_number,
                decision_date=_iso(period.decision_date),
            )
        )
    return records


def to_csv(records: list[NationalRecord]) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads Vietnamese right), a header row of the
    column names, CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(str(value) for value in asdict(record).values())
    return buffer.getvalue().encode("utf-8-sig")


def to_json(period: AnnualPeriod, records: list[NationalRecord]) -> bytes:
    """The document the schema describes: the format's version, the organisation, the year,
    the decision and the records (score a number or null there)."""
    document: dict[str, Any] = {
        "format": "danhgia-national-annual",
        "version": FORMAT_VERSION,
        "organisation_code": period.organisation.code,
        "year": period.year,
        "decision_number": period.decision_number,
        "decision_date": _iso(period.decision_date),
        "records": [
            {**asdict(record), "score": float(record.score) if record.score else None}
            for record in records
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def export_filename(period: AnnualPeriod, fmt: str) -> str:
    return f"csdl-quoc-gia-{period.organisation.code}-{period.year}.{fmt}"


@transaction.atomic
def export_for_national_database(period: AnnualPeriod, fmt: str, *, by: User) -> bytes:
    """The period's records in `fmt` ("csv" or "json"). Logs `annual.exported` with the format
    and the count of records. Raises AnnualError for anyone but HR or an admin, a year still
    being decided, or one whose decision number is not recorded yet."""
    require_manager(by, period.organisation, _("its annual classification"), AnnualError)
    if fmt not in FORMATS:
        raise AnnualError(_("Unknown export format."))
    if period.state not in DECIDED_STATES:
        raise AnnualError(_("Export the year once every level is decided."))
    if not period.decision_number or period.decision_date is None:
        raise AnnualError(_("Record the number and date of the decision before exporting."))
    records = national_records(period)
    content = to_csv(records) if fmt == "csv" else to_json(period, records)
    log_action(period, "annual.exported", by=by, data={"format": fmt, "records": len(records)})
    return content
