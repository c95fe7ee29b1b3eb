"""Delegations: heads delegate (and see the page), HR sees and revokes those of its scope,
the supervisor sees them but cannot revoke; people without a role over the unit get 404."""

import datetime
from typing import Any

from django.utils import timezone

from danhgia.evaluations.services.delegations import delegate_decisions
from danhgia.organisations.models import Role, UnitRole
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory
from tests.matrix import Row


def delegation(world: World) -> list[Any]:
    """The head of the department delegates it to a deputy for a week."""
    deputy = UserFactory(username="deputy")
    PersonFactory(full_name="Phó Giám Đốc", unit=world.dept, user=deputy)
    UnitRole.objects.create(
        user=deputy, unit=world.dept, role=Role.DEPUTY_HEAD, valid_from=datetime.date(2020, 1, 1)
    )
    today = timezone.localdate()
    created = delegate_decisions(
        head=world.users["head"],
        deputy=deputy,
        unit=world.dept,
        valid_from=today,
        valid_to=today + datetime.timedelta(days=7),
    )
    return [created.pk]


#                        anon staff s_oth mgr head h_oth hr  sup
ROWS = [
    Row("evaluations:delegation_list", "302 403 403 403 200 200 200 403"),
    Row(
        "evaluations:delegation_revoke",
        "302 404 404 404 302 404 302 403",
        args=delegation,
        method="post",
    ),
]
