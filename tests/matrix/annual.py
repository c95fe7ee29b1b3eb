"""Annual classification: 2025 of the whole province, opened by `hr`; the annual sheet of
`staff` (in the division) is decided by `head` on the department's page.

HR opens, recomputes and closes; every role over the unit reads a sheet, the person reads
their own; the head decides on the unit's page. Other departments' people get 404.
"""

import datetime
from typing import Any

from django.utils import timezone

from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import open_annual
from danhgia.evaluations.shipped import ensure_shipped_rulebooks
from tests.conftest import World
from tests.matrix import Row

YEAR = 2025


def period(world: World) -> AnnualPeriod:
    """The annual classification of the province for 2025 (idempotent)."""
    existing = AnnualPeriod.objects.filter(organisation=world.province, year=YEAR).first()
    if existing is not None:
        return existing
    ensure_shipped_rulebooks()
    return open_annual(
        world.province,
        YEAR,
        by=world.users["hr"],
        decision_due=timezone.localdate() + datetime.timedelta(days=10),
    )


def _period(world: World) -> list[Any]:
    return [period(world).pk]


def _decision(world: World) -> list[Any]:
    return [period(world).pk, world.dept.pk]


def _sheet(world: World) -> list[Any]:
    return [AnnualSheet.objects.get(annual_period=period(world), person=world.people["staff"]).pk]


ROWS = [
    Row("annual:period_list", "302 403 403 403 403 403 200 403"),
    Row("annual:period_recompute", "302 403 403 403 403 403 302 403", _period, "post"),
    Row("annual:period_close", "302 403 403 403 403 403 302 403", _period, "post"),
    # HR's POSTs on a year still open: the service refuses, HR is sent back with the message.
    Row("annual:period_decision", "302 403 403 403 403 403 302 403", _period, "post"),
    Row("annual:national_export", "302 403 403 403 403 403 302 403", _period, "post"),
    Row("annual:decision_list", "302 200 200 200 200 200 200 200"),
    Row("annual:decision_page", "302 404 404 404 200 404 403 403", _decision),
    Row("annual:my_results", "302 200 200 200 200 200 200 200"),
    Row("annual:sheet_detail", "302 200 404 200 200 404 200 200", _sheet),
]
