"""Print which sheets would change if past periods were rescored with the current code, and why.

For HR and auditors; reads only (nothing is saved). Each period is rescored with its OWN
rulebook version. Exits with success either way: the list is the record.
"""

import argparse
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from danhgia.evaluations.models import Period, Sheet
from danhgia.evaluations.rescore_report import Change, rescore_report
from danhgia.organisations.models import Unit

REASON_LABELS = {
    "abc": "a, b, c (số lượng, chất lượng, tiến độ)",
    "d": "d (kết quả của cấp dưới)",
    "dd_e": "đ, e (được đánh giá)",
    "rounding": "làm tròn",
    "general": "điểm tiêu chí chung",
    "band": "ngưỡng mức xếp loại",
}
HEADINGS = ("Phiếu", "Kỳ", "Họ và tên", "Trạng thái", "Lý do", "Đã lưu → Tính lại")


def format_table(changes: Sequence[Change]) -> str:
    """The changes as a plain-text table with Vietnamese headings."""
    if not changes:
        return "Không phiếu nào thay đổi khi tính lại."
    rows = [HEADINGS] + [
        (
            str(change.sheet_id),
            change.period,
            change.person,
            str(Sheet.Status(change.status).label),
            "; ".join(REASON_LABELS[reason] for reason in change.reasons),
            ", ".join(
                f"{name}: {change.before[name]} → {change.after[name]}" for name in change.before
            ),
        )
        for change in changes
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADINGS))]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "List the sheets whose results would change if the periods of an organisation were "
        "rescored now with the current code (each with its own rulebook version), and why. "
        "Reads only."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="the unit code, e.g. SNV")
        parser.add_argument(
            "--kind", choices=Period.Kind.values, default=Period.Kind.MONTH, help="month (default)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Unit.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No unit has the code {options['organisation']!r}.")
        periods = Period.objects.filter(organisation=organisation, kind=options["kind"])
        changes = rescore_report(periods.select_related("rulebook").order_by("start"))
        self.stdout.write(format_table(changes))
