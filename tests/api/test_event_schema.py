"""docs/events.openapi.yaml describes every event out: each kind the code emits has its
webhook there, its enums are the models' choices, and every body sent validates."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker

from danhgia.api.delivery import body_of
from danhgia.api.events import EVENT_KINDS
from danhgia.api.models import Delivery
from danhgia.api.services import create_integration
from danhgia.api.webhooks import create_subscription
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.models import Period
from danhgia.evaluations.services.periods import close_period
from danhgia.reports.publication.models import Privacy, Publication
from danhgia.reports.publication.services import publish_period, unpublish
from danhgia.work.models import Task
from danhgia.work.services.tasks import cancel_task, complete_task
from tests.conftest import World
from tests.matrix.work_tasks import _task
from tests.reports.publication.conftest import OCTOBER, decided_month

DOCUMENT = yaml.safe_load((Path(settings.BASE_DIR) / "docs" / "events.openapi.yaml").read_text())


def _schema_of(kind: str) -> dict[str, Any]:
    body = DOCUMENT["webhooks"][kind]["post"]["requestBody"]["content"]["application/json"]
    return {**body["schema"], "components": DOCUMENT["components"]}


def test_every_kind_is_described_and_nothing_else() -> None:
    assert DOCUMENT["openapi"] == "3.1.0"
    assert set(DOCUMENT["webhooks"]) == set(EVENT_KINDS)
    for kind in EVENT_KINDS:
        Draft202012Validator.check_schema(_schema_of(kind))


def test_the_enums_are_the_models_choices() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    task = schemas["Task"]["properties"]
    period = schemas["Period"]["properties"]
    publication = schemas["PublicationEvent"]["allOf"][1]["properties"]["data"]["properties"]
    publication = publication["publication"]["properties"]
    assert task["status"]["enum"] == Task.Status.values
    assert task["source"]["enum"] == Task.Source.values
    assert period["kind"]["enum"] == Period.Kind.values
    assert period["state"]["enum"] == Period.State.values
    assert publication["audience"]["enum"] == Publication.Audience.values
    assert publication["privacy"]["enum"] == Privacy.values


@pytest.mark.django_db
def test_every_body_sent_validates_against_its_kind(world: World, matrix_clock: None) -> None:
    hr = world.users["hr"]
    integration, _token = create_integration(name="Tỉnh", unit=world.province, by=hr)
    create_subscription(integration, url="https://a.vn/h", kinds=list(EVENT_KINDS), by=hr)
    done, cancelled = _task(world), _task(world)
    complete_task(done, by=world.users["staff"], on=clock.today())
    cancel_task(cancelled, by=world.users["manager"], reason="Trùng việc")
    for action in ("task.reassigned", "task.progress_reported", "task.assessed"):
        log_action(done, action, by=hr)  # the same payload as their services write
    october = decided_month(world, OCTOBER, state=Period.State.DECIDED)
    log_action(october.sheets.first(), "sheet.decided", by=hr)
    publication = publish_period(october, by=hr, audience="public", privacy="names_scores")
    unpublish(publication, by=hr, reason="Sửa lỗi")
    close_period(october, by=hr)

    deliveries = Delivery.objects.select_related("event", "subscription").order_by("pk")
    assert {d.event.kind for d in deliveries} == set(EVENT_KINDS)
    for delivery in deliveries:
        body = json.loads(body_of(delivery))
        validator = Draft202012Validator(_schema_of(body["kind"]), format_checker=FormatChecker())
        assert list(validator.iter_errors(body)) == [], body["kind"]
