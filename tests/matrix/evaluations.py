"""Evaluations: October 2026 of the whole province, opened by `hr`; the sheet of `staff` in
the division, reviewed by `manager`, decided by `head`.

The person evaluates themself; their reviewer reviews; every role over the unit reads the
sheet; the head of the department decides on the unit's page; HR manages periods and reads
the rulebooks. Other departments' people get 404.
"""

import datetime
from typing import Any

from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.services.periods import open_period
from danhgia.evaluations.services.rulebooks import clone_rulebook
from danhgia.evaluations.services.sheets import save_self_evaluation, submit_self_evaluation
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from tests.conftest import World
from tests.matrix import Row

OCTOBER = datetime.date(2026, 10, 1)


def period(world: World) -> Period:
    """The October period of the province, its deadlines the rulebook's (idempotent)."""
    existing = Period.objects.filter(organisation=world.province, start=OCTOBER).first()
    if existing is not None:
        return existing
    ensure_shipped_rulebooks()
    return open_period(
        world.province,
        OCTOBER,
        by=world.users["hr"],
        rulebook=Rulebook.objects.get(code="ND335-2025", version=1),
    )


def staff_sheet(world: World) -> Sheet:
    return Sheet.objects.get(period=period(world), person=world.people["staff"])


def submitted_sheet(world: World) -> Sheet:
    sheet = staff_sheet(world)
    user = world.users["staff"]
    scores = {"ethics": 9, "competence": 9, "innovation": 8}
    sheet = save_self_evaluation(sheet, by=user, scores=scores, proposed_level="good")
    return submit_self_evaluation(sheet, by=user)


def _sheet(world: World) -> list[Any]:
    return [staff_sheet(world).pk]


def _submitted(world: World) -> list[Any]:
    return [submitted_sheet(world).pk]


def _decision(world: World) -> list[Any]:
    return [period(world).pk, world.dept.pk]


def _period(world: World) -> list[Any]:
    return [period(world).pk]


def _rulebook(world: World) -> list[Any]:
    ensure_shipped_rulebooks()
    return [Rulebook.objects.get(code="ND335-2025", version=1).pk]


def _clone(world: World) -> list[Any]:
    """A clone of Nghị định 335 for the province, not frozen (idempotent)."""
    nd335 = Rulebook.objects.get(pk=_rulebook(world)[0])
    clone = Rulebook.objects.filter(based_on=nd335, organisation=world.province).first()
    if clone is None:
        clone = clone_rulebook(
            nd335, by=world.users["hr"], organisation=world.province, name="Quy tắc của tỉnh"
        )
    return [clone.pk, "levels"]


ROWS = [
    Row("evaluations:my_sheets", "302 200 200 200 200 200 200 200"),
    Row("evaluations:sheet_detail", "302 200 404 200 200 404 200 200", _sheet),
    Row("evaluations:sheet_self_evaluate", "302 200 404 403 403 404 403 403", _sheet),
    Row("evaluations:sheet_review", "302 403 404 200 403 404 403 403", _submitted),
    Row("evaluations:sheet_withdraw", "302 302 404 403 403 404 403 403", _submitted, method="post"),
    Row("evaluations:team_month", "302 403 403 200 200 200 403 403"),
    Row("evaluations:decision_list", "302 200 200 200 200 200 200 200"),
    Row("evaluations:decision_page", "302 404 404 404 200 404 403 403", _decision),
    Row("evaluations:period_list", "302 403 403 403 403 403 200 403"),
    Row("evaluations:period_advance", "302 403 403 403 403 403 302 403", _period, "post"),
    Row("evaluations:period_close", "302 403 403 403 403 403 302 403", _period, "post"),
    Row("evaluations:period_add_missing", "302 403 403 403 403 403 302 403", _period, "post"),
    Row("evaluations:rulebook_list", "302 403 403 403 403 403 200 403"),
    Row("evaluations:rulebook_detail", "302 403 403 403 403 403 200 403", _rulebook),
    Row("evaluations:rulebook_clone", "302 403 403 403 403 403 200 403", _rulebook),
    Row("evaluations:rulebook_edit", "302 403 403 403 403 403 200 403", _clone),
    Row("evaluations:category_rulebooks", "302 403 403 403 403 403 200 403"),
]
