"""The demo's completed annual classification of Sở Nội vụ for last year, through the services.

`seed_demo_annual(today)` (the command `seed_demo_annual`; run it after
`seed_demo_evaluations`, whose "already seeded" check looks for any period of Sở Nội vụ)
builds the year before `today`'s:

- the four quarters of that year (Sở Nội vụ evaluated by quarter then, as Hồ Chí Minh City
  does: four periods instead of twelve keep the seed fast; a month the monthly demo already
  holds stays as it is and the other months of its quarter are evaluated monthly), each with
  two tasks per person assigned, completed and assessed through the work services, opened
  with the rulebook in force then, self-evaluated, reviewed, decided and closed;
- a maternity leave of six months (classified from the months worked) and a sick leave of
  three and a half months (capped at "Hoàn thành nhiệm vụ"), recorded by HR;
- the annual classification opened by HR, decided by each head (every computed level at
  once, then the rest one by one: the veto's level, "good" with a reason where the quota is
  full) and closed.

Past deadlines are set a few weeks after today, as HR would extend them. Draws come from
`random.Random(SEED)`, so the same day gives the same year. Returns None when the year's
classification already exists.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod, AnnualSheet
from danhgia.annual.services import (
    AnnualError,
    accept_all_annual,
    close_annual,
    decide_annual,
    open_annual,
)
from danhgia.annual.services import config_of as annual_config
from danhgia.evaluations.demo import (
    COMMENTS,
    HR_USERNAME,
    ORGANISATION,
    SHORTCOMINGS,
    STRENGTHS,
    decide_demo_period,
    organisation,
    split_scores,
)
from danhgia.evaluations.facts import authority_for_people, fetch_authority_roles
from danhgia.evaluations.models import Leave, Period, Sheet
from danhgia.evaluations.rules.ceiling import within_band
from danhgia.evaluations.rules.levels import band_for
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.services.categories import sheet_config
from danhgia.evaluations.services.common import config_of
from danhgia.evaluations.services.periods import (
    advance_period,
    close_period,
    open_period,
    people_of_period,
    period_bounds,
)
from danhgia.evaluations.services.records import record_leave
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations import services as org_services
from danhgia.organisations.models import Person, Unit
from danhgia.work.models import Task
from danhgia.work.services import assessment, tasks

SEED = 2025
DAY = datetime.timedelta(days=1)
QUARTERS = (1, 4, 7, 10)
TASK_TITLES = (
    "Báo cáo công tác quý {quarter}",
    "Tham mưu văn bản hướng dẫn nghiệp vụ quý {quarter}",
    "Thẩm định hồ sơ theo kế hoạch quý {quarter}",
    "Tổng hợp ý kiến góp ý dự thảo quý {quarter}",
)
OTHER_REASON = "Mức đề xuất khác khung điểm, theo nhận xét của người quản lý trực tiếp."
QUOTA_REASON = "Đơn vị đã đủ tỷ lệ hoàn thành xuất sắc nhiệm vụ trong năm."


@dataclass
class AnnualDemo:
    year: int = 0
    quarters: int = 0
    tasks: int = 0
    sheets: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    not_classified: int = 0
    capped: int = 0

    def summary(self, seconds: str) -> str:
        levels = self.levels
        return (
            f"Đã tạo xếp loại năm {self.year} của Sở Nội vụ ({self.quarters} quý, "
            f"{self.tasks} công việc): {levels.get('excellent', 0)} xuất sắc, "
            f"{levels.get('good', 0)} tốt, {levels.get('completed', 0)} hoàn thành, "
            f"{levels.get('not_completed', 0)} không hoàn thành, {self.not_classified} không "
            f"xếp loại, {self.capped} bị giới hạn mức ({seconds} giây)."
        )


def annual_exists(today: datetime.date) -> bool:
    return AnnualPeriod.objects.filter(
        organisation__code=ORGANISATION, year=today.year - 1
    ).exists()


class _Builder:
    def __init__(self, today: datetime.date, unit: Unit) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.year = today.year - 1
        self.unit = unit
        self.hr = User.objects.get(username=HR_USERNAME)
        self.users: dict[int, User] = {}
        self.result = AnnualDemo(year=self.year)

    def user(self, user: User | None) -> User | None:
        if user is None:
            return None
        return self.users.setdefault(user.pk, user)

    def people(self, first: datetime.date, last: datetime.date) -> list[Person]:
        return list(people_of_period(self.unit, first, last).select_related("user"))

    def give_logins(self) -> None:
        for person in self.people(datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)):
            if person.user_id is None:
                org_services.create_login(person, by=self.hr)

    def record_leave(self) -> None:
        """A maternity leave of six months and a sick leave of three and a half months, for
        two staff members active all year (the first and last by employee code)."""
        first = datetime.date(self.year, 1, 1)
        staff = [
            person
            for person in self.people(first, datetime.date(self.year, 12, 31))
            if not person.is_leader
            and person.active_from <= first
            and (person.active_to is None or person.active_to.year > self.year)
        ]
        if len(staff) < 2:
            return
        staff.sort(key=lambda person: person.employee_code)
        record_leave(
            staff[0],
            by=self.hr,
            kind=Leave.Kind.MATERNITY,
            start=datetime.date(self.year, 3, 1),
            end=datetime.date(self.year, 8, 31),
            reference="Quyết định nghỉ thai sản",
        )
        record_leave(
            staff[-1],
            by=self.hr,
            kind=Leave.Kind.SICK,
            start=datetime.date(self.year, 5, 1),
            end=datetime.date(self.year, 8, 15),
            reference="Giấy ra viện",
        )

    # Quarters

    def add_tasks(self, first: datetime.date, last: datetime.date) -> None:
        """Two tasks per person with a reviewer or decider, not on leave; outcomes drawn."""
        people = self.people(first, last)
        roles = fetch_authority_roles(first, last, within=self.unit)
        authority = authority_for_people(people, first, last, roles)
        ids = [a.reviewer_id or a.decider_id for a in authority.values()]
        found = User.objects.filter(pk__in=[pk for pk in ids if pk is not None])
        assigners = {user.pk: user for user in found}
        working = [
            first + DAY * offset
            for offset in range((last - first).days + 1)
            if (first + DAY * offset).weekday() < 5
        ]
        leave = {
            person_id: (start, end)
            for person_id, start, end in Leave.objects.filter(
                start__lte=last, end__gte=first
            ).values_list("person_id", "start", "end")
        }
        quarter = (first.month - 1) // 3 + 1
        for person in people:
            who = authority[person.pk]
            by = self.user(assigners.get(who.reviewer_id or who.decider_id or 0))
            owner = self.user(person.user)
            if by is None or owner is None or person.pk in leave:
                continue
            start_from = max(first, person.active_from)
            days = [day for day in working if day >= start_from] or working[-3:]
            outcome = self.rng.random()
            for number in range(2):
                start = self.rng.choice(days[: max(1, len(days) - 10)])
                due = min(start + DAY * self.rng.randint(3, 9), last)
                task = tasks.assign_task(
                    title=self.rng.choice(TASK_TITLES).format(quarter=f"{quarter}/{self.year}"),
                    unit=person.unit,
                    owner=person,
                    by=by,
                    source=Task.Source.ASSIGNMENT,
                    start_date=start,
                    due_date=due,
                )
                self.result.tasks += 1
                if number == 1 and outcome > 0.9:
                    continue  # not done
                late = number == 1 and 0.25 < outcome <= 0.6
                on = due + DAY * 2 if late else due
                task = tasks.complete_task(task, by=owner, on=on, text="Đã hoàn thành.")
                meets = not (number == 1 and 0.6 < outcome <= 0.9)
                assessment.assess_task(task, by=by, meets_quality=meets)

    def sheets(self, period: Period) -> list[Sheet]:
        return list(
            Sheet.objects.filter(period=period)
            .select_related("person__user", "reviewer", "decider", "unit")
            .order_by("pk")
        )

    def evaluate(self, sheet: Sheet, config: RulebookConfig) -> None:
        codes = [criterion.code for criterion in config.criteria]
        top = int(max(criterion.max_points for criterion in config.criteria))
        lowest = top * len(codes) - 3 * len(codes)  # split_scores lowers each by 3 at most
        scores = split_scores(self.rng, self.rng.randint(max(22, lowest), 29), codes, top)
        owner = self.user(sheet.person.user)
        assert owner is not None
        level = band_for(config, min(Decimal(100), sum(scores.values()) + sheet.task_points))
        sheet = save_self_evaluation(
            sheet,
            by=owner,
            scores=scores,
            strengths=self.rng.choice(STRENGTHS),
            shortcomings=self.rng.choice(SHORTCOMINGS),
            proposals="",
            proposed_level=level,
        )
        sheet = submit_self_evaluation(sheet, by=owner)
        if sheet.reviewer_id is not None and sheet.reviewer_id != sheet.decider_id:
            reviewer = self.user(sheet.reviewer)
            assert reviewer is not None
            submit_review(
                sheet,
                by=reviewer,
                scores=scores,
                comment=self.rng.choice(COMMENTS),
                proposed_level=level,
                organising=100,  # a leader's đ and e, when the rulebook asks for them
                uniting=100,
            )

    def decide_period(self, period: Period, config: RulebookConfig) -> None:
        def choose(sheet: Sheet) -> tuple[str, str]:
            level = within_band(
                sheet_config(sheet),
                sheet.manager_level or sheet.self_level or sheet.band,
                sheet.band,
            )
            return level, "" if level == sheet.band else OTHER_REASON

        def refused(sheet: Sheet, level: str) -> tuple[str, str]:
            if level != config.quota.top_level:
                return config.levels[-1].code, "Kỷ luật"
            return config.quota.base_level, QUOTA_REASON

        decide_demo_period(period, self.unit, self.sheets, self.user, choose, refused)

    def quarter(self, month: int) -> None:
        """Evaluate the quarter starting in `month`; when the monthly demo already holds some of
        its months (from January to March they are last year's last months), the others are
        evaluated month by month instead, so that every month of the year has one period."""
        first, last = period_bounds(datetime.date(self.year, month, 1), Period.Kind.QUARTER)
        if not self.evaluated(first, last):
            self.evaluate_period(first, Period.Kind.QUARTER)
            self.result.quarters += 1
            return
        for number in range(month, month + 3):
            first, last = period_bounds(datetime.date(self.year, number, 1), Period.Kind.MONTH)
            if not self.evaluated(first, last):
                self.evaluate_period(first, Period.Kind.MONTH)

    def evaluated(self, first: datetime.date, last: datetime.date) -> bool:
        return Period.objects.filter(
            organisation=self.unit, start__lte=last, end__gte=first
        ).exists()

    def evaluate_period(self, first: datetime.date, kind: str) -> None:
        """Open, self-evaluate, review, decide and close the period of `kind` starting `first`."""
        last = period_bounds(first, kind)[1]
        deadlines = {
            "self_evaluation_due": self.today + DAY * 30,
            "review_due": self.today + DAY * 35,
            "decision_due": self.today + DAY * 40,
        }
        self.add_tasks(first, last)  # before the opening, which computes the sheets
        period = open_period(self.unit, first, kind=kind, by=self.hr, deadlines=deadlines)
        config = config_of(period)
        for sheet in self.sheets(period):
            self.evaluate(sheet, sheet_config(sheet))
        self.decide_period(period, config)
        period = advance_period(period, by=self.hr)
        period = advance_period(period, by=self.hr)
        close_period(period, by=self.hr)

    # The year

    def classify(self) -> AnnualPeriod:
        period = open_annual(self.unit, self.year, by=self.hr, decision_due=self.today + DAY * 30)
        config = annual_config(period)
        sheets = AnnualSheet.objects.filter(annual_period=period).select_related(
            "decider", "person", "unit"
        )
        deciders = {sheet.decider_id: sheet.decider for sheet in sheets}
        for decider in deciders.values():
            if decider is not None:
                accept_all_annual(period, self.unit, by=self.user(decider) or decider)
        for sheet in sheets.filter(status=AnnualSheet.Status.PENDING).order_by("pk"):
            by = self.user(sheet.decider)
            if by is None:
                continue
            if sheet.veto:
                decide_annual(sheet, by=by, level=sheet.proposed_level)
                continue
            try:
                decide_annual(sheet, by=by, level=sheet.proposed_level)
            except AnnualError:
                decide_annual(sheet, by=by, level=config.quota.base_level, reason=QUOTA_REASON)
        return close_annual(period, by=self.hr)


def seed_demo_annual(today: datetime.date) -> AnnualDemo | None:
    """Build last year's completed annual classification of Sở Nội vụ (call inside a
    transaction); None when it exists already. Sở Nội vụ and the HR login must exist."""
    if annual_exists(today):
        return None
    unit = organisation()
    assert unit is not None
    builder = _Builder(today, unit)
    builder.give_logins()
    builder.record_leave()
    for month in QUARTERS:
        builder.quarter(month)
    period = builder.classify()
    result = builder.result
    for level, not_classified, cap in AnnualSheet.objects.filter(annual_period=period).values_list(
        "decided_level", "not_classified", "cap_level"
    ):
        result.sheets += 1
        result.not_classified += int(not_classified)
        result.capped += int(bool(cap))
        if level:
            result.levels[level] = result.levels.get(level, 0) + 1
    return result
