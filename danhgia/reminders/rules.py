"""The reminder rules: one small object per deadline, each answering "who is due what today?".

A rule's `notices(context)` yields `Notice`s: before a deadline (within the organisation's
`reminder_days_before`) to whoever must act, and after it (escalation) to the decider and the
HR officers. Each rule reads in bulk (a query or two, whatever the number of sheets) from the
`RunContext`, which is read once per run. To remind of another deadline (e.g. the annual
decision, `danhgia.annual`), write a rule with `code` and `notices()` and append it to `RULES`.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from danhgia.evaluations.models import Appeal, EvaluationPolicy, Period, Sheet
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
    return f"{period.organisation.name} {period.start:%m/%Y}"


class Rule(Protocol):
    code: str
    label: Any  # a lazy translated name for people (the reminders page)

    def notices(self, context: RunContext) -> Iterable[Notice]: ...


class SheetRule:
    """A period deadline for sheets in some statuses: remind whoever holds them before it,
    tell the decider and HR after it. Subclasses say which deadline, which sheets and whom."""

    code = ""
    label: Any = ""
    deadline_field = ""
    # The recipient of the reminder before the deadline: "person" (one per sheet), or a user
    # field of the sheet ("reviewer", "decider": one reminder with the count).
    holder = ""

    def waiting(self) -> Q:
        raise NotImplementedError

    def before_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        raise NotImplementedError

    def overdue_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        raise NotImplementedError

    def holder_url(self) -> str:
        raise NotImplementedError

    def subject(self, step: str, due: datetime.date) -> str:
        """The deadline by its field's name ("hạn tự đánh giá"), and the date."""
        return subject_for(step, field_name(Period, self.deadline_field), due)

    def notices(self, context: RunContext) -> Iterator[Notice]:
        by_step: dict[str, list[Period]] = {BEFORE: [], OVERDUE: []}
        for period in context.periods.values():
            step = context.step_on(getattr(period, self.deadline_field), period.organisation.path)
            if step is not None:
                by_step[step].append(period)
        if by_step[BEFORE]:
            yield from self._before(context, {p.pk: p for p in by_step[BEFORE]})
        if by_step[OVERDUE]:
            yield from self._overdue(context, {p.pk: p for p in by_step[OVERDUE]})

    def _notice(
        self,
        period: Period,
        step: str,
        object_type: str,
        object_id: int,
        recipient: Contact,
        count: int,
        text: tuple[str, str],
        url: str,
    ) -> Notice:
        return Notice(
            rule=self.code,
            step=step,
            object_type=object_type,
            object_id=object_id,
            recipient=recipient,
            deadline=getattr(period, self.deadline_field),
            organisation_id=period.organisation_id,
            period_id=period.pk,
            count=count,
            subject=text[0],
            message=text[1],
            url=url,
        )

    def _before(self, context: RunContext, periods: dict[int, Period]) -> Iterator[Notice]:
        sheets = Sheet.objects.filter(self.waiting(), period_id__in=list(periods))
        if self.holder == "person":
            rows = sheets.filter(person__user__isnull=False).values_list(
                "pk", "period_id", "person__user_id", "person__email", "person__user__email",
                "person__full_name",
            )  # fmt: skip
            # The same words for everyone of a period; the link differs by the sheet only.
            texts = {
                pk: self.before_text(1, period, getattr(period, self.deadline_field))
                for pk, period in periods.items()
            }
            url = sheet_url_template()
            for pk, period_id, user_id, person_email, user_email, name in rows.order_by("pk"):
                yield self._notice(
                    periods[period_id], BEFORE, "sheet", pk,
                    contact(user_id, person_email, user_email, name),
                    1, texts[period_id], url.format(pk),
                )  # fmt: skip
            return
        counted = (
            sheets.filter(**{f"{self.holder}__isnull": False})
            .values(
                "period_id",
                f"{self.holder}_id",
                f"{self.holder}__person__email",
                f"{self.holder}__email",
                f"{self.holder}__person__full_name",
                f"{self.holder}__username",
            )
            .annotate(n=Count("pk"))
            .order_by("period_id", f"{self.holder}_id")
        )
        for row in counted:
            period = periods[row["period_id"]]
            due = getattr(period, self.deadline_field)
            recipient = contact(
                row[f"{self.holder}_id"],
                row[f"{self.holder}__person__email"],
                row[f"{self.holder}__email"],
                row[f"{self.holder}__person__full_name"] or row[f"{self.holder}__username"],
            )
            yield self._notice(
                period, BEFORE, "period", period.pk, recipient, row["n"],
                self.before_text(row["n"], period, due), self.holder_url(),
            )  # fmt: skip

    def _overdue(self, context: RunContext, periods: dict[int, Period]) -> Iterator[Notice]:
        """Escalation: each decider gets the count of their late sheets, HR the period's."""
        counted = (
            Sheet.objects.filter(self.waiting(), period_id__in=list(periods))
            .values(
                "period_id",
                "decider_id",
                "decider__person__email",
                "decider__email",
                "decider__person__full_name",
                "decider__username",
            )
            .annotate(n=Count("pk"))
            .order_by("period_id", "decider_id")
        )
        totals: dict[int, int] = {}
        for row in counted:
            period = periods[row["period_id"]]
            totals[period.pk] = totals.get(period.pk, 0) + row["n"]
            if row["decider_id"] is None:
                continue
            due = getattr(period, self.deadline_field)
            recipient = contact(
                row["decider_id"],
                row["decider__person__email"],
                row["decider__email"],
                row["decider__person__full_name"] or row["decider__username"],
            )
            yield self._notice(
                period, OVERDUE, "period", period.pk, recipient, row["n"],
                self.overdue_text(row["n"], period, due), reverse("evaluations:decision_list"),
            )  # fmt: skip
        for period_id, total in totals.items():
            period = periods[period_id]
            due = getattr(period, self.deadline_field)
            for officer in context.hr_for(period.organisation.path):
                yield self._notice(
                    period, OVERDUE, "period_hr", period.pk, officer, total,
                    self.overdue_text(total, period, due), reverse("evaluations:period_list"),
                )  # fmt: skip


class SelfEvaluationRule(SheetRule):
    """The person self-evaluates and submits by `self_evaluation_due`."""

    code = "self_evaluation"
    label = gettext_lazy("self-evaluation")
    deadline_field = "self_evaluation_due"
    holder = "person"

    def waiting(self) -> Q:
        return Q(status__in=[Sheet.Status.DRAFT, Sheet.Status.RETURNED])

    def before_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(BEFORE, due),
            _(
                "Your self-evaluation for %(period)s is due on %(date)s: score yourself and "
                "submit the sheet."
            )
            % {"period": period_label(period), "date": day(due)},
        )

    def overdue_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(OVERDUE, due),
            ngettext(
                "%(count)d person in %(period)s has not submitted their self-evaluation, due "
                "on %(date)s.",
                "%(count)d people in %(period)s have not submitted their self-evaluation, due "
                "on %(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )


class ReviewRule(SheetRule):
    """The named reviewer reviews submitted sheets by `review_due` (when the decider reviews
    the person themself, the sheet waits for the decision instead: `DecisionRule`)."""

    code = "review"
    label = gettext_lazy("review")
    deadline_field = "review_due"
    holder = "reviewer"

    def waiting(self) -> Q:
        return (
            Q(status=Sheet.Status.SUBMITTED)
            & Q(reviewer__isnull=False)
            & (Q(decider__isnull=True) | ~Q(reviewer=F("decider")))
        )

    def holder_url(self) -> str:
        return reverse("evaluations:my_sheets")

    def before_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(BEFORE, due),
            ngettext(
                "%(count)d sheet of %(period)s is waiting for your review, due on %(date)s.",
                "%(count)d sheets of %(period)s are waiting for your review, due on %(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )

    def overdue_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(OVERDUE, due),
            ngettext(
                "%(count)d sheet of %(period)s has not been reviewed; the review was due on "
                "%(date)s.",
                "%(count)d sheets of %(period)s have not been reviewed; the review was due on "
                "%(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )


class DecisionRule(SheetRule):
    """The named decider decides reviewed sheets (and submitted ones they review themself)
    by `decision_due`."""

    code = "decision"
    label = gettext_lazy("decision")
    deadline_field = "decision_due"
    holder = "decider"

    def waiting(self) -> Q:
        reviewed_by_decider = Q(reviewer__isnull=True) | Q(reviewer=F("decider"))
        return Q(status=Sheet.Status.REVIEWED) | (
            Q(status=Sheet.Status.SUBMITTED) & reviewed_by_decider
        )

    def holder_url(self) -> str:
        return reverse("evaluations:decision_list")

    def before_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(BEFORE, due),
            ngettext(
                "%(count)d sheet of %(period)s is waiting for your decision, due on %(date)s.",
                "%(count)d sheets of %(period)s are waiting for your decision, due on %(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )

    def overdue_text(self, count: int, period: Period, due: datetime.date) -> tuple[str, str]:
        return (
            self.subject(OVERDUE, due),
            ngettext(
                "%(count)d sheet of %(period)s has no decided level; the decision was due on "
                "%(date)s.",
                "%(count)d sheets of %(period)s have no decided level; the decision was due on "
                "%(date)s.",
                count,
            )
            % {"count": count, "period": period_label(period), "date": day(due)},
        )


class AppealAnswerRule:
    """The named answerer answers a submitted appeal by its `answer_due`; after it, the
    answerer and the HR officers over the period's organisation are told. One per appeal."""

    code = "appeal_answer"
    label = gettext_lazy("answer to an appeal")

    def notices(self, context: RunContext) -> Iterator[Notice]:
        latest = context.today + datetime.timedelta(days=MAX_DAYS_BEFORE)
        appeals = (
            Appeal.objects.filter(status=Appeal.Status.SUBMITTED, answer_due__lte=latest)
            .select_related("sheet__person", "sheet__period__organisation", "answerer__person")
            .order_by("pk")
        )
        for appeal in appeals:
            assert appeal.answer_due is not None  # the filter above
            period = appeal.sheet.period
            step = context.step_on(appeal.answer_due, period.organisation.path)
            if step is None:
                continue
            answerer = appeal.answerer
            recipients = []
            if answerer is not None:
                person = getattr(answerer, "person", None)
                recipients.append(
                    contact(
                        answerer.pk,
                        person.email if person else "",
                        answerer.email,
                        person.full_name if person else answerer.username,
                    )
                )
            if step == OVERDUE:
                recipients += context.hr_for(period.organisation.path)
            text = self._text(step, appeal, period)
            seen: set[int] = set()
            for recipient in recipients:
                if recipient.user_id in seen:
                    continue
                seen.add(recipient.user_id)
                yield Notice(
                    rule=self.code,
                    step=step,
                    object_type="appeal",
                    object_id=appeal.pk,
                    recipient=recipient,
                    deadline=appeal.answer_due,
                    organisation_id=period.organisation_id,
                    period_id=period.pk,
                    count=1,
                    subject=text[0],
                    message=text[1],
                    url=reverse("evaluations:sheet_detail", args=[appeal.sheet_id]),
                )

    def _text(self, step: str, appeal: Appeal, period: Period) -> tuple[str, str]:
        assert appeal.answer_due is not None
        values = {
            "name": appeal.sheet.person.full_name,
            "period": period_label(period),
            "date": day(appeal.answer_due),
        }
        if step == BEFORE:
            return (
                subject_for(BEFORE, field_name(Appeal, "answer_due"), appeal.answer_due),
                _(
                    "The appeal of %(name)s against their level for %(period)s waits for an "
                    "answer, due on %(date)s."
                )
                % values,
            )
        return (
            subject_for(OVERDUE, field_name(Appeal, "answer_due"), appeal.answer_due),
            _(
                "The appeal of %(name)s against their level for %(period)s has not been "
                "answered; the answer was due on %(date)s."
            )
            % values,
        )


# Every deadline the job reminds of, in the order their notices are sent.
RULES: list[Rule] = [SelfEvaluationRule(), ReviewRule(), DecisionRule(), AppealAnswerRule()]
