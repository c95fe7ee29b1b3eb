"""What every reminder rule shares: whom to remind (`Contact`), what to send (`Notice`), the
`RunContext` read once per run (open periods, policies, HR officers) and small formatters."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from danhgia.accounts.models import User
from danhgia.evaluations.models import EvaluationPolicy, Period
from danhgia.evaluations.permissions import OPEN_PERIOD_STATES
from danhgia.organisations.models import Role, UnitRole

BEFORE = "before"
OVERDUE = "overdue"
DEFAULT_DAYS_BEFORE = EvaluationPolicy._meta.get_field("reminder_days_before").get_default()
MAX_DAYS_BEFORE = 30  # the policy's validator: no reminder is sent earlier than this


@dataclass(frozen=True)
class Contact:
    """Someone to remind: a login, the address for e-mail ("" for none) and a name."""

    user_id: int
    email: str
    name: str


def contact(user_id: int, person_email: str | None, user_email: str | None, name: Any) -> Contact:
    """The person's own address first (HR keeps it), else the login's."""
    return Contact(user_id, person_email or user_email or "", str(name or ""))


def contacts_of(user_ids: set[int]) -> dict[int, Contact]:
    """The contact of each user (one query)."""
    rows = User.objects.filter(pk__in=user_ids).values_list(
        "pk", "person__email", "email", "person__full_name", "username"
    )
    return {
        pk: contact(pk, person_email, user_email, name or username)
        for pk, person_email, user_email, name, username in rows
    }


@dataclass(frozen=True)
class Notice:
    """One reminder to one person: the key fields, then what to say and where to point."""

    rule: str
    step: str
    object_type: str  # "sheet", "period" (a count for the recipient), "period_hr", "appeal"
    object_id: int
    recipient: Contact
    deadline: datetime.date
    organisation_id: int
    period_id: int | None
    count: int
    subject: str
    message: str
    url: str

    @property
    def key(self) -> tuple[str, str, str, int, int, datetime.date]:
        return (
            self.rule,
            self.step,
            self.object_type,
            self.object_id,
            self.recipient.user_id,
            self.deadline,
        )


@dataclass
class RunContext:
    """What every rule needs, read once per run: open periods, policies and HR officers."""

    today: datetime.date
    periods: dict[int, Period]
    policy_days: dict[int, int]  # organisation id (with its own policy) → days before
    hr_officers: list[tuple[int, Contact]] = field(default_factory=list)  # (unit id, contact)

    @classmethod
    def build(cls, today: datetime.date) -> "RunContext":
        periods = {
            period.pk: period
            for period in Period.objects.filter(state__in=OPEN_PERIOD_STATES).select_related(
                "organisation"
            )
        }
        policy_days = dict(
            EvaluationPolicy.objects.values_list("organisation_id", "reminder_days_before")
        )
        hr_officers = [
            (unit_id, contact(user_id, person_email, user_email, name or username))
            for unit_id, user_id, person_email, user_email, name, username in (
                UnitRole.objects.active_on(today)
                .filter(role=Role.HR_OFFICER)
                .values_list(
                    "unit_id",
                    "user_id",
                    "user__person__email",
                    "user__email",
                    "user__person__full_name",
                    "user__username",
                )
                .order_by("pk")
            )
        ]
        return cls(today, periods, policy_days, hr_officers)

    def days_before(self, organisation_path: str) -> int:
        """The nearest policy up the tree from the organisation (as `policy_for` reads it)."""
        for unit_id in reversed(_ids(organisation_path)):
            if unit_id in self.policy_days:
                return self.policy_days[unit_id]
        return int(DEFAULT_DAYS_BEFORE)

    def hr_for(self, organisation_path: str) -> list[Contact]:
        """HR officers in office today on the organisation or a unit above it."""
        chain = set(_ids(organisation_path))
        seen: dict[int, Contact] = {}
        for unit_id, officer in self.hr_officers:
            if unit_id in chain:
                seen.setdefault(officer.user_id, officer)
        return list(seen.values())

    def step_on(self, deadline: datetime.date, organisation_path: str) -> str | None:
        """BEFORE within the days before the deadline (the day itself included), OVERDUE
        after it, None otherwise. A missed run catches up: the key keeps it single."""
        if deadline < self.today:
            return OVERDUE
        if (deadline - self.today).days <= self.days_before(organisation_path):
            return BEFORE
        return None


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def sheet_url_template() -> str:
    """The sheet page's address with "{}" for the id: one `reverse()` for 50,000 sheets."""
    sentinel = 987654321
    return reverse("evaluations:sheet_detail", args=[sentinel]).replace(str(sentinel), "{}")


def field_name(model: Any, name: str) -> str:
    """A field's translated verbose name, capitalised: "Hạn tự đánh giá"."""
    return str(capfirst(getattr(model._meta.get_field(name), "verbose_name", name)))


def subject_for(step: str, deadline_name: str, due: datetime.date) -> str:
    if step == OVERDUE:
        return _("Overdue: %(deadline)s %(date)s") % {"deadline": deadline_name, "date": day(due)}
    return f"{deadline_name} {day(due)}"


def period_label(period: Period) -> str:
    return f"{period.organisation.name} · {period.label}"


class Rule(Protocol):
    code: str
    label: Any  # a lazy translated name for people (the reminders page)

    def notices(self, context: RunContext) -> Iterable[Notice]: ...
