"""Every write to units, people and roles: guard, change, log."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.core.audit import log_action
from danhgia.core.notifications import notify
from danhgia.core.text import collation_key, fold, name_sort_key, nfc
from danhgia.organisations.models import (
    Person,
    Role,
    Transfer,
    TransferSource,
    Unit,
    UnitRole,
)
from danhgia.organisations.permissions import can_grant_role


class OrganisationError(Exception):
    """A rule of the organisation data was broken; the message is for the user."""


class RoleGrantForbidden(OrganisationError):
    """The user may not grant (or end) this role: views answer 403 with the message."""


def fill_unit_derived(unit: Unit) -> None:
    unit.name = nfc(unit.name)
    unit.code = nfc(unit.code)
    unit.search_text = fold(f"{unit.name} {unit.code}")[:255]
    unit.sort_key = collation_key(unit.name)[:600]


def fill_person_derived(person: Person) -> None:
    person.full_name = nfc(person.full_name)
    person.employee_code = nfc(person.employee_code)
    person.title = nfc(person.title)
    person.search_text = fold(f"{person.full_name} {person.employee_code}")[:300]
    person.sort_key = name_sort_key(person.full_name)[:800]


def rebuild_unit_paths() -> int:
    """Recompute `path` and `depth` of every unit from the parent links; return rows changed.

    Raises OrganisationError when the parent links contain a cycle.
    """
    rows = list(Unit.objects.values_list("id", "parent_id", "path", "depth"))
    parents = {unit_id: parent_id for unit_id, parent_id, _p, _d in rows}
    computed: dict[int, tuple[str, int]] = {}

    def resolve(unit_id: int) -> tuple[str, int]:
        chain: list[int] = []
        current: int | None = unit_id
        while current is not None and current not in computed:
            if current in chain:
                raise OrganisationError(_("The parent units form a cycle."))
            chain.append(current)
            current = parents.get(current)
        base_path, base_depth = computed[current] if current is not None else ("/", -1)
        for node in reversed(chain):
            base_path, base_depth = f"{base_path}{node}/", base_depth + 1
            computed[node] = (base_path, base_depth)
        return computed[unit_id]

    changed = []
    for unit_id, _parent, path, depth in rows:
        new_path, new_depth = resolve(unit_id)
        if (new_path, new_depth) != (path, depth):
            changed.append(Unit(id=unit_id, path=new_path, depth=new_depth))
    Unit.objects.bulk_update(changed, ["path", "depth"], batch_size=1000)
    return len(changed)


def _check_parent(unit: Unit) -> None:
    if unit.parent_id is None:
        return
    parent = Unit.objects.get(pk=unit.parent_id)
    if unit.pk and (parent.pk == unit.pk or f"/{unit.pk}/" in parent.path):
        raise OrganisationError(_("A unit cannot be placed under itself or its own sub-unit."))


@transaction.atomic
def save_unit(unit: Unit, *, by: User | None) -> Unit:
    """Create or update a unit (its path follows its parent). Logs `unit.created`/`unit.updated`."""
    creating = unit.pk is None
    before = {} if creating else _unit_snapshot(Unit.objects.get(pk=unit.pk))
    _check_parent(unit)
    fill_unit_derived(unit)
    unit.save()
    rebuild_unit_paths()
    unit.refresh_from_db()
    after = _unit_snapshot(unit)
    log_action(
        unit,
        "unit.created" if creating else "unit.updated",
        by=by,
        data={"before": before, "after": after} if not creating else {"after": after},
    )
    return unit


@transaction.atomic
def merge_unit(unit: Unit, *, into: Unit, on: datetime.date, by: User | None) -> Unit:
    """End `unit` on the day before `on` and record that it merged into `into`.

    People stay attached to the old unit until HR moves them; history keeps the old unit.
    """
    if into.pk == unit.pk:
        raise OrganisationError(_("A unit cannot be merged into itself."))
    if on <= unit.valid_from:
        raise OrganisationError(_("The merge date must be after the unit started."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    unit.valid_to = on - datetime.timedelta(days=1)
    unit.merged_into = into
    unit.save(update_fields=["valid_to", "merged_into"])
    log_action(unit, "unit.merged", by=by, data={"into": into.code, "on": on.isoformat()})
    return unit


def _unit_snapshot(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent_id and unit.parent else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def person_snapshot(person: Person) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "employee_code": person.employee_code,
        "staff_category": person.staff_category,
        "title": person.title,
        "is_leader": person.is_leader,
        "job_position": person.job_position.code if person.job_position else None,
        "unit": person.unit.code if person.unit_id else None,
        "email": person.email,
        "phone": person.phone,
        "active_from": person.active_from,
        "active_to": person.active_to,
    }


@transaction.atomic
def save_person(
    person: Person,
    *,
    by: User | None,
    moved_on: datetime.date | None = None,
    source: TransferSource = TransferSource.FORM,
) -> Person:
    """Create or update a person. Logs `person.created` or `person.updated` with the changes.

    A changed unit is a move: records a `Transfer` effective `moved_on` (default today).
    """
    creating = person.pk is None
    stored = None if creating else Person.objects.get(pk=person.pk)
    before = {} if stored is None else person_snapshot(stored)
    duplicate = Person.objects.filter(employee_code=nfc(person.employee_code))
    if not creating:
        duplicate = duplicate.exclude(pk=person.pk)
    if duplicate.exists():
        raise OrganisationError(
            _("Employee code %(code)s is already used by another person.")
            % {"code": person.employee_code}
        )
    fill_person_derived(person)
    person.save()
    if stored is not None and stored.unit_id != person.unit_id:
        record_transfers(
            [(person.pk, stored.unit_id, person.unit_id)],
            on=moved_on or clock.today(),
            by=by,
            source=source,
        )
    after = person_snapshot(person)
    changes = {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }
    log_action(
        person, "person.created" if creating else "person.updated", by=by, data={"changes": changes}
    )
    return person


def record_transfers(
    moves: Iterable[tuple[int, int, int]],
    *,
    on: datetime.date,
    by: User | None,
    source: TransferSource,
) -> list[Transfer]:
    """Record moves (person id, from unit id, to unit id) effective `on`, in the caller's
    transaction: every path that changes `Person.unit` calls this beside that change (the
    audit row stays the caller's). A move to the same unit is not recorded."""
    now = clock.now()
    rows = [
        Transfer(
            person_id=person_id,
            from_unit_id=from_unit_id,
            to_unit_id=to_unit_id,
            effective_on=on,
            recorded_at=now,
            recorded_by=by if by is not None and by.pk else None,
            source=source,
        )
        for person_id, from_unit_id, to_unit_id in moves
        if from_unit_id != to_unit_id
    ]
    return Transfer.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def create_login(person: Person, *, by: User | None, username: str | None = None) -> User:
    """Give `person` a login (no usable password: they set one from the reset e-mail)."""
    if person.user_id:
        raise OrganisationError(_("This person already has a login."))
    username = nfc(username or person.employee_code).lower()
    if User.objects.filter(username=username).exists():
        raise OrganisationError(_("The user name %(name)s is taken.") % {"name": username})
    user = User(username=username, email=person.email)
    user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    log_action(person, "person.login_created", by=by, data={"username": username})
    return user


def _check_grant(
    by: User | None, grantee: User, role: str, unit: Unit, *, include_subunits: bool
) -> None:
    """Raise RoleGrantForbidden unless `by` may grant (or end) `role` of `grantee` in `unit`
    (organisations.permissions: the table of who grants what). `by=None` is the system itself
    (the demo, commands run by the operator) and is not checked."""
    if by is None or can_grant_role(by, grantee, role, unit, include_subunits=include_subunits):
        return
    if grantee.pk == by.pk:
        raise RoleGrantForbidden(
            _("Nobody grants or ends a role of their own: ask another HR officer to do it.")
        )
    if role == Role.SYSTEM_ADMIN:
        raise RoleGrantForbidden(_("Only a system administrator makes a system administrator."))
    raise RoleGrantForbidden(
        _(
            "You may not grant or end the role “%(role)s” of this person in %(unit)s: it is "
            "above your own role, or the unit or the person is outside your units."
        )
        % {"role": Role(role).label, "unit": unit.name}
    )


def _role_url(user: User) -> str:
    person = Person.objects.filter(user=user).only("pk").first()
    return reverse("organisations:person_detail", args=[person.pk]) if person else ""


@transaction.atomic
def assign_role(
    user: User,
    unit: Unit,
    role: str,
    *,
    by: User | None,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    include_subunits: bool = True,
    acting: bool = False,
) -> UnitRole:
    """Give `user` a role in `unit` for a time. Logs `role.assigned` and notifies `user`.

    Raises RoleGrantForbidden when `by` may not grant it (a role above their own, a unit or
    person outside their units, or themselves), OrganisationError for bad dates."""
    if role not in Role.values:
        raise OrganisationError(_("Unknown role."))
    _check_grant(by, user, role, unit, include_subunits=include_subunits)
    if valid_to is not None and valid_to < valid_from:
        raise OrganisationError(_("The end date must not be before the start date."))
    unit_role = UnitRole.objects.create(
        user=user,
        unit=unit,
        role=role,
        include_subunits=include_subunits,
        acting=acting,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    log_action(
        unit_role,
        "role.assigned",
        by=by,
        data={
            "user": user.username,
            "unit": unit.code,
            "role": role,
            "include_subunits": include_subunits,
            "acting": acting,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    notify(
        user,
        _("You were given the role “%(role)s” in %(unit)s from %(day)s.")
        % {
            "role": Role(role).label,
            "unit": unit.name,
            "day": date_format(valid_from, "SHORT_DATE_FORMAT"),
        },
        url=_role_url(user),
        kind="role.assigned",
    )
    return unit_role


@transaction.atomic
def end_role(unit_role: UnitRole, *, on: datetime.date, by: User | None) -> UnitRole:
    """End a role on day `on` (inclusive). Logs `role.ended` and notifies the role's holder.

    Raises RoleGrantForbidden when `by` could not grant the role (ending takes the same power;
    never one's own role), OrganisationError for a day before the role starts."""
    unit_role = (
        UnitRole.objects.select_for_update().select_related("user", "unit").get(pk=unit_role.pk)
    )
    _check_grant(
        by,
        unit_role.user,
        unit_role.role,
        unit_role.unit,
        include_subunits=unit_role.include_subunits,
    )
    if on < unit_role.valid_from:
        raise OrganisationError(_("The end date must not be before the start date."))
    before = unit_role.valid_to
    unit_role.valid_to = on
    unit_role.save(update_fields=["valid_to"])
    log_action(
        unit_role,
        "role.ended",
        by=by,
        data={
            "user": unit_role.user.username,
            "unit": unit_role.unit.code,
            "role": unit_role.role,
            "on": on,
            "before": before,
        },
    )
    notify(
        unit_role.user,
        _("Your role “%(role)s” in %(unit)s ends on %(day)s.")
        % {
            "role": Role(unit_role.role).label,
            "unit": unit_role.unit.name,
            "day": date_format(on, "SHORT_DATE_FORMAT"),
        },
        url=_role_url(unit_role.user),
        kind="role.ended",
    )
    return unit_role
