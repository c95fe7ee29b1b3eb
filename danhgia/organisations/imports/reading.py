"""A stored file (bytes) to a `Table`: decode, find the header row, keep the known columns.

.xlsx is read with openpyxl in read-only mode (streaming; formulas come back as "=..." text,
which the cell parsers reject). CSV may be UTF-8 with or without BOM, UTF-16 with BOM (Excel's
"Unicode text", tab-separated) or Windows-1258; the delimiter is `,`, `;` or tab.
Raises `ImportFileError` for anything that stops the whole file from being read.
"""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from danhgia.organisations.imports.cells import CellError, choice_key, is_blank, raw_text
from danhgia.organisations.imports.columns import Column
from danhgia.organisations.imports.rows import ImportFileError, Problem, Table

HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 60
MAX_DATA_ROWS = 200_000
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
DELIMITERS = (",", ";", "\t")


def extension(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def read_table(data: bytes, filename: str, columns: Sequence[Column]) -> Table:
    """Read `data` (named `filename`) into a Table of the given column specs.

    Empty rows are skipped. Raises ImportFileError when the file is not readable, has no
    header row in its first 10 rows, lacks a required column or has no data rows.
    """
    raw_rows = _xlsx_rows(data) if extension(filename) in XLSX_EXTENSIONS else _text_rows(data)
    head: list[tuple[object, ...]] = []
    for row in raw_rows:
        head.append(row)
        if len(head) == HEADER_SEARCH_ROWS:
            break
    header_index, found = _find_header(head, columns)
    positions = [position for _column, position in found]
    table = Table(columns=[column for column, _position in found], rows=[])
    remaining = _chain(head[header_index + 1 :], raw_rows)
    for number, row in enumerate(remaining, start=header_index + 2):
        cells = tuple(row[position] if position < len(row) else None for position in positions)
        if all(is_blank(cell) for cell in cells):
            continue
        if len(table.rows) == MAX_DATA_ROWS:
            raise ImportFileError(
                Problem(
                    None,
                    "",
                    _("The file has more than %(count)d rows; split it.")
                    % {"count": MAX_DATA_ROWS},
                )
            )
        table.rows.append((number, cells))
    if not table.rows:
        raise ImportFileError(Problem(None, "", _("The file has no data rows under the header.")))
    return table


def _chain(
    first: list[tuple[object, ...]], rest: Iterator[tuple[object, ...]]
) -> Iterator[tuple[object, ...]]:
    yield from first
    yield from rest


def _find_header(
    head: list[tuple[object, ...]], columns: Sequence[Column]
) -> tuple[int, list[tuple[Column, int]]]:
    """The row among the first ones that names the most known columns, and those columns.

    Title rows (often merged cells) above the header are fine. Raises ImportFileError when no
    row names two columns, when a column is named twice or a required column is missing.
    """
    best_index, best = -1, list[tuple[Column, int]]()
    for index, row in enumerate(head):
        found = _match_headers(row, columns)
        if len(found) > len(best):
            best_index, best = index, found
    if len(best) < 2:
        names = ", ".join(f"“{column.header}”" for column in columns if column.required)
        raise ImportFileError(
            Problem(
                None,
                "",
                _(
                    "No header row was found in the first %(count)d rows. The "
                    "header must name the columns, for example %(names)s."
                )
                % {"count": HEADER_SEARCH_ROWS, "names": names},
            )
        )
    problems = []
    seen: set[str] = set()
    for column, _position in best:
        if column.key in seen:
            problems.append(
                Problem(
                    best_index + 1, column.header, _("This column appears twice in the header.")
                )
            )
        seen.add(column.key)
    problems += [
        Problem(
            None,
            column.header,
            _("The required column “%(name)s” is missing.") % {"name": column.header},
        )
        for column in columns
        if column.required and column.key not in seen
    ]
    if problems:
        raise ImportFileError(*problems)
    return best_index, best


def _match_headers(row: tuple[object, ...], columns: Sequence[Column]) -> list[tuple[Column, int]]:
    by_key = {name: column for column in columns for name in column.header_keys()}
    found = []
    for position, cell in enumerate(row):
        try:
            column = by_key.get(choice_key(raw_text(cell))) if not is_blank(cell) else None
        except CellError:
            column = None
        if column is not None:
            found.append((column, position))
    return found


def _xlsx_rows(data: bytes) -> Iterator[tuple[object, ...]]:
    """Cell values of the first sheet, one tuple per Excel row, empty rows included."""
    not_excel = ImportFileError(
        Problem(
            None,
            "",
            _(
                "This is not a valid Excel file (.xlsx). Open it in Excel and save "
                "it again as “Excel Workbook (.xlsx)”, or upload a CSV file."
            ),
        )
    )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise not_excel
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged or foreign zip
        raise not_excel from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read what is there
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except ImportFileError:
        raise
    except Exception as error:  # a damaged sheet inside a valid zip
        raise not_excel from error
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """Text of a CSV: BOMs first, then UTF-8, then Windows-1258 (which never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:200]:
        # UTF-16 without BOM: ASCII letters have a zero byte after (LE) or before (BE).
        little = data[1:200:2].count(0) > data[0:200:2].count(0)
        return data.decode("utf-16-le" if little else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the most fields (`,` on a tie)."""
    lines = sample.splitlines()[:HEADER_SEARCH_ROWS]

    def widest(delimiter: str) -> int:
        return max((len(row) for row in csv.reader(lines, delimiter=delimiter)), default=0)

    return max(DELIMITERS, key=widest)


def _text_rows(data: bytes) -> Iterator[tuple[object, ...]]:
    text = decode_text(data)
    delimiter = detect_delimiter(text[:20_000])
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield tuple(row[:MAX_COLUMNS])
    except csv.Error as error:  # e.g. a cell longer than the csv module's limit
        raise ImportFileError(
            Problem(
                None, "", _("This file could not be read as CSV: %(reason)s.") % {"reason": error}
            )
        ) from error
