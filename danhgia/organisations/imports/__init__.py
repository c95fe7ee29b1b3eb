"""Import of units and people from .xlsx and CSV files, all rows or none.

The flow, one module per step:

    forms.py      the upload form: kind + file; rejects big files and wrong extensions
    reading.py    bytes -> Table: finds the header row, maps headers to columns
    columns.py    the column specs: one place for headers, parsing, help and examples
    cells.py      one raw cell -> a Python value, or CellError with the user's message
    rows.py       parsed rows, problems and the check result shared by both kinds
    units.py      check and write unit rows
    people.py     check and write person rows
    services.py   upload_import() and commit_import(): the only entry points for views

An upload is stored and checked completely (ImportBatch PREVIEWED or REJECTED). Committing
re-reads the stored file, checks it again and writes every row in one transaction.
"""
