"""The one date widget of every form: the browser's date picker (`<input type="date">`).

The HTML standard fixes the value of a date input to ISO 8601 (`2026-12-06`) whatever the
language: the browser shows it in the user's format and sends it back as ISO. A value in the
site's display format (`06/12/2026`) is not a valid value, so Chromium shows an empty field,
and a prefilled form would lose its dates. This widget always renders ISO; the fields accept
ISO input through DATE_INPUT_FORMATS (config/formats), which also keeps dd/mm/yyyy for
programs and browsers without a date picker.
"""

import datetime
from typing import Any

from django import forms
from django.utils import formats

ISO_DATE = "%Y-%m-%d"


def iso_date(value: Any) -> Any:
    """A date, or text in one of the input formats (as posted back with an error), as ISO;
    anything else unchanged (the field's error says what is wrong with it)."""
    if isinstance(value, datetime.date):
        return value.strftime(ISO_DATE)
    if isinstance(value, str) and value.strip():
        for pattern in (ISO_DATE, *formats.get_format("DATE_INPUT_FORMATS")):
            try:
                return datetime.datetime.strptime(value.strip(), pattern).date().strftime(ISO_DATE)
            except ValueError:
                continue
    return value


class DateInput(forms.DateInput):
    """`<input type="date">` whose value is always ISO (yyyy-mm-dd), never localised."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)

    def format_value(self, value: Any) -> str | None:
        value = iso_date(value)
        return None if value in (None, "") else str(value)
