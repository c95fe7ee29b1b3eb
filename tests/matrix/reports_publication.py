"""Publication: Sở Nội vụ's October 2026 decided and published publicly by `hr`; September
2026 decided, not published. Every persona with a sheet in them (staff, manager, head, hr).

Public pages answer 200 to everyone, anonymous included. HR publishes and unpublishes (the
default setting); heads open the list but may not publish; the unit's own announcement is for
the people of Sở Nội vụ and every role over it (Sở Tài chính's people get 404).
"""

import datetime
from typing import Any

from danhgia.core import clock
from danhgia.core.models import AuditAnchor
from danhgia.evaluations.models import Period
from danhgia.reports.publication.models import Publication
from danhgia.reports.publication.services import publish_period
from tests.conftest import World
from tests.matrix import Row
from tests.reports.publication.conftest import OCTOBER, decided_month

SEPTEMBER = datetime.date(2026, 9, 1)


def published(world: World) -> Publication:
    october = decided_month(world, OCTOBER)
    current = Publication.objects.filter(period=october, unpublished_at__isnull=True).first()
    if current is not None:
        return current
    return publish_period(october, by=world.users["hr"], audience="public", privacy="names_scores")


def _month(world: World) -> list[Any]:
    published(world)
    return ["SNV", OCTOBER]


def _index(world: World) -> list[Any]:
    published(world)
    return []


def _anchored(world: World) -> list[Any]:
    AuditAnchor.objects.create(
        audit_id=1, hash="a" * 64, row_count=1, created_at=clock.now(), line="{}"
    )
    return []


def _unit(world: World) -> list[Any]:
    published(world)
    return ["SNV"]


def _september(world: World) -> list[Any]:
    period: Period = decided_month(world, SEPTEMBER)
    return [period.pk]


def _publication(world: World) -> list[Any]:
    return [published(world).pk]


def _october(world: World) -> list[Any]:
    return [published(world).period_id]


def _dept(world: World) -> list[Any]:
    return [world.dept.pk]


EVERYONE = "200 200 200 200 200 200 200 200"

ROWS = [
    Row("publication:public_index", EVERYONE, _index),
    Row("publication:public_search", EVERYONE, _index),
    Row("publication:audit_heads", EVERYONE, _anchored),
    Row("publication:audit_heads_atom", EVERYONE, _anchored),
    Row("publication:public_unit", EVERYONE, _unit),
    Row("publication:public_unit_atom", EVERYONE, _unit),
    Row("publication:public_month", EVERYONE, _month),
    Row("publication:public_month_json", EVERYONE, _month),
    Row("publication:public_month_embed", EVERYONE, _month),
    Row("publication:manage_list", "302 403 403 403 200 200 200 403"),
    Row("publication:publish", "302 403 404 403 403 404 200 403", _september),
    Row("publication:unpublish", "302 403 404 403 403 404 200 403", _publication),
    Row("publication:setting_list", "302 403 403 403 403 403 200 403"),
    Row("publication:setting_edit", "302 404 404 404 403 404 200 403", _dept),
    Row("publication:internal_list", "302 200 200 200 200 200 200 200"),
    Row("publication:internal_page", "302 200 404 200 200 404 200 200", _october),
]
