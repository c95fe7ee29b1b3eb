"""Which rulebook scores a sheet: the one HR set for the person's staff category in their unit
(or a unit above), else the period's. One rule, used when sheets are opened (month, quarter,
year) and wherever a sheet is scored, reviewed, decided, shown or exported.

Nghị định 335/2025 governs công chức; viên chức and contract workers in the same unit may be
under another regime (docs/decisions.md, "Rulebook per unit and staff category").
"""

import datetime
from typing import Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.models import CategoryRulebook, Rulebook, Sheet
from danhgia.evaluations.rules.schema import AnnualForm, RulebookConfig, RuleError, parse_rulebook
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.common import config_of, freeze_rulebook, require_manager
from danhgia.evaluations.shipped import ND90_FORMS
from danhgia.organisations.models import Person, StaffCategory, Unit

#: A category without an assignment of its own follows another's before the period's:
#: contract workers are scored as the viên chức of their unit (docs/decisions.md).
FOLLOWS: dict[str, str] = {StaffCategory.CONTRACT_WORKER: StaffCategory.PUBLIC_EMPLOYEE}


class HasRulebook(Protocol):
    rulebook: Rulebook


class ScoredSheet(Protocol):
    rulebook_id: int | None
    rulebook: Rulebook | None


class Assignments:
    """Every assignment, read once (a few rows per organisation), to choose the rulebook of
    each sheet of an opening in memory."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], Rulebook] = {
            (row.organisation_id, row.staff_category): row.rulebook
            for row in CategoryRulebook.objects.select_related("rulebook")
        }

    def nearest(self, unit: Unit, category: str, on: datetime.date) -> Rulebook | None:
        """The assignment of `category` on `unit` or the nearest unit above it with one
        whose rulebook is in force on `on`."""
        for unit_id in reversed(unit.ancestor_ids):
            rulebook = self.rows.get((unit_id, category))
            if rulebook is not None and rulebook.applies_from <= on:
                return rulebook
        return None


def rulebook_for(
    person: Person,
    period: HasRulebook,
    on: datetime.date,
    assignments: Assignments | None = None,
) -> Rulebook:
    """The rulebook a sheet of `person` opened in `period` (starting `on`) is scored under:
    the nearest assignment of their staff category (a contract worker without one follows
    the viên chức's) whose rulebook is in force on `on`, else the period's."""
    assignments = assignments or Assignments()
    for category in (person.staff_category, FOLLOWS.get(person.staff_category)):
        if category:
            rulebook = assignments.nearest(person.unit, category, on)
            if rulebook is not None:
                return rulebook
    return period.rulebook


def rulebook_of(sheet: ScoredSheet, period: HasRulebook) -> Rulebook:
    """The rulebook a saved sheet is scored under: its own, NULL (a sheet made before sheets
    recorded one) meaning the period's, so past periods never change."""
    if sheet.rulebook_id is None or sheet.rulebook is None:
        return period.rulebook
    return sheet.rulebook


def parsed(rulebook: Rulebook, error: type[Exception] = EvaluationError) -> RulebookConfig:
    try:
        return parse_rulebook(rulebook)
    except RuleError as failure:
        raise error(
            _("The rulebook “%(name)s” is invalid (%(error)s). Ask the HR officer to fix it.")
            % {"name": rulebook.name, "error": failure}
        ) from failure


class Configs:
    """The parsed rulebooks of the sheets of one period, each parsed once."""

    def __init__(
        self,
        period: HasRulebook,
        default: RulebookConfig | None = None,
        error: type[Exception] = EvaluationError,
    ) -> None:
        self.period = period
        self.error = error
        self.default = default or config_of(period, error)
        self._by_id: dict[int, RulebookConfig] = {period.rulebook.pk: self.default}

    def of(self, sheet: ScoredSheet) -> RulebookConfig:
        rulebook = rulebook_of(sheet, self.period)
        if rulebook.pk not in self._by_id:
            self._by_id[rulebook.pk] = parsed(rulebook, self.error)
        return self._by_id[rulebook.pk]


def sheet_config(sheet: Sheet) -> RulebookConfig:
    """The rules a month's (quarter's) sheet is scored, reviewed, decided, shown and exported
    under (`sheet.period` loaded, or loaded here)."""
    return config_for(sheet, sheet.period)


def config_for(
    sheet: ScoredSheet, period: HasRulebook, error: type[Exception] = EvaluationError
) -> RulebookConfig:
    """The rules of a sheet of a month, quarter or year (`period`: its period)."""
    rulebook = rulebook_of(sheet, period)
    if rulebook.pk == period.rulebook.pk:
        return config_of(period, error)
    return parsed(rulebook, error)


def freeze_sheet_rulebooks(period: HasRulebook, sheets: list[ScoredSheet], by: User | None) -> None:
    """Freeze the rulebooks the new sheets are scored under (the period's is frozen already)."""
    used = {sheet.rulebook.pk: sheet.rulebook for sheet in sheets if sheet.rulebook is not None}
    for pk, rulebook in sorted(used.items()):
        if pk != period.rulebook.pk:
            freeze_rulebook(rulebook, by)


def annual_form(config: RulebookConfig, category: str) -> AnnualForm:
    """The annual form of `category` under a rulebook: its `annual.forms` entry; a rulebook
    naming none prints Nghị định 90's forms (as every rulebook did before forms were data);
    a category its forms leave out gets the title without a form number."""
    legacy = ND90_FORMS.get(category, ND90_FORMS[StaffCategory.CIVIL_SERVANT])
    if config.annual.forms is None:
        return AnnualForm(legacy["code"], legacy["title"])
    forms = dict(config.annual.forms)
    return forms.get(category) or AnnualForm("", legacy["title"])


def incompatibility(rulebook: Rulebook, default: Rulebook) -> str:
    """Why `rulebook` cannot score some sheets of periods pinned to `default` ("" if it can):
    the quota and the decision pages count levels across a unit, so both must have the same
    level codes."""
    try:
        codes = [level.code for level in parse_rulebook(rulebook).levels]
    except RuleError as failure:
        return str(failure)
    expected = [level.code for level in parse_rulebook(default).levels]
    if sorted(codes) != sorted(expected):
        return _(
            "its levels (%(codes)s) differ from those of “%(default)s” (%(expected)s), which "
            "the quota counts across the unit"
        ) % {"codes": ", ".join(codes), "default": default.name, "expected": ", ".join(expected)}
    return ""


@transaction.atomic
def assign_rulebook(
    unit: Unit, category: str, rulebook: Rulebook | None, *, default: Rulebook, by: User | None
) -> CategoryRulebook | None:
    """Set (or, with `rulebook` None, remove) the rulebook of `category` in `unit`; periods
    opened from now on use it. Refused when its levels differ from `default`'s (the rulebook
    the unit's periods take) or it belongs to another organisation. Logs
    `rulebook.category_assigned` with before and after."""
    require_manager(by, unit, _("the rulebooks of staff categories"))
    if category not in StaffCategory.values:
        raise EvaluationError(_("Choose a staff category."))
    if rulebook is not None:
        if rulebook.organisation_id is not None and rulebook.organisation_id not in (
            unit.ancestor_ids
        ):
            raise EvaluationError(_("This rulebook belongs to another organisation."))
        problem = incompatibility(rulebook, default)
        if problem:
            raise EvaluationError(
                _("The rulebook “%(name)s” cannot be used here: %(problem)s.")
                % {"name": rulebook.name, "problem": problem}
            )
    row = (
        CategoryRulebook.objects.select_for_update()
        .filter(organisation=unit, staff_category=category)
        .select_related("rulebook")
        .first()
    )
    before = _described(row)
    if rulebook is None:
        if row is not None:
            row.delete()
        result = None
    elif row is None:
        result = CategoryRulebook.objects.create(
            organisation=unit,
            staff_category=category,
            rulebook=rulebook,
            updated_at=clock.now(),
            updated_by=by,
        )
    else:
        row.rulebook = rulebook
        row.updated_at = clock.now()
        row.updated_by = by
        row.save(update_fields=["rulebook", "updated_at", "updated_by"])
        result = row
    after = _described(result)
    if before != after:
        log_action(
            unit,
            "rulebook.category_assigned",
            by=by,
            data={"category": category, "before": before, "after": after},
        )
    return result


def _described(row: CategoryRulebook | None) -> dict[str, object] | None:
    if row is None:
        return None
    return {"code": row.rulebook.code, "version": row.rulebook.version}
