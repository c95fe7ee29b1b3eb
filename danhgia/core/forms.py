"""The base of every form of the site: input is cleaned and bounded before it is validated.

`Form` and `ModelForm` (and `CleanInputMixin` for Django's own forms) give every form:

- text normalised by danhgia.core.text (one-line fields by `nfc`, text areas by
  `nfc_multiline`): NFC, no zero-width, format or control characters;
- a length limit on every text field: its own `max_length`, else `SHORT_TEXT_MAX` for a
  one-line field and `LONG_TEXT_MAX` for a text area (`JSON_TEXT_MAX` for JSON);
- the date policy (danhgia.core.dates) on every date field: the kind named in `date_kinds`,
  else `DateKind.HISTORY`.

tests/core/test_input_limits.py checks that every form of the project is built on them.
"""

import re
from typing import Any, ClassVar

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from danhgia.core.dates import DateKind, DateWindowValidator
from danhgia.core.text import nfc, nfc_multiline

SHORT_TEXT_MAX = 255
LONG_TEXT_MAX = 5000
JSON_TEXT_MAX = 20000

MAX_KEY = 2**63 - 1  # the largest primary key of a bigint column
INTEGER = re.compile(r"\s*[+-]?\d+\s*$")

TOO_LONG_MESSAGE = _("Write at most %(limit_value)d characters (this has %(show_value)d).")


def text_limit(field: forms.CharField) -> int:
    """The most characters `field` accepts: its own limit, else the one of its kind."""
    if field.max_length is not None:
        return int(field.max_length)
    if isinstance(field, forms.JSONField):
        return JSON_TEXT_MAX
    if isinstance(field.widget, forms.Textarea):
        return LONG_TEXT_MAX
    return SHORT_TEXT_MAX


def is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def bound_input(field: forms.Field, date_kind: DateKind) -> None:
    """Give `field` its length limit or date window (once; fields are copied per form)."""
    if getattr(field, "input_bounded", False):
        return
    if isinstance(field, forms.CharField):
        limit = text_limit(field)
        field.max_length = limit
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(limit, message=TOO_LONG_MESSAGE))
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("maxlength", str(limit))
    elif isinstance(field, forms.DateField):
        field.validators.append(DateWindowValidator(date_kind))
    elif isinstance(field, forms.ModelChoiceField):
        _refuse_keys_out_of_range(field)
    field.input_bounded = True  # type: ignore[attr-defined]


def _refuse_keys_out_of_range(field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]
    """A choice of rows by a number too big for the database (10**30) is an invalid choice,
    not a server error: Django passes it to the database in a `pk__in` lookup."""
    clean = field.clean

    def clean_in_range(value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str) and INTEGER.match(item) and abs(int(item)) > MAX_KEY:
                raise forms.ValidationError(
                    _("Choose one of the choices offered; %(value)s is not one of them."),
                    code="invalid_choice",
                    params={"value": item[:20]},
                )
        return clean(value)

    field.clean = clean_in_range  # type: ignore[method-assign]


class CleanInputMixin(forms.BaseForm):
    """Normalise text and bound every field before the form validates (see the module)."""

    # Date fields whose kind is not HISTORY, by field name.
    date_kinds: ClassVar[dict[str, DateKind]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bound_fields()

    def bound_fields(self) -> None:
        """Bound every field, also those a subclass added after __init__."""
        for name, field in self.fields.items():
            bound_input(field, self.date_kinds.get(name, DateKind.HISTORY))

    def full_clean(self) -> None:
        self.bound_fields()
        if self.is_bound:
            self.data = self._normalised(self.data)
        super().full_clean()

    def _normalised(self, data: Any) -> Any:
        cleaners = {
            self.add_prefix(name): nfc_multiline if is_multiline(field) else nfc
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField)
            and not isinstance(field.widget, forms.PasswordInput)
        }
        if not any(key in data for key in cleaners):
            return data
        if isinstance(data, MultiValueDict):
            copy = data.copy()
            for key, clean in cleaners.items():
                if key in copy:
                    values = copy.getlist(key)
                    copy.setlist(key, [clean(v) if isinstance(v, str) else v for v in values])
            return copy
        result = dict(data)
        for key, clean in cleaners.items():
            if isinstance(result.get(key), str):
                result[key] = clean(result[key])
        return result


class Form(CleanInputMixin, forms.Form):
    """A form of the site (see the module)."""


class ModelForm(CleanInputMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A model form of the site (see the module)."""
