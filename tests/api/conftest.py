"""API fixtures: an integration of Sở Nội vụ (SNV and below) created by its head, a second one
of Sở Tài chính, and a client that sends the token."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from danhgia.api.models import Integration
from danhgia.api.services import create_integration
from tests.conftest import World


@dataclass
class Api:
    client: Client
    token: str
    integration: Integration

    def _headers(self, language: str | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if language:
            headers["Accept-Language"] = language
        return headers

    def get(self, url: str, language: str | None = None, **params: Any) -> Any:
        return self.client.get(url, params, headers=self._headers(language))

    def put(self, url: str, body: dict[str, Any], language: str | None = None) -> Any:
        return self.client.put(
            url, body, content_type="application/json", headers=self._headers(language)
        )


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def make_api(world: World, client: Client) -> Callable[..., Api]:
    def _make(unit: Any = None, name: str = "eOffice SNV") -> Api:
        integration, token = create_integration(
            name=name, unit=unit or world.dept, by=world.users["head"]
        )
        return Api(client, token, integration)

    return _make


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


def document(**changes: Any) -> dict[str, Any]:
    body = {
        "title": "Trả lời công văn về biên chế",
        "document_number": "123/UBND-NC",
        "document_date": "2026-10-05",
        "deadline": "2026-10-20",
        "owner": "E-staff",
    }
    body.update(changes)
    return body
