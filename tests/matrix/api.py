"""The REST API: token-only endpoints answer 401 to everyone without an integration token,
signed-in people included (a session never authenticates an API call); the schema and its
browsable docs are public (they describe the API and hold no data)."""

from typing import Any

from danhgia.api.models import Delivery, Subscription
from danhgia.api.services import create_integration
from danhgia.api.webhooks import create_subscription
from tests.conftest import World
from tests.matrix import Row
from tests.matrix.work_tasks import _task

NO_TOKEN = "401 401 401 401 401 401 401 401"
PUBLIC = "200 200 200 200 200 200 200 200"

ROWS = [
    Row("api:schema", PUBLIC),
    Row("api:docs", PUBLIC),
    Row("api:unit_list", NO_TOKEN),
    Row("api:unit_detail", NO_TOKEN, args=lambda world: [world.dept.code]),
    Row("api:person_list", NO_TOKEN),
    Row("api:person_detail", NO_TOKEN, args=lambda world: [world.people["staff"].employee_code]),
    Row("api:task_list", NO_TOKEN),
    Row("api:task_detail", NO_TOKEN, args=lambda world: [1]),
    Row("api:document_task", NO_TOKEN, args=lambda world: ["VB-1"]),
    Row("api:sheet_list", NO_TOKEN),
    Row("api:sheet_detail", NO_TOKEN, args=lambda world: [1]),
    Row("api:result_list", NO_TOKEN),
]


def _integration(world: World) -> list[Any]:
    """An integration of the department, created by the province's HR officer."""
    integration, _token = create_integration(
        name="Quản lý văn bản", unit=world.dept, by=world.users["hr"]
    )
    return [integration.pk]


#                        anon staff s_oth mgr head h_oth hr  sup
ROWS += [
    Row("api:integration_list", "302 403 403 403 403 403 200 403"),
    Row(
        "api:integration_revoke",
        "302 404 404 404 404 404 302 404",
        args=_integration,
        method="post",
    ),
]


def _subscription(world: World) -> Subscription:
    integration, _token = create_integration(
        name="Quản lý văn bản", unit=world.dept, by=world.users["hr"]
    )
    subscription, _secret = create_subscription(
        integration,
        url="https://vanban.example.vn/hooks",
        kinds=["task.assigned"],
        by=world.users["hr"],
    )
    return subscription


def _delivery(world: World) -> list[Any]:
    """A delivery of the department's subscription: a task assigned in its division."""
    _subscription(world)
    task = _task(world)
    return [Delivery.objects.get(event__payload__task__id=task.pk).pk]


# Events out: HR over the unit manages them; everyone else is refused (403) or out of scope.
#                        anon staff s_oth mgr head h_oth hr  sup
ROWS += [
    Row("api:subscription_list", "302 403 403 403 403 403 200 403"),
    Row(
        "api:subscription_edit",
        "302 404 404 404 404 404 200 404",
        args=lambda world: [_subscription(world).pk],
    ),
    Row("api:delivery_list", "302 403 403 403 403 403 200 403"),
    Row("api:delivery_replay", "302 404 404 404 404 404 302 404", args=_delivery, method="post"),
]
