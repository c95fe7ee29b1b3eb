"""How every number is written, on the web, in the PDFs and in the Excel exports' text: the
local separators (Vietnamese: 1.234,5), and

- `number_text(value)`: as many decimals as the value has, no trailing zeros ("87,5", "2");
- `number_text(value, places)`: exactly `places` decimals, rounded half up ("82,50"), for
  points, whose precision the rulebook gives;
- `percent_text(value)`: a percentage without trailing zeros and a space that never breaks
  before the sign ("93,75 %").

Templates use the filters of `danhgia/core/templatetags/numbers.py` (`num`, `pct`), which
call these; nothing formats a figure another way."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

PERCENT_SPACE = "\u00a0"  # no line break between a figure and its sign


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number_text(value: object, places: int | None = None) -> str:
    """The value with local separators; "" for None or what is not a number."""
    number = _decimal(value)
    if number is None:
        return ""
    if places is None:
        plain = Decimal(format(number.normalize(), "f"))
        return formats.number_format(plain, use_l10n=True)
    # Rounded half up here: Django's number_format cuts the extra decimals off.
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=places, use_l10n=True)


def percent_text(value: object) -> str:
    text = number_text(value)
    return f"{text}{PERCENT_SPACE}%" if text else ""
