"""One way to write a figure: local separators, no trailing zeros unless a precision is
asked, a percent sign that never leaves its number; no template formats a figure otherwise."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from danhgia.core.numbers import number_text, percent_text


@pytest.mark.parametrize(
    ("value", "places", "vi", "en"),
    [
        (Decimal("93.750"), None, "93,75", "93.75"),
        (Decimal("87.5000"), None, "87,5", "87.5"),
        (Decimal("2.00"), None, "2", "2"),
        (Decimal("82.5"), 2, "82,50", "82.50"),
        (Decimal("0.5"), 2, "0,50", "0.50"),
        (100, None, "100", "100"),
        ("63.4375", 2, "63,44", "63.44"),
        (None, 2, "", ""),
        ("", None, "", ""),
        ("không phải số", None, "", ""),
    ],
)
def test_number_text(value: object, places: int | None, vi: str, en: str) -> None:
    with translation.override("vi"):
        assert number_text(value, places) == vi
    with translation.override("en"):
        assert number_text(value, places) == en


def test_percent_text_keeps_its_sign() -> None:
    with translation.override("vi"):
        assert percent_text(Decimal("90.625")) == "90,625\u00a0%"
        assert percent_text(None) == ""


def test_no_template_formats_a_figure_its_own_way() -> None:
    """Every template writes figures through the `num` and `pct` filters."""
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if "floatformat" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
