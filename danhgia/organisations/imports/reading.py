"""A stored file (bytes) to a `Table`: check the content, find the header, map every column.

The content is checked before anything parses it (`check_import_file`): an .xlsx must be a
workbook and a bounded archive (`core.uploads.check_archive`), a CSV must be text. .xlsx is
read with openpyxl in read-only mode (streaming; formulas come back as "=..." text, which the
cell parsers reject). CSV may be UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
text", tab-separated) or Windows-1258; the delimiter is `,`, `;` or tab.

Nothing in the file is dropped silently: the header may take one row or two (a group title
such as "Thời gian công tác" merged above "Ngày bắt đầu" and "Ngày kết thúc"), and a header the
import does not know, values under a column without header, more columns than we read and a
second sheet with a header of this import are all errors, except for the columns listed in
`IGNORED_HEADERS` (row numbers and notes). Reading stops after `IMPORT_MAX_SECONDS`.
Raises `ImportFileError` for anything that stops the whole file from being read.
"""

import csv
import io
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from danhgia.core.uploads import FileRefused, check_archive, kind_label, sniff
from danhgia.organisations.imports.cells import CellError, choice_key, is_blank, raw_text
from danhgia.organisations.imports.columns import Column
from danhgia.organisations.imports.rows import ImportFileError, Problem, Table

HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 60
MAX_DATA_ROWS = 200_000
DEFAULT_MAX_SECONDS = 120.0
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
DELIMITERS = (",", ";", "\t")
#: Columns a file may have that the import does not read: row numbers and notes.
IGNORED_HEADERS = ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú")
_IGNORED_KEYS = {choice_key(name) for name in IGNORED_HEADERS}


def extension(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def accepted_files() -> str:
    return _("Excel workbooks (.xlsx) and CSV files (.csv)")


def _refused(message: str) -> ImportFileError:
    return ImportFileError(Problem(None, "", message))


def check_import_file(data: bytes, filename: str) -> None:
    """Check that `data` is what its name says, an Excel workbook or a CSV file, before any
    parsing; a workbook must also pass `check_archive`. Raises ImportFileError."""
    suffix = extension(filename)
    name = PurePath(filename).name
    if suffix == ".xls":
        raise _refused(
            _(
                "Old Excel files (.xls) are not accepted. Open the file in Excel and save it "
                "as “Excel Workbook (.xlsx)”."
            )
        )
    kind = sniff(data)
    if kind == "zip":
        try:
            names = check_archive(data, name=name)
        except FileRefused as error:
            raise _refused(str(error)) from error
        workbook = "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
        kind = "xlsx" if workbook else "zip"
    expected = "xlsx" if suffix in XLSX_EXTENSIONS else "text" if suffix in TEXT_EXTENSIONS else ""
    if kind == expected:
        return
    values = {"name": name, "actual": kind_label(kind), "accepted": accepted_files()}
    if expected == "xlsx":
        message = _(
            "%(name)s is not an Excel workbook (.xlsx): it is %(actual)s. Accepted: %(accepted)s."
        )
    elif expected == "text":
        message = _("%(name)s is not a CSV file: it is %(actual)s. Accepted: %(accepted)s.")
    else:
        message = _("%(name)s is not a file we accept: it is %(actual)s. Accepted: %(accepted)s.")
    raise _refused(message % values)


def max_seconds() -> float:
    return float(getattr(settings, "IMPORT_MAX_SECONDS", DEFAULT_MAX_SECONDS))


def read_table(data: bytes, filename: str, columns: Sequence[Column]) -> Table:
    """Read `data` (named `filename`) into a Table of the given column specs.

    Empty rows are skipped. Raises ImportFileError when the file is not what its name says,
    not readable, has no header in its first 10 rows, has a column the import does not know,
    lacks a required column, has no data rows or takes longer than the time budget.
    """
    check_import_file(data, filename)
    deadline = time.monotonic() + max_seconds()
    if extension(filename) in XLSX_EXTENSIONS:
        raw_rows = _xlsx_rows(data, columns)
    else:
        raw_rows = _text_rows(data)
    head: list[tuple[object, ...]] = []
    for row in raw_rows:
        head.append(row)
        if len(head) == HEADER_SEARCH_ROWS + 1:
            break
    header = find_header(head, columns)
    positions = [position for _column, position in header.found]
    table = Table(columns=[column for column, _position in header.found], rows=[])
    unread = set(range(MAX_COLUMNS + 1)) - set(positions) - header.ignored
    stray: dict[int, int] = {}  # position -> first row with a value under no header
    first = header.index + header.height
    remaining = _chain(head[first:], raw_rows)
    for number, row in enumerate(remaining, start=first + 1):
        if time.monotonic() > deadline:
            raise _refused(
                _(
                    "Reading the file took longer than %(seconds)d seconds; split it into "
                    "smaller files."
                )
                % {"seconds": max_seconds()}
            )
        for position in [position for position in unread if position < len(row)]:
            if not is_blank(row[position]):
                stray[position] = number
                unread.discard(position)
        cells = tuple(row[position] if position < len(row) else None for position in positions)
        if all(is_blank(cell) for cell in cells):
            continue
        if len(table.rows) == MAX_DATA_ROWS:
            raise _refused(
                _("The file has more than %(count)d rows; split it.") % {"count": MAX_DATA_ROWS}
            )
        table.rows.append((number, cells))
    if stray:
        raise ImportFileError(*[_stray_problem(pos, row) for pos, row in sorted(stray.items())])
    if not table.rows:
        raise _refused(_("The file has no data rows under the header."))
    return table


def _stray_problem(position: int, row: int) -> Problem:
    if position >= MAX_COLUMNS:
        return Problem(
            row,
            "",
            _("The file has more than %(count)d columns; keep only the template's columns.")
            % {"count": MAX_COLUMNS},
        )
    return Problem(
        row,
        "",
        _(
            "Column %(letter)s has values (from row %(row)d) but no header. Give it a header "
            "of the template, or delete the column."
        )
        % {"letter": get_column_letter(position + 1), "row": row},
    )


def _clip(row: Sequence[object]) -> tuple[object, ...]:
    """The first MAX_COLUMNS cells, then one more: the first value past them, if any (so a
    value out there is reported instead of left out)."""
    if len(row) <= MAX_COLUMNS:
        return tuple(row)
    beyond = next((cell for cell in row[MAX_COLUMNS:] if not is_blank(cell)), None)
    return (*row[:MAX_COLUMNS], beyond)


def _chain(
    first: list[tuple[object, ...]], rest: Iterator[tuple[object, ...]]
) -> Iterator[tuple[object, ...]]:
    yield from first
    yield from rest


def _text(cell: object) -> str:
    if is_blank(cell):
        return ""
    try:
        return raw_text(cell)
    except CellError:
        return str(cell).strip()


@dataclass
class Header:
    """The header found: its first row (0-based in the file), its height (1 or 2 rows), the
    column specs matched and their positions, every position's header text (for messages)
    and the positions of ignored columns (`IGNORED_HEADERS`)."""

    index: int
    height: int
    found: list[tuple[Column, int]]
    texts: dict[int, str]
    ignored: set[int]


def _header_names(top: tuple[object, ...], bottom: tuple[object, ...] | None) -> list[list[str]]:
    """For each position, the names its header may have, most specific first.

    One row: the cell's text. Two rows: a sub-header under a group title gives "title sub"
    then "sub" (the title stays over the following positions while they have sub-headers, as
    a merged cell does); a position without a sub-header keeps the text of the upper row.
    """
    width = max(len(top), len(bottom or ()))
    names: list[list[str]] = []
    group = ""
    for position in range(width):
        upper = _text(top[position]) if position < len(top) else ""
        lower = _text(bottom[position]) if bottom is not None and position < len(bottom) else ""
        if not lower:
            group = ""
            names.append([upper] if upper else [])
            continue
        group = upper or group
        names.append([f"{group} {lower}", lower] if group else [lower])
    return names


def _shown(names: list[str]) -> str:
    """The header as the user wrote it: "Thời gian công tác / Ngày bắt đầu"."""
    if len(names) == 2:
        group = names[0][: len(names[0]) - len(names[1])].strip()
        return f"{group} / {names[1]}"
    return names[0] if names else ""


def _match(names: list[list[str]], columns: Sequence[Column]) -> Header:
    by_key = {key: column for column in columns for key in column.header_keys()}
    found: list[tuple[Column, int]] = []
    texts: dict[int, str] = {}
    ignored: set[int] = set()
    for position, options in enumerate(names):
        if not options:
            continue
        texts[position] = _shown(options)
        keys = [choice_key(option) for option in options]
        column = next((by_key[key] for key in keys if key in by_key), None)
        if column is not None:
            found.append((column, position))
        elif keys[-1] in _IGNORED_KEYS:
            ignored.add(position)
    return Header(index=0, height=1, found=found, texts=texts, ignored=ignored)


def _best_header(head: list[tuple[object, ...]], columns: Sequence[Column]) -> Header | None:
    """The row, or pair of rows, among the first ones that names the most known columns.

    A pair counts only when it names more columns than either of its rows alone, and the
    first row wins a tie, so a title row above a one-row header changes nothing.
    """
    singles = []
    for index, row in enumerate(head[:HEADER_SEARCH_ROWS]):
        header = _match(_header_names(row, None), columns)
        header.index = index
        singles.append(header)
    best: Header | None = None
    for index, single in enumerate(singles):
        if best is None or len(single.found) > len(best.found):
            best = single
        if index + 1 >= len(head):
            continue
        pair = _match(_header_names(head[index], head[index + 1]), columns)
        pair.index, pair.height = index, 2
        below = len(singles[index + 1].found) if index + 1 < len(singles) else 0
        if len(pair.found) > max(len(best.found), below):
            best = pair
    return best


def find_header(head: list[tuple[object, ...]], columns: Sequence[Column]) -> Header:
    """The header among the first rows, with every column mapped or ignored.

    Title rows (often merged cells) above the header are fine. Raises ImportFileError when no
    row names two columns, when a header is not a column of the import, a column is named twice
    or a required column is missing.
    """
    best = _best_header(head, columns)
    if best is None or len(best.found) < 2:
        names = ", ".join(f"“{column.header}”" for column in columns if column.required)
        raise _refused(
            _(
                "No header row was found in the first %(count)d rows. The "
                "header must name the columns, for example %(names)s."
            )
            % {"count": HEADER_SEARCH_ROWS, "names": names}
        )
    row_number = best.index + best.height
    mapped = {position for _column, position in best.found} | best.ignored
    problems = [
        _unknown_header(row_number, position, text)
        for position, text in sorted(best.texts.items())
        if position not in mapped
    ]
    seen: set[str] = set()
    for column, _position in best.found:
        if column.key in seen:
            problems.append(
                Problem(row_number, column.header, _("This column appears twice in the header."))
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
    return best


def _unknown_header(row: int, position: int, text: str) -> Problem:
    if position >= MAX_COLUMNS:
        return _stray_problem(position, row)
    return Problem(
        row,
        text,
        _(
            "Column %(letter)s “%(header)s” is not a column of this import. Rename it to a "
            "header of the template, or delete the column (columns that may stay: %(ignored)s)."
        )
        % {
            "letter": get_column_letter(position + 1),
            "header": text,
            "ignored": ", ".join(IGNORED_HEADERS),
        },
    )


def _xlsx_rows(data: bytes, columns: Sequence[Column]) -> Iterator[tuple[object, ...]]:
    """Cell values of the first sheet, one tuple per Excel row, empty rows included.

    Raises ImportFileError when another sheet also has a header of this import: its rows
    would otherwise be left out without a word.
    """
    not_excel = _refused(
        _(
            "This is not a valid Excel file (.xlsx). Open it in Excel and save "
            "it again as “Excel Workbook (.xlsx)”, or upload a CSV file."
        )
    )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for a damaged or foreign zip
        raise not_excel from error
    try:
        for sheet in workbook.worksheets[1:]:
            rows = sheet.iter_rows(
                max_row=HEADER_SEARCH_ROWS + 1, max_col=MAX_COLUMNS, values_only=True
            )
            best = _best_header(list(rows), columns)
            if best is not None and len(best.found) >= 2:
                raise _refused(
                    _(
                        "The sheet “%(sheet)s” also has a header of this import, and only the "
                        "first sheet is read. Move its rows to the first sheet, or delete it."
                    )
                    % {"sheet": sheet.title}
                )
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong size; read what is there
        for row in sheet.iter_rows(values_only=True):
            yield _clip(row)
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
            yield _clip(row)
    except csv.Error as error:  # e.g. a cell longer than the csv module's limit
        raise ImportFileError(
            Problem(
                None, "", _("This file could not be read as CSV: %(reason)s.") % {"reason": error}
            )
        ) from error
