"""Who holds a sheet now, for its review and for its decision: the one rule behind every list
(my sheets, the decision pages, accept-all, the reminders) and every predicate
(`permissions.can_review`, `can_decide`, the services' guards), so that they never disagree.

The decision of a sheet is held by
- its named decider (`Sheet.decider`, fixed when the period opened) while they are in office:
  they hold a head role (acting heads count) on the sheet's unit or a unit above it;
- a deputy head to whom that decider, in office, delegated a unit at or above the sheet's unit
  (a `Delegation` in force, while the deputy is a deputy head);
- when the named decider is gone (none named, or out of office), every head whose role covers
  the sheet's unit: a stand-in, so that a departure never blocks a month.
The review reads the same with the named reviewer and the manager and head roles; it is also
held by whoever holds the decision when nobody but the decider reviews the person (no
reviewer, or the reviewer is the decider). Nobody holds their own sheet. "Today" is
`clock.today()` unless a day is given.

`holds_review`/`holds_decision` give the rule as a Q on sheets; `reviewable_by`/`decidable_by`
add the state a sheet waits in; the predicates run the same Q on the one sheet; `holder_counts`
finds the holders of many sheets at once (the reminders) by the same Q.
"""

import datetime
from collections import Counter
from typing import Any, Literal

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)

from danhgia.accounts.models import User
from danhgia.core import clock
from danhgia.evaluations.models import Delegation, Period, Sheet
from danhgia.organisations.models import Role, UnitRole
from danhgia.organisations.queries import active_roles

REVIEWER_ROLES: set[str] = {Role.MANAGER, Role.HEAD}
DECIDER_ROLES: set[str] = {Role.HEAD}
OPEN_PERIOD_STATES: frozenset[str] = frozenset({Period.State.OPEN, Period.State.REVIEWING})

Field = Literal["reviewer", "decider"]
_ROLES: dict[str, set[str]] = {"reviewer": REVIEWER_ROLES, "decider": DECIDER_ROLES}
NOTHING = Q(pk__in=[])

_DELEGATIONS_CACHE = "_evaluations_delegations"


def delegations_in_force(user: User, on: datetime.date | None = None) -> list[Delegation]:
    """Delegations the user received that are in force on `on` (today), while they are a
    deputy head (for today: cached on the user object for the request, like the user's roles;
    no query for anyone who holds no deputy head role)."""
    if not user.is_authenticated:
        return []
    if not any(role.role == Role.DEPUTY_HEAD for role in active_roles(user, on)):
        return []
    cached = getattr(user, _DELEGATIONS_CACHE, None) if on is None else None
    if cached is not None:
        return cached
    day = on or clock.today()
    found = list(
        Delegation.objects.filter(
            deputy=user, revoked_at__isnull=True, valid_from__lte=day, valid_to__gte=day
        ).select_related("unit", "head")
    )
    if on is None:
        setattr(user, _DELEGATIONS_CACHE, found)
    return found


def reviewed_by_decider(sheet: Sheet) -> bool:
    """Nobody but the decider reviews this person: the decider may decide straight away."""
    return sheet.reviewer_id is None or sheet.reviewer_id == sheet.decider_id


def decider_reviews() -> Q:
    """`reviewed_by_decider` as a Q."""
    return Q(reviewer__isnull=True) | Q(reviewer_id=F("decider_id"))


def reviewer_reviews() -> Q:
    """The complement of `decider_reviews`: a reviewer other than the decider is named."""
    return Q(reviewer__isnull=False) & (Q(decider__isnull=True) | ~Q(reviewer_id=F("decider_id")))


def in_office(field: Field, on: datetime.date | None = None) -> Q:
    """The person the sheet names in `field` holds, on `on`, one of the field's roles on the
    sheet's unit or a unit above it (False when nobody is named)."""
    roles = (
        UnitRole.objects.active_on(on or clock.today())
        .filter(user_id=OuterRef(f"{field}_id"), role__in=sorted(_ROLES[field]))
        .alias(sheet_path=ExpressionWrapper(OuterRef("unit__path"), output_field=CharField()))
        .filter(sheet_path__startswith=F("unit__path"))
    )
    return Q(Exists(roles))


def delegated_to(user: User, field: Field, on: datetime.date | None = None) -> Q:
    """Sheets of the units delegated to the user (in force on `on`) that name the delegating
    head in `field` (whether or not the head is still in office: what the deputy may see)."""
    condition = NOTHING
    for delegation in delegations_in_force(user, on):
        condition |= Q(
            **{f"{field}_id": delegation.head_id, "unit__path__startswith": delegation.unit.path}
        )
    return condition


def _covered(user: User, roles: set[str], on: datetime.date | None) -> Q | None:
    """Sheets of the units the user's `roles` (in force on `on`) cover, or None without one."""
    condition: Q | None = None
    for role in active_roles(user, on):
        if role.role not in roles:
            continue
        part = (
            Q(unit__path__startswith=role.unit.path)
            if role.include_subunits
            else Q(unit_id=role.unit_id)
        )
        condition = part if condition is None else condition | part
    return condition


def _holds(user: User, field: Field, on: datetime.date | None) -> Q:
    """Sheets whose `field` the user holds: by the name on the sheet or a delegation while the
    named one is in office, as a stand-in when they are gone (own sheets not excluded)."""
    present = in_office(field, on)
    condition = (Q(**{f"{field}_id": user.pk}) | delegated_to(user, field, on)) & present
    covered = _covered(user, _ROLES[field], on)
    if covered is not None:
        condition |= covered & ~present
    return condition


def holds_decision(user: User, on: datetime.date | None = None) -> Q:
    """The sheets whose decision the user holds (whatever their state)."""
    if not user.is_authenticated:
        return NOTHING
    return _holds(user, "decider", on) & ~Q(person__user_id=user.pk)


def holds_review(user: User, on: datetime.date | None = None) -> Q:
    """The sheets whose review the user holds (whatever their state)."""
    if not user.is_authenticated:
        return NOTHING
    reviews = _holds(user, "reviewer", on) | (decider_reviews() & _holds(user, "decider", on))
    return reviews & ~Q(person__user_id=user.pk)


def waiting_for_review() -> Q:
    return Q(status=Sheet.Status.SUBMITTED, period__state__in=sorted(OPEN_PERIOD_STATES))


def waiting_for_decision() -> Q:
    """Reviewed, or submitted when the decider reviews the person, in an open period."""
    ready = Q(status=Sheet.Status.REVIEWED) | (Q(status=Sheet.Status.SUBMITTED) & decider_reviews())
    return ready & Q(period__state__in=sorted(OPEN_PERIOD_STATES))


def reviewable_by(user: User, on: datetime.date | None = None) -> Q:
    """The sheets the user may review now: held for review and waiting for it."""
    return holds_review(user, on) & waiting_for_review()


def decidable_by(user: User, on: datetime.date | None = None) -> Q:
    """The sheets the user may decide now: held for decision and waiting for it."""
    return holds_decision(user, on) & waiting_for_decision()


def with_decidable(sheets: QuerySet[Sheet], user: User) -> QuerySet[Sheet]:
    """Each sheet with `user_may_decide` (`decidable_by`), for pages that list many."""
    flag = ExpressionWrapper(decidable_by(user), output_field=BooleanField())
    return sheets.annotate(user_may_decide=flag)


def _matches(sheet: Sheet, condition: Q) -> bool:
    return sheet.pk is not None and Sheet.objects.filter(condition, pk=sheet.pk).exists()


def holds_for_review(user: User, sheet: Sheet) -> bool:
    """The user holds the sheet's review (`holds_review`, on this sheet)."""
    return user.is_authenticated and _matches(sheet, holds_review(user))


def holds_for_decision(user: User, sheet: Sheet) -> bool:
    """The user holds the sheet's decision (`holds_decision`, on this sheet)."""
    return user.is_authenticated and _matches(sheet, holds_decision(user))


def may_review_now(user: User, sheet: Sheet) -> bool:
    """`reviewable_by`, on this sheet."""
    return user.is_authenticated and _matches(sheet, reviewable_by(user))


def may_decide_now(user: User, sheet: Sheet) -> bool:
    """`decidable_by`, on this sheet."""
    return user.is_authenticated and _matches(sheet, decidable_by(user))


# Many sheets at once: who holds them (the reminders).


def holder_counts(
    kind: str,
    sheets: QuerySet[Any],
    on: datetime.date | None = None,
    *,
    period_field: str = "period_id",
) -> Counter[tuple[int, int]]:
    """{(period id, user id): how many of `sheets` the user holds for `kind`} for everyone.
    `sheets` are monthly sheets, or annual ones (`kind` "decision", `period_field`
    "annual_period_id"): the rule reads the fields both have (unit, decider, person).

    Deputies in force and the possible stand-ins (holders of the roles over the units of
    sheets whose named person is gone) are counted with `holds_review`/`holds_decision`
    themselves, one query each; everyone else can hold a sheet only by name, counted in
    one grouped query per field. Never more users than hold a sheet."""
    holds = holds_review if kind == "review" else holds_decision
    fields: list[Field] = ["reviewer", "decider"] if kind == "review" else ["decider"]
    special = _deputies(on) | _possible_stand_ins(sheets, fields, on)
    counts: Counter[tuple[int, int]] = Counter()
    for user in User.objects.filter(pk__in=special).order_by("pk"):
        for period_id, n in _per_period(sheets.filter(holds(user, on)), period_field):
            counts[(period_id, user.pk)] += n
    # By name only: the decider's part (review) leaves the sheets its reviewer part counted.
    named: list[tuple[Field, Q]] = [("decider", Q())]
    if kind == "review":
        counted_as_reviewer = Q(reviewer_id=F("decider_id")) & in_office("reviewer", on)
        named = [("reviewer", Q()), ("decider", decider_reviews() & ~counted_as_reviewer)]
    for field, extra in named:
        rows = (
            sheets.filter(extra, in_office(field, on))
            .exclude(**{f"{field}_id__in": special})
            .exclude(person__user_id=F(f"{field}_id"))
            .values(period_field, f"{field}_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[(row[period_field], row[f"{field}_id"])] += row["n"]
    return counts


def _per_period(sheets: QuerySet[Any], period_field: str) -> list[tuple[int, int]]:
    return list(sheets.values_list(period_field).annotate(n=Count("pk")).order_by())


def _deputies(on: datetime.date | None) -> set[int]:
    """Deputy heads holding a delegation in force on `on`."""
    day = on or clock.today()
    deputies = UnitRole.objects.active_on(day).filter(role=Role.DEPUTY_HEAD).values("user_id")
    return set(
        Delegation.objects.filter(
            revoked_at__isnull=True, valid_from__lte=day, valid_to__gte=day, deputy_id__in=deputies
        ).values_list("deputy_id", flat=True)
    )


def _possible_stand_ins(
    sheets: QuerySet[Any], fields: list[Field], on: datetime.date | None
) -> set[int]:
    """Holders of the fields' roles on the units (or above) of sheets whose named one is gone."""
    found: set[int] = set()
    for field in fields:
        paths = sheets.filter(~in_office(field, on)).values_list("unit__path", flat=True)
        chain = {int(part) for path in set(paths) for part in path.strip("/").split("/") if part}
        if chain:
            found |= set(
                UnitRole.objects.active_on(on or clock.today())
                .filter(role__in=sorted(_ROLES[field]), unit_id__in=chain)
                .values_list("user_id", flat=True)
            )
    return found
