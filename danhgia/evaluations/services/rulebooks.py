"""Rulebooks: HR clones one into their organisation and edits the clone part by part.

A period pins the rulebook it was opened with and freezes it (`periods._freeze`), so a frozen
rulebook never changes: its results stay reproducible. Editing means cloning, then editing
the clone, which has no period yet.
"""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.evaluations.models import Rulebook
from danhgia.evaluations.permissions import can_manage_periods
from danhgia.evaluations.rules.reading import PART_NAMES
from danhgia.evaluations.rules.schema import RuleError, parse_parts
from danhgia.evaluations.services import EvaluationError
from danhgia.organisations.models import Unit

CODE_LENGTH = Rulebook._meta.get_field("code").max_length or 40


def clone_code(rulebook: Rulebook, organisation: Unit) -> str:
    """The code of a clone of `rulebook` for `organisation`: the same code when the rulebook
    already belongs to it (a new version of its own rules), else "<organisation>-<code>"."""
    if rulebook.organisation_id == organisation.pk:
        return rulebook.code
    return f"{organisation.code}-{rulebook.code}"[:CODE_LENGTH]


def _require_manager(by: User, organisation: Unit) -> None:
    if not can_manage_periods(by, organisation):
        raise EvaluationError(
            _("Only the HR officer or a system administrator over %(unit)s manages its rulebooks.")
            % {"unit": organisation.name}
        )


@transaction.atomic
def clone_rulebook(rulebook: Rulebook, *, by: User, organisation: Unit, name: str) -> Rulebook:
    """A copy of `rulebook` owned by `organisation`, not frozen, `based_on` the original.

    Code and version: a clone of the organisation's own rulebook keeps its code and takes
    the next version (v1 → v2); a clone of a national rulebook or another organisation's takes
    the code "<organisation code>-<original code>" and the next version of that code (1 the
    first time). So the versions of a code are one organisation's history of one set of rules.
    Legal source, applies-from date and every part are copied; the clone applies to the
    organisation from then on (`periods.applicable_rulebook` prefers the nearest owner).

    Logs `rulebook.cloned`. Raises EvaluationError for a user who is not HR or an admin over
    `organisation`, a source rulebook of an organisation outside their scope, or an empty name.
    """
    _require_manager(by, organisation)
    if rulebook.organisation is not None:
        _require_manager(by, rulebook.organisation)
    name = name.strip()
    if not name:
        raise EvaluationError(_("Give the new rulebook a name."))
    code = clone_code(rulebook, organisation)
    # Lock the rows of this code so that two clones at once cannot take the same version.
    versions = list(
        Rulebook.objects.select_for_update().filter(code=code).values_list("version", flat=True)
    )
    latest = max(versions, default=None)
    clone = Rulebook.objects.create(
        code=code,
        version=(latest or 0) + 1,
        name=name,
        legal_source=rulebook.legal_source,
        applies_from=rulebook.applies_from,
        local_defaults=rulebook.local_defaults,
        organisation=organisation,
        based_on=rulebook,
        **{part: getattr(rulebook, part) for part in PART_NAMES},
        created_at=clock.now(),
        created_by=by,
    )
    log_action(
        clone,
        "rulebook.cloned",
        by=by,
        data={
            "based_on": {"code": rulebook.code, "version": rulebook.version},
            "code": clone.code,
            "version": clone.version,
            "organisation": organisation.code,
            "name": clone.name,
        },
    )
    return clone


@transaction.atomic
def update_rulebook_part(rulebook: Rulebook, *, by: User, part: str, value: Any) -> Rulebook:
    """Replace one part (`criteria`, `levels`, `quota`, ...) of a rulebook that no period uses.

    The whole rulebook is checked with the new part (`parse_parts`), so the points still add
    up and the thresholds stay in order. Logs `rulebook.updated` with the part before and after.
    Raises EvaluationError for a frozen or national rulebook (clone it), a user who is not HR
    or an admin over its organisation, or rules the engine refuses (its message).
    """
    if part not in PART_NAMES:
        raise ValueError(f"unknown rulebook part: {part}")
    rulebook = (
        Rulebook.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=rulebook.pk)
    )
    if rulebook.is_frozen:
        raise EvaluationError(_("This rulebook is used by a period: clone it to change the rules."))
    if rulebook.organisation is None:
        raise EvaluationError(
            _(
                "This rulebook is shipped with the system for the whole country: clone it into "
                "your organisation to change the rules."
            )
        )
    _require_manager(by, rulebook.organisation)
    parts = {name: getattr(rulebook, name) for name in PART_NAMES}
    parts[part] = value
    try:
        parse_parts(**parts)
    except RuleError as error:
        raise EvaluationError(str(error)) from error
    before = getattr(rulebook, part)
    if before == value:
        return rulebook
    setattr(rulebook, part, value)
    rulebook.save(update_fields=[part])
    log_action(
        rulebook,
        "rulebook.updated",
        by=by,
        data={"part": part, "before": {part: before}, "after": {part: value}},
    )
    return rulebook
