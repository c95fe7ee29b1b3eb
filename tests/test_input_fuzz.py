"""Boundary values sent to every form and API endpoint of the permission matrix.

For each matrix row, as a persona allowed to use it: a page's forms are read from its HTML
(inputs, selects, text areas, submit buttons) and sent back once per field and boundary value,
the other fields keeping what the page offered; a POST-only row sends its own data keys; an API
row sends the query parameters and request body of its operation in the OpenAPI schema, and
bodies no parser should choke on. Boundary values: empty, 100 kB of text, zero-width, format and
control characters, far and impossible dates, negative and huge numbers.

Every answer must be below 500 (and a problem+json for the API); a POST of 100 kB or a far date
to a form must answer an error (4xx, or the page again with an error shown, or a redirect that
saved nothing); after the row no text column of any model holds the 100 kB text or an invisible
character, and no date column a date before 1901 or after 2099.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.test import Client
from django.urls import resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from danhgia.api.services import create_integration
from tests.conftest import World
from tests.matrix import PERSONAS, Row
from tests.test_permission_matrix import ROWS

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

LONG = "x9" * 50_000  # 100 kB
LONG_MARK = "x9" * 100
INVISIBLE = "\u200b\u200c\u200d\ufeff\u202e\u2066\u00ad\x07\x1b"
ZERO_WIDTH = "ZW1\u200b\u200d\ufeff\u202e\x07\x00 Mã\u200b"
FAR_DATES = [
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "2100-01-01",
    "31/02/2026",
    "31/12/9999",
    "01/01/1900",
    "9999-12",
]
NUMBERS = ["-1", "1e308", str(10**30)]
DATE_NAME = re.compile(r"date|day|month|week|due|deadline|start|end|(^|_)on$|(^|_)(from|to)$")
ERROR_MARK = re.compile(r'class="errors?[" ]|role="alert"')
API_PREFIX = "/api/"
PROBLEM = "application/problem+json"


# Reading the forms of a page


@dataclass
class Control:
    name: str
    kind: str  # text, textarea, date, number, choice, hidden, file, other
    values: list[str] = field(default_factory=list)  # what the page offers by default
    options: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class HtmlForm:
    method: str
    action: str
    controls: dict[str, Control] = field(default_factory=dict)
    submit: tuple[str, str] | None = None


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: Control | None = None
        self._select_multiple = False
        self._option: str | None = None
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attrs_list}
        if tag == "form":
            self._form = HtmlForm(attrs.get("method", "get").lower(), attrs.get("action", ""))
            self.forms.append(self._form)
            return
        form = self._form
        name = attrs.get("name")
        if form is None or not name or "disabled" in attrs:
            if tag == "option" and self._select is not None:
                self._option_start(attrs)
            return
        if tag == "input":
            self._input(form, name, attrs)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            form.submit = form.submit or (name, attrs.get("value", ""))
        elif tag == "select":
            self._select = form.controls.setdefault(
                name, Control(name, "choice", required="required" in attrs)
            )
            self._select_multiple = "multiple" in attrs
        elif tag == "textarea":
            self._textarea = form.controls.setdefault(
                name, Control(name, "textarea", [""], required="required" in attrs)
            )

    def _option_start(self, attrs: dict[str, str]) -> None:
        self._option = attrs.get("value", "")
        assert self._select is not None
        self._select.options.append(self._option)
        if "selected" in attrs and (self._select_multiple or not self._select.values):
            self._select.values.append(self._option)

    def _input(self, form: HtmlForm, name: str, attrs: dict[str, str]) -> None:
        kind = attrs.get("type", "text").lower()
        value = attrs.get("value", "")
        if kind in ("submit", "image"):
            form.submit = form.submit or (name, value)
            return
        if kind in ("checkbox", "radio"):
            control = form.controls.setdefault(name, Control(name, "choice"))
            control.options.append(value or "on")
            if "checked" in attrs:
                control.values.append(value or "on")
            return
        placeholder = attrs.get("placeholder", "")
        if kind in ("date", "month") or "dd/mm" in placeholder or DATE_NAME.search(name):
            kind = "date" if kind != "hidden" else kind
        elif kind == "number" or attrs.get("inputmode") in ("numeric", "decimal"):
            kind = "number"
        elif kind not in ("hidden", "file"):
            kind = "text"
        form.controls[name] = Control(name, kind, [value], required="required" in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            text = self._textarea.values[0] + data
            self._textarea.values = [text.removeprefix("\n")]


def _layout_form_paths() -> set[str]:
    """The forms of every page's header (sign out, language): fuzzed by their own rows, and
    signing out would end the fuzzing of the page."""
    return {reverse("accounts:logout"), reverse("set_language")}


def page_forms(html: str, url: str) -> list[HtmlForm]:
    parser = FormParser()
    parser.feed(html)
    result = []
    for form in parser.forms:
        form.action = urljoin(url, form.action or url)
        if urlsplit(form.action).netloc not in ("", "testserver"):
            continue
        if urlsplit(form.action).path in _layout_form_paths():
            continue
        form.controls.pop("csrfmiddlewaretoken", None)
        result.append(form)
    return result


def _filled(control: Control) -> list[str]:
    """What the page offers, or a plausible value for a required empty field."""
    if control.kind == "choice":
        if any(control.values):
            return control.values
        chosen = next((option for option in control.options if option), None)
        return [chosen] if chosen is not None and control.options else []
    if control.values and control.values[0] or not control.required:
        return control.values
    return {"date": ["2026-01-15"], "number": ["1"]}.get(control.kind, ["Nội dung thử"])


def baseline(form: HtmlForm) -> dict[str, list[str]]:
    data = {
        name: _filled(control) for name, control in form.controls.items() if control.kind != "file"
    }
    if form.submit is not None:
        data[form.submit[0]] = [form.submit[1]]
    return data


def variants(control: Control) -> Iterator[tuple[str, bool]]:
    """(value, whether a form must refuse it)."""
    if control.kind == "file":
        return
    yield "", False
    if control.kind == "date":
        yield from ((day, True) for day in FAR_DATES)
        yield ZERO_WIDTH, False
    elif control.kind == "number":
        yield from ((number, False) for number in NUMBERS)
    elif control.kind in ("choice", "hidden"):
        yield from ((number, False) for number in ["-1", str(10**30)])
        yield LONG, False
        yield ZERO_WIDTH, False
    else:
        yield LONG, control.kind in ("text", "textarea")
        base = control.values[0] if control.values and control.values[0] else "Nội dung"
        yield f"{base[:40]}{ZERO_WIDTH}", False


# Sending and judging


def _send(client: Client, method: str, url: str, data: Any, **extra: Any) -> Any:
    response = getattr(client, method)(url, data, **extra)
    assert response.status_code < 500, (method, url, _short(data), response.status_code)
    if urlsplit(url).path.startswith(API_PREFIX) and response.status_code >= 400:
        assert response["Content-Type"].startswith(PROBLEM), (url, response.status_code)
    return response


def _short(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _short(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_short(value) for value in data]
    if isinstance(data, str | bytes) and len(data) > 60:
        return f"{data[:20]}…({len(data)})"
    return data


def _refused(response: Any) -> bool:
    if response.status_code >= 400 or response.status_code in (301, 302, 303):
        return True
    return bool(ERROR_MARK.search(response.content.decode(errors="replace")))


def fuzz_form(client: Client, form: HtmlForm) -> int:
    sent = 0
    base = baseline(form)
    for name, control in form.controls.items():
        for value, must_refuse in variants(control):
            data = {**base, name: [value]}
            response = _send(client, "post" if form.method == "post" else "get", form.action, data)
            sent += 1
            if must_refuse and form.method == "post":
                assert _refused(response), (form.action, name, _short(value))
    return sent


def fuzz_post_row(client: Client, url: str, row: Row) -> int:
    sent = 1
    _send(client, "post", url, row.data)
    for name in row.data:
        for value in ["", LONG, ZERO_WIDTH, *FAR_DATES[:2], *NUMBERS]:
            _send(client, "post", url, {**row.data, name: value})
            sent += 1
    return sent


# The API, from its OpenAPI schema


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return schema


def _schema_path(url: str) -> str:
    route = resolve(url).route.replace("<str:pk>", "{id}")  # drf-spectacular's name for pk
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _body_fields(operation: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    if not ref:
        return {}
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    properties: dict[str, Any] = component.get("properties", {})
    return properties


def _valid_body(world: World) -> dict[str, Any]:
    from danhgia.core import clock

    today = clock.today().isoformat()
    return {
        "title": "Xử lý công văn",
        "description": "Nội dung",
        "document_number": "12/UBND",
        "document_date": today,
        "deadline": today,
        "owner": world.people["staff"].employee_code,
    }


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def fuzz_api_row(client: Client, url: str, world: World) -> int:
    schema = _schema()
    path = schema["paths"][_schema_path(url)]
    _integration, token = create_integration(name="Fuzz", unit=world.province, by=world.users["hr"])
    headers = {"headers": {"Authorization": f"Bearer {token}"}}
    sent = 0
    for method, operation in path.items():
        if method == "get":
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            for name in names:
                for value in ["", LONG, ZERO_WIDTH, *FAR_DATES, *NUMBERS]:
                    _send(client, "get", url, {name: value}, **headers)
                    sent += 1
            continue
        fields = _body_fields(operation, schema)
        body = _valid_body(world)
        for name in fields:
            for value in [
                "",
                None,
                LONG,
                ZERO_WIDTH,
                *FAR_DATES,
                *NUMBERS,
                10**30,
                -1,
                [1],
                {"a": 1},
                "\ud800",
            ]:
                _send_json(client, method, url, json.dumps({**body, name: value}), headers)
                sent += 1
    for raw in [_nested(100_000), _nested(5_000), "{", '"x"', "[]", "\ud800", "{}" * 3]:
        _send_json(client, "put", url, raw, headers)
        _send_json(client, "post", url, raw, headers)
        sent += 2
    return sent


def _send_json(client: Client, method: str, url: str, raw: str, headers: dict[str, Any]) -> None:
    data = raw.encode("utf-8", errors="surrogatepass")
    _send(client, method, url, data, content_type="application/json", **headers)


# What must not be stored


def stored_boundary_values() -> list[str]:
    """Rows of any model holding the 100 kB text, an invisible character or a far date."""
    found = []
    for model in apps.get_models():
        query = Q()
        casts: dict[str, Any] = {}
        for model_field in model._meta.concrete_fields:
            column = model_field.attname
            if isinstance(model_field, models.CharField | models.TextField):
                query |= Q(**{f"{column}__contains": LONG_MARK})
                for ch in INVISIBLE:
                    query |= Q(**{f"{column}__contains": ch})
            elif isinstance(model_field, models.JSONField):
                alias = f"fuzz_{column}"
                casts[alias] = Cast(column, models.TextField())
                query |= Q(**{f"{alias}__contains": LONG_MARK})
                for ch in INVISIBLE:
                    query |= Q(**{f"{alias}__contains": ch})
                    query |= Q(**{f"{alias}__contains": f"\\u{ord(ch):04x}"})
            elif isinstance(model_field, models.DateField) and not isinstance(
                model_field, models.DateTimeField
            ):
                query |= Q(**{f"{column}__lt": "1901-01-01"}) | Q(**{f"{column}__gt": "2099-12-31"})
        if not query:
            continue
        rows = model._default_manager.annotate(**casts).filter(query)
        found += [f"{model._meta.label} #{pk}" for pk in rows.values_list("pk", flat=True)[:5]]
    return found


# The test


def _persona(row: Row) -> str | None:
    """The first signed-in persona the row lets in; anonymous when only anonymous is."""
    statuses = row.statuses()
    wanted = (200,) if row.method == "get" else (200, 201, 204, 302, 303)
    for persona in [*PERSONAS[1:], PERSONAS[0]]:
        if statuses[persona] in wanted:
            return persona
    return None


def _is_api(row: Row) -> bool:
    return row.name.startswith("api:") and set(row.statuses().values()) == {401}


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_boundary_values(row: Row, world: World, login: Any) -> None:
    cache.clear()  # the API's throttle
    if _is_api(row):
        client = login(None)
        url = reverse(row.name, args=row.args(world))
        fuzz_api_row(client, url, world)
    else:
        persona = _persona(row)
        if persona is None:
            pytest.skip("nobody may use this row")
        client = login(None if persona == "anonymous" else world.users[persona])
        url = reverse(row.name, args=row.args(world))
        if row.method == "post":
            fuzz_post_row(client, url, row)
        else:
            response = _send(client, "get", url, row.data)
            if "text/html" in response.get("Content-Type", ""):
                for form in page_forms(response.content.decode(), url):
                    fuzz_form(client, form)
    assert stored_boundary_values() == []


@pytest.mark.django_db
def test_every_post_row_and_api_operation_is_fuzzed(world: World) -> None:
    """A POST row nobody may use, or an API operation without a row, would go unfuzzed."""
    assert [row.name for row in ROWS if row.method == "post" and _persona(row) is None] == []
    fuzzed = {_schema_path(reverse(row.name, args=row.args(world))) for row in ROWS if _is_api(row)}
    assert set(_schema()["paths"]) - fuzzed == set()
