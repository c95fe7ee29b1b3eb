"""`{{ value|num }}` (no trailing zeros), `{{ value|num:2 }}` (two decimals), `{{ value|pct }}`:
the one way figures are written (danhgia/core/numbers.py)."""

from django import template

from danhgia.core.numbers import number_text, percent_text

register = template.Library()


@register.filter
def num(value: object, places: int | str | None = None) -> str:
    return number_text(value, None if places in (None, "") else int(places))


@register.filter
def pct(value: object) -> str:
    return percent_text(value)
