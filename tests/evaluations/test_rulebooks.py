"""HR clones a rulebook and edits the clone; a period keeps the version it was opened with."""

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.rules.schema import parse_rulebook
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.periods import applicable_rulebook
from danhgia.evaluations.services.rulebooks import clone_rulebook, update_rulebook_part
from danhgia.evaluations.services.sheets import recompute_sheet, save_self_evaluation
from danhgia.organisations.models import Role, UnitRole
from danhgia.work.models import Task
from tests.conftest import SINCE, World
from tests.evaluations.conftest import OCT, OpenOctober, scores, sheet_of

pytestmark = pytest.mark.usefixtures("english")

STRICTER_LEVELS = [("excellent", 95), ("good", 91), ("completed", 50), ("not_completed", 0)]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _clone(world: World, nd335: Rulebook) -> Rulebook:
    return clone_rulebook(
        nd335, by=world.users["hr"], organisation=world.province, name="Quy tắc của tỉnh"
    )


def _levels(rulebook: Rulebook, thresholds: list[tuple[str, int]]) -> dict[str, Any]:
    levels = copy.deepcopy(rulebook.levels)
    minimum = dict(thresholds)
    for item in levels["items"]:
        item["min_score"] = minimum[item["code"]]
    return levels


def test_clone_takes_the_organisation_code_and_is_not_frozen(world: World, nd335: Rulebook) -> None:
    clone = _clone(world, nd335)
    assert (clone.code, clone.version, clone.based_on, clone.organisation) == (
        "TINH-ND335-2025",
        1,
        nd335,
        world.province,
    )
    assert (clone.name, clone.frozen_at, clone.created_by) == (
        "Quy tắc của tỉnh",
        None,
        world.users["hr"],
    )
    assert (clone.criteria, clone.levels, clone.quota) == (
        nd335.criteria,
        nd335.levels,
        nd335.quota,
    )
    again = clone_rulebook(clone, by=world.users["hr"], organisation=world.province, name="v2")
    assert (again.code, again.version, again.based_on) == ("TINH-ND335-2025", 2, clone)
    log = AuditLog.objects.get(action="rulebook.cloned", object_id=str(clone.pk))
    assert (log.actor, log.data["based_on"], log.data["version"]) == (
        world.users["hr"],
        {"code": "ND335-2025", "version": nd335.version},
        1,
    )


def test_clone_needs_hr_over_the_organisation(world: World, nd335: Rulebook) -> None:
    with pytest.raises(EvaluationError, match="Only the HR officer"):
        clone_rulebook(nd335, by=world.users["head"], organisation=world.dept, name="X")
    assert Rulebook.objects.filter(based_on=nd335).count() == 0


def test_edit_a_part_logs_before_and_after(world: World, nd335: Rulebook) -> None:
    clone = _clone(world, nd335)
    before = copy.deepcopy(clone.levels)
    after = _levels(clone, STRICTER_LEVELS)
    update_rulebook_part(clone, by=world.users["hr"], part="levels", value=after)
    clone.refresh_from_db()
    assert clone.levels == after
    log = AuditLog.objects.get(action="rulebook.updated", object_id=str(clone.pk))
    assert log.data == {"part": "levels", "before": {"levels": before}, "after": {"levels": after}}


def test_a_frozen_rulebook_is_not_edited(world: World, open_october: OpenOctober) -> None:
    clone = _clone(world, Rulebook.objects.get(code="ND335-2025", version=1))
    open_october(rulebook=clone)
    clone.refresh_from_db()
    levels = copy.deepcopy(clone.levels)
    with pytest.raises(EvaluationError) as error:
        update_rulebook_part(
            clone, by=world.users["hr"], part="levels", value=_levels(clone, STRICTER_LEVELS)
        )
    assert str(error.value) == "This rulebook is used by a period: clone it to change the rules."
    clone.refresh_from_db()
    assert clone.levels == levels


def _criteria_with(rulebook: Rulebook, ethics: int) -> dict[str, Any]:
    criteria = copy.deepcopy(rulebook.criteria)
    criteria["items"][0]["max_points"] = ethics
    return criteria


@pytest.mark.parametrize(
    ("part", "change", "message"),
    [
        (
            "criteria",
            lambda rulebook: _criteria_with(rulebook, 15),
            "general criteria: the maximum points add up to 35 instead of 30.",
        ),
        (
            "levels",
            lambda rulebook: _levels(
                rulebook, [("excellent", 70), ("good", 90), ("completed", 50), ("not_completed", 0)]
            ),
            "levels and thresholds: each level's minimum score must be below the one above it.",
        ),
        (
            "quota",
            lambda rulebook: {**rulebook.quota, "share": "1.5", "exception_share": "2"},
            "quota: share must be between 0 and 1.",
        ),
    ],
)
def test_invalid_numbers_give_the_engines_message_and_change_nothing(
    world: World, nd335: Rulebook, part: str, change: Any, message: str
) -> None:
    clone = _clone(world, nd335)
    before = copy.deepcopy(getattr(clone, part))
    with pytest.raises(EvaluationError) as error:
        update_rulebook_part(clone, by=world.users["hr"], part=part, value=change(clone))
    assert str(error.value) == message
    clone.refresh_from_db()
    assert getattr(clone, part) == before
    assert AuditLog.objects.filter(action="rulebook.updated").count() == 0


def test_a_period_keeps_its_version_when_the_clone_is_edited(
    world: World, nd335: Rulebook, open_october: OpenOctober, worked_example: list[Task]
) -> None:
    period = open_october(rulebook=nd335)
    staff = world.users["staff"]
    sheet = save_self_evaluation(
        sheet_of(period, world.people["staff"]), by=staff, scores=scores(9, 9, 9)
    )
    assert (sheet.total, sheet.band) == (Decimal("90.44"), "excellent")
    clone = _clone(world, nd335)
    update_rulebook_part(
        clone, by=world.users["hr"], part="levels", value=_levels(clone, STRICTER_LEVELS)
    )
    assert applicable_rulebook(world.province, OCT) == clone
    recompute_sheet(sheet)
    period.refresh_from_db()
    assert period.rulebook == nd335
    bands = dict(period.sheets.values_list("person__employee_code", "band"))
    assert bands["E-staff"] == "excellent"
    nd335.refresh_from_db()
    assert nd335.levels["items"][0]["min_score"] == 90


# Views


def test_hr_clones_through_the_page(world: World, nd335: Rulebook) -> None:
    client = _client(world.users["hr"])
    url = reverse("evaluations:rulebook_clone", args=[nd335.pk])
    page = client.get(url).content.decode()
    assert 'value="Nghị định 335/2025/NĐ-CP (công chức)"' in page
    response = client.post(url, {"organisation": world.dept.pk, "name": "Quy tắc Sở Nội vụ"})
    clone = Rulebook.objects.get(based_on=nd335)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:rulebook_detail", args=[clone.pk])
    assert (clone.code, clone.organisation) == ("SNV-ND335-2025", world.dept)


def test_the_edit_page_keeps_the_input_and_shows_the_engines_message(
    world: World, nd335: Rulebook
) -> None:
    clone = _clone(world, nd335)
    url = reverse("evaluations:rulebook_edit", args=[clone.pk, "quota"])
    data = {
        "share": "1.5",
        "exception_share": "2",
        "rounding": "down",
        "enforcement": "block",
        "scope": "unit",
        "note": "Thử",
    }
    response = _client(world.users["hr"]).post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "quota: share must be between 0 and 1." in page
    assert 'value="1.5"' in page
    clone.refresh_from_db()
    assert clone.quota == nd335.quota


def test_the_edit_page_saves_criteria_names_and_points(world: World, nd335: Rulebook) -> None:
    clone = _clone(world, nd335)
    url = reverse("evaluations:rulebook_edit", args=[clone.pk, "criteria"])
    client = _client(world.users["hr"])
    assert 'name="number_0"' in client.get(url).content.decode()
    data = {
        "name_0": "Đạo đức",
        "number_0": "12",
        "name_1": "Năng lực",
        "number_1": "9.5",
        "name_2": "Đổi mới",
        "number_2": "8.5",
        "note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    clone.refresh_from_db()
    assert [
        (item["code"], item["name"], item["max_points"]) for item in clone.criteria["items"]
    ] == [
        ("ethics", "Đạo đức", 12),
        ("competence", "Năng lực", "9.5"),
        ("innovation", "Đổi mới", "8.5"),
    ]
    assert "note" not in clone.criteria


def test_the_edit_page_of_a_frozen_rulebook_offers_cloning(
    world: World, nd335: Rulebook, open_october: OpenOctober
) -> None:
    open_october(rulebook=nd335)
    client = _client(world.users["hr"])
    url = reverse("evaluations:rulebook_edit", args=[nd335.pk, "levels"])
    page = client.get(url).content.decode()
    assert "This rulebook is used by a period: clone it to change the rules." in page
    assert reverse("evaluations:rulebook_clone", args=[nd335.pk]) in page
    assert client.post(url, {"note": "x"}).status_code == 200
    nd335.refresh_from_db()
    assert nd335.levels["note"] == "Ngưỡng 90/70/50 theo Nghị định 335/2025."


def test_other_scopes_rulebooks_are_not_found(world: World, nd335: Rulebook) -> None:
    clone = clone_rulebook(
        nd335, by=world.users["admin"], organisation=world.dept_other, name="Sở Tài chính"
    )
    hr_of_dept = world.users["head"]
    UnitRole.objects.create(
        user=hr_of_dept, unit=world.dept, role=Role.HR_OFFICER, valid_from=SINCE
    )
    client = _client(hr_of_dept)
    assert client.get(reverse("evaluations:rulebook_clone", args=[clone.pk])).status_code == 404
    edit = reverse("evaluations:rulebook_edit", args=[clone.pk, "levels"])
    assert client.get(edit).status_code == 404
    assert client.get(reverse("evaluations:rulebook_clone", args=[nd335.pk])).status_code == 200


@pytest.mark.parametrize(
    "part", ["criteria", "task_scoring", "levels", "vetoes", "quota", "annual", "deadlines"]
)
def test_each_part_form_saves_its_own_values_unchanged(
    world: World, nd335: Rulebook, part: str
) -> None:
    clone = _clone(world, nd335)
    client = _client(world.users["hr"])
    url = reverse("evaluations:rulebook_edit", args=[clone.pk, part])
    form = client.get(url).context["form"]
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True or part == "vetoes":
            data[field.html_name] = "on" if value is True else value
        else:
            data[field.html_name] = field.field.widget.format_value(value)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    clone.refresh_from_db()
    assert parse_rulebook(clone) == parse_rulebook(nd335)
