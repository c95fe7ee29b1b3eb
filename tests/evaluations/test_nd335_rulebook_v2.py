"""ND335-2025 version 2 as written: points from ONE exact division, every number and rule of
the shipped rulebooks with its source (article and clause) or marked a local choice, shown on
the rulebook page."""

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.rules.facts import TaskFact
from danhgia.evaluations.rules.schema import parse_parts
from danhgia.evaluations.rules.scoring import score_tasks
from danhgia.evaluations.shipped import ND90_2020, ND335_2025_V2, ensure_shipped_rulebooks
from tests.conftest import World
from tests.evaluations.test_rules_support import PARTS, parts_of

D = Decimal


def test_points_come_from_one_exact_division() -> None:
    """1.75 of 12 converted units done, with 6 major errors and 6 delays: (a + b + c) / 3 ×
    70 % is exactly 4.375. Three truncated divisions gave 4.37; one exact quotient gives 4.38."""
    config = parse_parts(**parts_of(ND335_2025_V2))
    facts = [
        TaskFact(1, "Báo cáo", D(1), D("1.75"), D("1.75"), True, 6, True, True, 6),
        TaskFact(2, "Hồ sơ", D(1), D("10.25"), D("10.25"), False),
    ]

    result = score_tasks(config, facts)

    assert (result.a, result.b, result.c) == (D("14.583"), D("2.083"), D("2.083"))
    assert result.task_points == D("4.38")
    assert config.task_scoring.parsed.credit.rounding == "half_up"  # type: ignore[attr-defined]


def _leaves(value: Any, path: str = "") -> list[str]:
    """The field paths of a part's numbers and rules (lists of items as one path)."""
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if key in ("note", "sources", "name", "code"):
                continue
            found += _leaves(item, f"{path}.{key}" if path else key)
        return found
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return sorted({leaf for item in value for leaf in _leaves(item, path)})
    return [path]


def _covered(leaf: str, sources: dict[str, str]) -> bool:
    return any(leaf == key or leaf.startswith(key + ".") for key in sources)


@pytest.mark.parametrize("data", [ND335_2025_V2, ND90_2020], ids=lambda data: data["code"])
def test_every_number_and_rule_has_a_source_or_is_a_local_choice(data: dict[str, Any]) -> None:
    config = parse_parts(**parts_of(data))
    missing = [
        f"{part}.{leaf}"
        for part in PARTS
        for leaf in _leaves(data[part])
        if not _covered(leaf, config.sources[part])
    ]

    assert missing == []
    for sources in config.sources.values():
        for text in sources.values():
            assert text.startswith("[L]") or "Điều" in text or "Hướng dẫn" in text, text


@pytest.mark.django_db
def test_the_rulebook_page_shows_the_sources(world: World) -> None:
    ensure_shipped_rulebooks()
    rulebook = Rulebook.objects.get(code="ND335-2025", version=2)
    client = Client()
    client.force_login(world.users["hr"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("evaluations:rulebook_detail", args=[rulebook.pk])).content.decode()

    assert "Điều 14 khoản 2 điểm b" in page
    assert "params.leader.dd" in page
    assert "local choice" in page
    assert "Rated on the time actually worked, without a minimum of months." in page
    assert "Absence does not cap the level." in page
