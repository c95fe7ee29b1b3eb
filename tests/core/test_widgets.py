"""Every date field of every form is the browser's date picker, rendered and read as ISO.

A date input whose value is not ISO (`06/12/2026`) shows empty in Chromium: the form would
lose its dates. The browser test (tests/e2e/test_date_inputs.py) checks the pages themselves.
"""

import datetime
import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from django import forms
from django.utils import translation

import danhgia
from danhgia.core.widgets import DateInput

DAY = datetime.date(2026, 12, 6)


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(danhgia.__path__, "danhgia."):
        if ".migrations" in info.name or info.name.endswith(".demo"):
            continue
        importlib.import_module(info.name)

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = {
        cls
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.startswith("danhgia.") and hasattr(cls, "base_fields")
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _date_fields() -> list[tuple[str, forms.DateField]]:
    return [
        (f"{cls.__module__}.{cls.__qualname__}.{name}", field)
        for cls in _all_form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField)
    ]


DATE_FIELDS = _date_fields()
# A month is a different input (<input type="month">, yyyy-mm), chosen on purpose.
MONTH_FIELDS = {"danhgia.evaluations.forms.OpenPeriodForm.month"}


def test_the_forms_have_date_fields() -> None:
    # Guard the walk itself: the forms of tasks, records, delegations, units... are found.
    names = {name for name, _field in DATE_FIELDS}
    assert "danhgia.evaluations.delegation_forms.DelegationForm.valid_from" in names
    assert "danhgia.organisations.forms.PersonForm.active_from" in names
    assert len(names) >= 25


@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[name for name, _ in DATE_FIELDS])
def test_every_date_field_uses_the_iso_date_input(name: str, field: forms.DateField) -> None:
    if name in MONTH_FIELDS:
        assert field.widget.input_type == "month"
        return
    assert isinstance(field.widget, DateInput), name
    assert field.widget.input_type == "date"


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[name for name, _ in DATE_FIELDS])
def test_every_date_field_renders_and_accepts_iso(
    name: str, field: forms.DateField, language: str
) -> None:
    if name in MONTH_FIELDS:
        return
    with translation.override(language):
        html = field.widget.render("day", DAY)
        assert 'type="date"' in html
        assert 'value="2026-12-06"' in html
        assert field.clean("2026-12-06") == DAY
        assert field.clean("06/12/2026") == DAY  # programs and browsers without a picker


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_posted_back_in_the_display_format_is_shown_as_iso(language: str) -> None:
    with translation.override(language):
        widget = DateInput()
        assert widget.format_value("06/12/2026") == "2026-12-06"
        assert widget.format_value("2026-12-06") == "2026-12-06"
        assert widget.format_value("not a date") == "not a date"  # the field says what is wrong
        assert widget.format_value("") is None
        assert widget.format_value(None) is None
