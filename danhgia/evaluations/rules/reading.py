"""Reading a rulebook's JSON: `RuleError`, a typed `Reader`, and the display rounding.

Numbers may be written as JSON integers, strings ("0.25") or floats (read through their
shortest text, so 0.2 is exactly 0.2); booleans are never numbers.
"""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PERCENT_PLACES: Final = Decimal("0.001")
POINT_PLACES: Final = Decimal("0.01")

# The names of a rulebook's parts, as the Rulebook model labels its fields.
PART_NAMES: Final[dict[str, Promise]] = {
    "criteria": _("general criteria"),
    "task_scoring": _("task scoring"),
    "levels": _("levels and thresholds"),
    "vetoes": _("vetoes"),
    "quota": _("quota"),
    "annual": _("annual rule"),
    "deadlines": _("default deadlines"),
}


class RuleError(ValueError):
    """A rulebook part is invalid. The message (translated) names the part and the problem."""

    def __init__(self, part: str, problem: str) -> None:
        self.part = part
        self.problem = problem
        name = str(PART_NAMES.get(part, part))
        super().__init__(gettext("%(part)s: %(problem)s") % {"part": name, "problem": problem})


def round_pct(value: Decimal) -> Decimal:
    """A percentage as shown and stored: 3 decimals, half up."""
    return value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def round_points(value: Decimal) -> Decimal:
    """Points as shown and stored: 2 decimals, half up."""
    return value.quantize(POINT_PLACES, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> Decimal:
    """The value without trailing zeros and never in exponent form (20.00 → 20, 0.250 → 0.25)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def to_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a JSON number or numeric string; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class _Missing:
    pass


MISSING: Final = _Missing()


class Reader:
    """Reads the fields of one JSON object of a rulebook part; `done()` refuses unknown keys.

    Every problem raises `RuleError(part, ...)` naming the field by its path (`leader.weights.d`).
    A field with a default may be left out; one without is required.
    """

    def __init__(self, part: str, data: object, path: str = "") -> None:
        self.part = part
        self.path = path
        self.seen: set[str] = set()
        if not isinstance(data, Mapping):
            raise self.error(
                gettext("%(field)s must be an object.") % {"field": path}
                if path
                else gettext("this part must be an object.")
            )
        self.data: Mapping[str, Any] = data

    def error(self, problem: str) -> RuleError:
        return RuleError(self.part, problem)

    def field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str, default: object = MISSING) -> object:
        self.seen.add(key)
        if key in self.data:
            return self.data[key]
        if isinstance(default, _Missing):
            raise self.error(gettext("%(field)s is missing.") % {"field": self.field(key)})
        return default

    def decimal(
        self,
        key: str,
        default: Decimal | int | str | _Missing = MISSING,
        *,
        low: Decimal | int | None = None,
        high: Decimal | int | None = None,
        positive: bool = False,
        places: int | None = None,
    ) -> Decimal:
        value = self.raw(key, default)
        number = to_decimal(value)
        if number is None:
            raise self.error(gettext("%(field)s must be a number.") % {"field": self.field(key)})
        if positive and number <= 0:
            raise self.error(
                gettext("%(field)s must be greater than 0.") % {"field": self.field(key)}
            )
        if (low is not None and number < low) or (high is not None and number > high):
            raise self.error(
                gettext("%(field)s must be between %(low)s and %(high)s.")
                % {"field": self.field(key), "low": low, "high": high}
            )
        exponent = number.as_tuple().exponent
        if places is not None and isinstance(exponent, int) and -exponent > places:
            raise self.error(
                gettext("%(field)s may have at most %(places)d decimals.")
                % {"field": self.field(key), "places": places}
            )
        return number

    def integer(
        self, key: str, default: int | _Missing = MISSING, *, low: int = 0, high: int = 366
    ) -> int:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(
                gettext("%(field)s must be a whole number between %(low)s and %(high)s.")
                % {"field": self.field(key), "low": low, "high": high}
            )
        return value

    def boolean(self, key: str, default: bool | _Missing = MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.error(
                gettext("%(field)s must be true or false.") % {"field": self.field(key)}
            )
        return value

    def text(self, key: str, default: str | _Missing = MISSING, *, blank: bool = False) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str):
            raise self.error(gettext("%(field)s must be a text.") % {"field": self.field(key)})
        if not blank and not value.strip():
            raise self.error(gettext("%(field)s must not be empty.") % {"field": self.field(key)})
        return value.strip()

    def choice(self, key: str, choices: Sequence[str], default: str | _Missing = MISSING) -> str:
        value = self.raw(key, default)
        if value not in choices:
            raise self.error(
                gettext("%(field)s must be one of: %(choices)s.")
                % {"field": self.field(key), "choices": ", ".join(choices)}
            )
        return str(value)

    def child(self, key: str, default: Mapping[str, Any] | _Missing = MISSING) -> "Reader":
        return Reader(self.part, self.raw(key, default), self.field(key))

    def items(self, key: str) -> list[object]:
        value = self.raw(key)
        if not isinstance(value, list) or not value:
            raise self.error(
                gettext("%(field)s must be a non-empty list.") % {"field": self.field(key)}
            )
        return value

    def strings(self, key: str, default: list[str] | _Missing = MISSING) -> list[str]:
        value = self.raw(key, default)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(
                gettext("%(field)s must be a list of texts.") % {"field": self.field(key)}
            )
        return list(value)

    def note(self) -> str:
        """The optional free-text `note` every part may carry (why a number was chosen)."""
        return self.text("note", "", blank=True)

    def sources(self) -> dict[str, str]:
        """The optional `sources` every part may carry: for a field path of the part
        ("params.error_deduction", "items" for every item), where the rule comes from (article
        and clause) or, starting with "[L]", why it is a local choice."""
        value = self.raw("sources", {})
        if not isinstance(value, Mapping) or not all(
            isinstance(key, str) and isinstance(text, str) and text.strip()
            for key, text in value.items()
        ):
            raise self.error(
                gettext("%(field)s must map field names to non-empty texts.")
                % {"field": self.field("sources")}
            )
        return {key: text.strip() for key, text in value.items()}

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise self.error(
                gettext("unknown field %(field)s.") % {"field": self.field(unknown[0])}
            )
