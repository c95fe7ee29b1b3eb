"""The quota scope of a sheet: the named decider's unit, the nearest unit at or above the
sheet's unit where they held the headship, with everything below it that they decide (also
when a deputy or a stand-in decides for them). The rows of one scope are read once and kept
up to date as decisions are made (`Scopes`)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import JSONField

from danhgia.evaluations.rounds.kind import RoundKind
from danhgia.evaluations.rounds.quota import Row, Verdict, best_level, changed, judge_change
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.organisations.models import Role, Unit, UnitRole

# (named decider, path of their unit for the quota)
ScopeKey = tuple[int | None, str]


def head_paths_of(
    user_ids: Iterable[int | None], kind: RoundKind, period: Any
) -> dict[int, dict[int, str]]:
    """{user: {unit id: path}}: where each user held the headship in the round's window
    (one query for every decider of a round)."""
    ids = {pk for pk in user_ids if pk is not None}
    found: dict[int, dict[int, str]] = {pk: {} for pk in ids}
    if not ids:
        return found
    first, last = kind.headship_window(period)
    roles = (
        UnitRole.objects.overlapping(first, last)
        .filter(user_id__in=ids, role=Role.HEAD)
        .values_list("user_id", "unit_id", "unit__path")
    )
    for user_id, unit_id, path in roles:
        found[user_id][unit_id] = path
    return found


def head_paths(user_id: int | None, kind: RoundKind, period: Any) -> dict[int, str]:
    """Units (id → path) where the user held the headship in the round's window."""
    return head_paths_of([user_id], kind, period).get(user_id or 0, {})


def scope_path(unit: Unit, heads: dict[int, str]) -> str:
    """The path of the decider's unit for the quota: nearest headship at or above `unit`."""
    for unit_id in reversed(unit.ancestor_ids or [unit.pk]):
        if unit_id in heads:
            return heads[unit_id]
    return unit.path


class Scopes:
    """The quota scopes of one round, read once each and kept current as rows are decided:
    the one judgement behind a decision, "accept all", the meter and a reopening."""

    def __init__(self, kind: RoundKind, period: Any, config: RulebookConfig) -> None:
        self.kind, self.period, self.config = kind, period, config
        self._heads: dict[int | None, dict[int, str]] = {}
        self._rows: dict[ScopeKey, list[Row]] = {}
        self._outcomes: dict[tuple[ScopeKey, str, str, str], str] = {}

    def key(self, decider_id: int | None, unit: Unit) -> ScopeKey:
        if decider_id not in self._heads:
            self._heads[decider_id] = head_paths(decider_id, self.kind, self.period)
        return (decider_id, scope_path(unit, self._heads[decider_id]))

    def rows(self, key: ScopeKey) -> list[Row]:
        if key not in self._rows:
            decider_id, path = key
            sheets = (
                self.kind.sheets(self.period)
                .filter(decider_id=decider_id, unit__path__startswith=path)
                .select_related("person", "unit")
                .defer(*_documents(self.kind.sheets(self.period).model))
                .order_by("pk")
            )
            self._rows[key] = self.kind.rows(self.config, self.period, list(sheets))
        return self._rows[key]

    def of(self, sheet: Any) -> list[Row]:
        return self.rows(self.key(sheet.decider_id, sheet.unit))

    def judge(self, sheet: Any, level: str) -> Verdict:
        return judge_change(self.config, self.of(sheet), sheet.pk, level)

    def outcome(self, sheet: Any, level: str) -> str:
        """`judge(sheet, level).outcome` for an undecided sheet, judged once per kind of row:
        with one undecided row decided, the best case's counts differ only by that row's
        group and the level it stood at in the best case (its other fields are not counted),
        so rows alike get the same outcome (a page offering the exception asks for each)."""
        key = self.key(sheet.decider_id, sheet.unit)
        row = next((row for row in self.rows(key) if row.pk == sheet.pk), None)
        if row is None:  # a sheet the quota does not count: judged as it is
            return self.judge(sheet, level).outcome
        kind = (key, row.group, best_level(self.config, row), level)
        if kind not in self._outcomes:
            self._outcomes[kind] = self.judge(sheet, level).outcome
        return self._outcomes[kind]

    def record(self, sheet: Any, level: str, exception: bool) -> None:
        """Row `sheet` is now decided at `level` (every scope that holds it)."""
        self._outcomes.clear()
        for key, rows in self._rows.items():
            if any(row.pk == sheet.pk for row in rows):
                self._rows[key] = changed(rows, sheet.pk, level, exception)


def _documents(model: Any) -> list[str]:
    """The sheet's JSON fields (scores, months): a quota row reads none of them."""
    return [field.name for field in model._meta.concrete_fields if isinstance(field, JSONField)]


def group_by_scope(
    kind: RoundKind, period: Any, sheets: Sequence[Any], config: RulebookConfig
) -> dict[ScopeKey, list[Row]]:
    """Every scope of a round with its rows, from the sheets (`select_related("unit",
    "person")`) and one query for the deciders' headships."""
    heads = head_paths_of({sheet.decider_id for sheet in sheets}, kind, period)
    paths = {sheet.pk: sheet.unit.path for sheet in sheets}
    rows = {row.pk: row for row in kind.rows(config, period, sheets)}
    by_decider: dict[int | None, list[Any]] = {}
    for sheet in sheets:
        by_decider.setdefault(sheet.decider_id, []).append(sheet)
    scopes: dict[ScopeKey, list[Row]] = {}
    for decider_id, own in by_decider.items():
        keys = {scope_path(sheet.unit, heads.get(decider_id or 0, {})) for sheet in own}
        for path in sorted(keys):
            scopes[(decider_id, path)] = [
                rows[sheet.pk] for sheet in own if paths[sheet.pk].startswith(path)
            ]
    return scopes
