"""A rulebook is parsed once per content (`parse_rulebook`'s cache), and an edit is read afresh."""

import copy

import pytest

from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.rules import schema
from danhgia.evaluations.rules.schema import RuleError, parse_rulebook
from danhgia.evaluations.shipped import ND335_2025


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = schema.parse_parts

    def counted(**parts: object) -> schema.RulebookConfig:
        calls.append(parts)
        return real(**parts)  # type: ignore[arg-type]

    monkeypatch.setattr(schema, "parse_parts", counted)
    monkeypatch.setattr(schema, "_PARSED", {})
    return calls


def test_the_same_content_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _parses(monkeypatch)
    first = parse_rulebook(Rulebook(**copy.deepcopy(ND335_2025)))
    again = parse_rulebook(Rulebook(**copy.deepcopy(ND335_2025)))  # another instance, same rules

    assert again is first
    assert len(calls) == 1


def test_an_edited_rulebook_is_parsed_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _parses(monkeypatch)
    rulebook = Rulebook(**copy.deepcopy(ND335_2025))
    before = parse_rulebook(rulebook)
    rulebook.levels["items"][0]["min_score"] = 95  # same id and version, other rules

    after = parse_rulebook(rulebook)

    assert len(calls) == 2
    assert before.levels[0].min_score == 90
    assert after.levels[0].min_score == 95


def test_an_invalid_rulebook_is_refused_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _parses(monkeypatch)
    rulebook = Rulebook(**copy.deepcopy(ND335_2025))
    rulebook.quota["share"] = "many"

    for _ in range(2):
        with pytest.raises(RuleError):
            parse_rulebook(rulebook)
    assert len(calls) == 2
    assert schema._PARSED == {}


def test_the_cache_keeps_a_bounded_number_of_rulebooks(monkeypatch: pytest.MonkeyPatch) -> None:
    _parses(monkeypatch)
    monkeypatch.setattr(schema, "_PARSED_MAX", 3)
    for points in range(91, 96):
        rulebook = Rulebook(**copy.deepcopy(ND335_2025))
        rulebook.levels["items"][0]["min_score"] = points
        parse_rulebook(rulebook)

    assert len(schema._PARSED) == 3
