"""The input policy on every path: every form of the project is built on
danhgia.core.forms (text normalised and bounded, dates in their window), the API's serializers
likewise, imports through the same normaliser and date policy. The defects the outside tester
found are checked on their own pages."""

import datetime
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

import danhgia
from danhgia.api import serializers as api_serializers
from danhgia.api.serializers import CleanText
from danhgia.core import clock
from danhgia.core.dates import DateKind, DateWindowValidator, out_of_window_message
from danhgia.core.forms import LONG_TEXT_MAX, CleanInputMixin, text_limit
from danhgia.evaluations.models import Period, Sheet
from danhgia.organisations.imports.cells import CellError, day, text
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import Task
from tests.conftest import World
from tests.matrix.evaluations import staff_sheet
from tests.organisations.test_import_helpers import (
    PEOPLE_HEADER,
    confirm,
    csv_text,
    person_row,
    problems,
    uploaded,
)

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(danhgia.__path__, "danhgia."):
        if module.name.endswith("forms"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[Any]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("danhgia.") and cls.__module__ != "danhgia.core.forms":
            found.append(cls)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = _project_forms()


def test_the_forms_are_found() -> None:
    assert len(FORMS) > 40


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: cls.__qualname__)
def test_every_form_cleans_and_bounds_its_input(form_class: type[forms.BaseForm]) -> None:
    assert issubclass(form_class, CleanInputMixin)
    fields = form_class.base_fields
    assert set(form_class.date_kinds) <= set(fields), "date_kinds names a field it lacks"
    for name, field in fields.items():
        if isinstance(field, forms.CharField) and not isinstance(field, forms.JSONField):
            assert text_limit(field) <= LONG_TEXT_MAX, name


def _serializers() -> list[type[serializers.Serializer]]:
    return [
        value
        for value in vars(api_serializers).values()
        if isinstance(value, type)
        and issubclass(value, serializers.Serializer)
        and value.__module__ == api_serializers.__name__
    ]


@pytest.mark.parametrize("serializer_class", _serializers(), ids=lambda cls: cls.__name__)
def test_every_api_input_is_cleaned_and_bounded(serializer_class: type[Any]) -> None:
    if serializer_class.__name__ == "ProblemSerializer":
        return  # documentation of our answers, never read from a request
    for name, field in serializer_class().fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.RegexField):
            assert field.max_length is not None, name
        elif isinstance(field, serializers.CharField):
            assert isinstance(field, CleanText) and field.max_length <= LONG_TEXT_MAX, name
        if isinstance(field, serializers.DateField):
            assert any(isinstance(v, DateWindowValidator) for v in field.validators), name


# Forms


def _message(kind: DateKind, language: str = "vi") -> str:
    with translation.override(language):
        return out_of_window_message(kind)


@pytest.mark.django_db
def test_zero_width_characters_leave_codes_and_names_typed_in_a_form(
    world: World, login: Any
) -> None:
    client = login(world.users["hr"])
    data = {
        "code": "ZW1\u200b",
        "name": "\ufeffPhòng\u200d Thử\u202e",
        "kind": "division",
        "parent": world.dept.pk,
        "valid_from": "01/01/2020",
    }
    response = client.post(reverse("organisations:unit_create"), data)
    assert response.status_code == 302
    unit = Unit.objects.get(parent=world.dept, code__startswith="ZW1")
    assert (unit.code, unit.name) == ("ZW1", "Phòng Thử")


@pytest.mark.django_db
def test_a_100_kb_self_evaluation_is_refused(world: World, login: Any) -> None:
    sheet = staff_sheet(world)
    client = login(world.users["staff"])
    data = {"strengths": "ư" * 100_000, "action": "save"}
    response = client.post(reverse("evaluations:sheet_self_evaluate", args=[sheet.pk]), data)
    assert response.status_code == 200
    assert "Chỉ được viết tối đa 5000 ký tự (nội dung này có 100000 ký tự)." in (
        response.content.decode()
    )
    assert Sheet.objects.get(pk=sheet.pk).strengths == ""


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["9999-12", "1999-12", "2100-01"])
def test_a_period_far_away_is_refused(world: World, login: Any, month: str) -> None:
    client = login(world.users["hr"])
    data = {"organisation": world.province.pk, "month": month, "kind": "month"}
    response = client.post(reverse("evaluations:period_list"), data)
    assert response.status_code == 200
    assert _message(DateKind.PERIOD) in response.content.decode()
    assert Period.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "due"), [("01/01/1900", None), (None, "31/12/9999"), (None, "01/01/2100")]
)
def test_a_task_far_away_is_refused(
    world: World, login: Any, start: str | None, due: str | None
) -> None:
    today = clock.today()
    data = {
        "title": "Rà soát thủ tục",
        "owners": [world.people["staff"].pk],
        "source": Task.Source.ASSIGNMENT,
        "quantity": "1",
        "start_date": start or today.strftime("%d/%m/%Y"),
        "due_date": due or today.strftime("%d/%m/%Y"),
    }
    response = login(world.users["manager"]).post(reverse("work:task_assign"), data)
    assert response.status_code == 200
    assert _message(DateKind.WORK) in response.content.decode()
    assert Task.objects.count() == 0


@pytest.mark.django_db
def test_an_extension_to_9999_is_refused(world: World, login: Any) -> None:
    from tests.matrix.work_tasks import _task

    task = _task(world)
    data = {"proposed_deadline": "31/12/9999", "reason": "Chờ số liệu"}
    response = login(world.users["staff"]).post(
        reverse("work:extension_request", args=[task.pk]), data
    )
    assert response.status_code == 200
    assert _message(DateKind.WORK) in response.content.decode()
    assert task.extensions.count() == 0


@pytest.mark.django_db
def test_a_person_active_from_9999_is_refused(world: World, login: Any) -> None:
    data = {
        "full_name": "Lý Thị Mỹ",
        "employee_code": "NV-100",
        "staff_category": "vien_chuc",
        "unit": world.division.pk,
        "active_from": "01/01/9999",
    }
    response = login(world.users["hr"]).post(reverse("organisations:person_create"), data)
    assert response.status_code == 200
    assert _message(DateKind.HISTORY) in response.content.decode()
    assert not Person.objects.filter(employee_code="NV-100").exists()


# Imports


def test_import_cells_clean_text_and_bound_dates() -> None:
    assert text(40)("ZW1\u200b\ufeff") == "ZW1"
    assert day("05/04/2022") == datetime.date(2022, 4, 5)
    for far in ["31/12/9999", "01/01/1900", datetime.date(9999, 12, 31)]:
        with translation.override("vi"), pytest.raises(CellError) as error:
            day(far)
        assert str(error.value) == _message(DateKind.HISTORY)


@pytest.mark.django_db
def test_a_people_import_refuses_far_dates(world: World, login: Any) -> None:
    rows = [PEOPLE_HEADER, person_row("NV-1"), person_row("NV-2", start="01/01/9999")]
    batch = uploaded(login(world.users["hr"]), csv_text(rows).encode(), "nhan-su.csv")
    assert [(row, message) for row, _column, message in problems(batch)] == [
        (3, _message(DateKind.HISTORY, "en"))  # the upload helper sends the file in English
    ]


@pytest.mark.django_db
def test_a_people_import_cleans_codes_and_names(world: World, login: Any) -> None:
    client = login(world.users["hr"])
    rows = [PEOPLE_HEADER, person_row("NV-1\u200b", "Trần\u200d Văn\ufeff Bình")]
    confirm(client, uploaded(client, csv_text(rows).encode(), "nhan-su.csv"))
    person = Person.objects.get(employee_code__startswith="NV-1")
    assert (person.employee_code, person.full_name) == ("NV-1", "Trần Văn Bình")
