"""Four months of demo evaluation for Sở Nội vụ, written only through the services.

`python manage.py seed_demo_evaluations` (which `seed_demo` calls after the demo work) builds
it once: the three months before the current one are opened, self-evaluated, reviewed,
decided and closed; the current month is open, with a few sheets submitted and one reviewed.
Every write goes through a service, so the audit log tells the same story as the pages.

The demo work only has tasks in the previous and the current month, so the two months
before get a few simple tasks for each person of Sở Nội vụ (assigned by their reviewer or
decider, done on time or a little late, assessed), through the work services.

The past months are evaluated "late" in real time: the services refuse an action after a
deadline (they read today's date), so those periods are opened with their deadlines a few
weeks after today, as HR would extend them. Every time stamp (submitted, reviewed, decided)
is the time of seeding. Draws come from `random.Random(SEED)` in a fixed order, so the same
day always gives the same months.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from danhgia.accounts.models import User
from danhgia.evaluations.demo_records import VETO_REASON, forced_level, seed_demo_records
from danhgia.evaluations.facts import authority_for_people, fetch_authority_roles
from danhgia.evaluations.models import CategoryRulebook, Period, Rulebook, Sheet
from danhgia.evaluations.permissions import can_manage_periods
from danhgia.evaluations.rules.ceiling import within_band
from danhgia.evaluations.rules.levels import band_for
from danhgia.evaluations.rules.schema import RulebookConfig
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.categories import assign_rulebook, sheet_config
from danhgia.evaluations.services.common import config_of
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.evaluations.services.periods import (
    advance_period,
    applicable_rulebook,
    close_period,
    open_period,
    people_of_period,
)
from danhgia.evaluations.services.sheets import (
    return_sheet,
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.organisations import services as org_services
from danhgia.organisations.authority import month_bounds
from danhgia.organisations.models import Person, StaffCategory, Unit
from danhgia.work.models import Task
from danhgia.work.services import assessment, tasks

SEED = 2026
DAY = datetime.timedelta(days=1)
ORGANISATION = "SNV"  # Sở Nội vụ
VIEN_CHUC_RULEBOOK = "VC-2025"  # the shipped rulebook of viên chức (evaluations/shipped.py)
HR_USERNAME = "nhansu"  # opens, moves on and closes the periods
PAST_MONTHS = 3
EXTRA_TASK_MONTHS = 2  # the oldest months, without demo work
OPEN_MONTH_SUBMITTED = 6  # self-evaluations submitted so far in the current month

TASK_TITLES = (
    "Tổng hợp số liệu báo cáo {month}",
    "Dự thảo văn bản trả lời kiến nghị của cơ sở",
    "Rà soát hồ sơ theo kế hoạch {month}",
    "Chuẩn bị tài liệu cuộc họp giao ban {month}",
    "Tham gia ý kiến dự thảo văn bản của các sở, ngành",
    "Cập nhật cơ sở dữ liệu chuyên ngành {month}",
)
STRENGTHS = (
    "Chấp hành tốt nội quy, quy chế; hoàn thành nhiệm vụ đúng tiến độ.",
    "Nắm vững chuyên môn, chủ động tham mưu, phối hợp tốt với đồng nghiệp.",
    "Tinh thần trách nhiệm cao, thái độ phục vụ tận tình, đúng mực.",
    "Có ý thức tự học, ứng dụng công nghệ thông tin vào công việc.",
)
SHORTCOMINGS = (
    "Đôi lúc còn chậm trong việc tổng hợp, báo cáo.",
    "Chưa chủ động đề xuất giải pháp mới.",
    "Kỹ năng soạn thảo văn bản cần tiếp tục nâng cao.",
    "Một số việc còn phải nhắc nhở về thời hạn.",
)
PROPOSALS = (
    "",
    "Đề nghị được tham gia lớp bồi dưỡng kỹ năng tham mưu.",
    "Đề nghị bổ sung trang thiết bị làm việc.",
)
COMMENTS = (
    "Thống nhất với nội dung tự đánh giá.",
    "Hoàn thành các nhiệm vụ được giao; cần chủ động hơn trong tham mưu.",
    "Thực hiện tốt nhiệm vụ, phối hợp hiệu quả với các phòng.",
)
RETURN_REASON = "Phần hạn chế chưa nêu cụ thể; đề nghị bổ sung và nộp lại."
CORRECTED_SHORTCOMINGS = "Còn 01 báo cáo nộp chậm so với thời hạn; sẽ khắc phục trong tháng tới."
LOWER_REASON = "Trong tháng để xảy ra sai sót trong hồ sơ trình, phải chỉnh sửa nhiều lần."
QUOTA_REASON = "Đơn vị đã đủ tỷ lệ hoàn thành xuất sắc nhiệm vụ trong tháng."


@dataclass
class EvaluationResult:
    closed: list[datetime.date] = field(default_factory=list)
    current: datetime.date | None = None
    sheets: int = 0
    decided: dict[str, int] = field(default_factory=dict)
    deviations: int = 0
    submitted_now: int = 0
    reviewed_now: int = 0
    tasks: int = 0
    logins: int = 0

    def summary(self, seconds: str) -> str:
        closed = ", ".join(f"{month:%m/%Y}" for month in self.closed)
        current = f"{self.current:%m/%Y}" if self.current else ""
        decided = self.decided
        return (
            f"Đã tạo đánh giá mô phỏng của Sở Nội vụ: tháng {closed} đã quyết định và khóa "
            f"({decided.get('excellent', 0)} xuất sắc, {decided.get('good', 0)} tốt, "
            f"{decided.get('completed', 0)} hoàn thành, {decided.get('not_completed', 0)} "
            f"không hoàn thành; {self.deviations} khác khung điểm có lý do), tháng {current} "
            f"đang mở ({self.submitted_now} phiếu đã nộp, {self.reviewed_now} đã nhận xét); "
            f"{self.sheets} phiếu, {self.tasks} công việc thêm cho hai tháng đầu, "
            f"{self.logins} tài khoản mới ({seconds} giây)."
        )


def organisation() -> Unit | None:
    return Unit.objects.filter(code=ORGANISATION).first()


def evaluations_exist() -> bool:
    """The demo evaluation is there once Sở Nội vụ has any period."""
    return Period.objects.filter(organisation__code=ORGANISATION).exists()


def months(today: datetime.date) -> list[datetime.date]:
    """First days of the three months before today's and of today's, oldest first."""
    firsts = [today.replace(day=1)]
    for _ in range(PAST_MONTHS):
        firsts.insert(0, (firsts[0] - DAY).replace(day=1))
    return firsts


def split_scores(rng: random.Random, total: int, codes: list[str], top: int) -> dict[str, int]:
    """Scores of each criterion (at most `top`) adding up to `total`."""
    scores = dict.fromkeys(codes, top)
    missing = top * len(codes) - total
    while missing > 0:
        code = rng.choice(codes)
        if scores[code] > top - 3:
            scores[code] -= 1
            missing -= 1
    return scores


class _Builder:
    def __init__(self, today: datetime.date, unit: Unit) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.unit = unit
        self.months = months(today)
        self.hr = User.objects.get(username=HR_USERNAME)
        self.users: dict[int, User] = {}  # by id: one object per user (roles are cached)
        self.result = EvaluationResult()

    def user(self, user: User | None) -> User | None:
        if user is None:
            return None
        return self.users.setdefault(user.pk, user)

    def owner(self, sheet: Sheet) -> User:
        user = self.user(sheet.person.user)
        assert user is not None
        return user

    def people(self) -> list[Person]:
        first, last = self.months[0], month_bounds(self.months[-1])[1]
        return list(people_of_period(self.unit, first, last).select_related("user"))

    def give_logins(self) -> None:
        """Everyone evaluates themself: a login (without a password) for those without one."""
        for person in self.people():
            if person.user_id is None:
                org_services.create_login(person, by=self.hr)
                self.result.logins += 1

    # Tasks of the oldest months

    def add_tasks(self, first: datetime.date) -> None:
        last = month_bounds(first)[1]
        people = list(
            people_of_period(self.unit, first, last)
            .filter(Q(active_to__isnull=True) | Q(active_to__gte=last), active_from__lte=first)
            .select_related("user")
        )
        roles = fetch_authority_roles(first, last, within=self.unit)
        authority = authority_for_people(people, first, last, roles)
        assigner_ids = [a.reviewer_id or a.decider_id for a in authority.values()]
        found = User.objects.filter(pk__in=[pk for pk in assigner_ids if pk is not None])
        assigners = {user.pk: user for user in found}
        days = [first + DAY * offset for offset in range((last - first).days + 1)]
        working = [day for day in days if day.weekday() < 5]
        for person in people:
            who = authority[person.pk]
            by = self.user(assigners.get(who.reviewer_id or who.decider_id or 0))
            if by is None:
                continue
            owner = self.user(person.user)
            assert owner is not None
            for _ in range(self.rng.randint(3, 5)):
                start = self.rng.choice(working[:-3])
                due = min(start + DAY * self.rng.randint(2, 8), last)
                task = tasks.assign_task(
                    title=self.rng.choice(TASK_TITLES).format(month=f"tháng {first:%m/%Y}"),
                    unit=person.unit,
                    owner=person,
                    by=by,
                    source=Task.Source.ASSIGNMENT,
                    start_date=start,
                    due_date=due,
                )
                late = self.rng.random() < 0.35
                on = due + DAY * self.rng.randint(1, 3) if late else due
                task = tasks.complete_task(task, by=owner, on=on, text="Đã hoàn thành.")
                draw = self.rng.random()
                errors = 1 if draw < 0.35 else 0
                meets = draw > 0.08
                assessment.assess_task(task, by=by, meets_quality=meets, major_errors=errors)
                self.result.tasks += 1

    # Sheets

    def open(self, first: datetime.date, *, late: bool) -> Period:
        deadlines = None
        if late:
            # Evaluated now, weeks after the month: deadlines as HR would have extended them.
            deadlines = {
                "self_evaluation_due": self.today + DAY * 30,
                "review_due": self.today + DAY * 35,
                "decision_due": self.today + DAY * 40,
            }
        return open_period(self.unit, first, by=self.hr, deadlines=deadlines)

    def sheets(self, period: Period) -> list[Sheet]:
        return list(
            Sheet.objects.filter(period=period)
            .select_related("person__user", "reviewer", "decider", "unit")
            .order_by("pk")
        )

    def band_with(self, sheet: Sheet, config: RulebookConfig, general: int) -> str:
        return band_for(config, min(Decimal(100), Decimal(general) + Decimal(sheet.task_points)))

    def self_evaluate(self, sheet: Sheet, config: RulebookConfig) -> Sheet:
        codes = [criterion.code for criterion in config.criteria]
        top = int(max(criterion.max_points for criterion in config.criteria))
        scores = split_scores(self.rng, self.rng.randint(24, 29), codes, top)
        owner = self.owner(sheet)
        sheet = save_self_evaluation(
            sheet,
            by=owner,
            scores=scores,
            strengths=self.rng.choice(STRENGTHS),
            shortcomings=self.rng.choice(SHORTCOMINGS),
            proposals=self.rng.choice(PROPOSALS),
            proposed_level=self.band_with(sheet, config, sum(scores.values())),
        )
        return submit_self_evaluation(sheet, by=owner)

    def reviewer(self, sheet: Sheet) -> User:
        user = self.user(sheet.reviewer or sheet.decider)
        assert user is not None
        return user

    def review(self, sheet: Sheet, config: RulebookConfig, *, lower: bool = False) -> Sheet:
        scores = {
            code: max(0, int(Decimal(value)) - self.rng.choice((0, 0, 1)))
            for code, value in sheet.self_scores.items()
        }
        level = self.band_with(sheet, config, sum(scores.values()))
        lower = lower and level == "good"
        if lower:  # the manager proposes "completed" for a "good" score
            levels = [item.code for item in config.levels]
            level = levels[levels.index(level) + 1]
        return submit_review(
            sheet,
            by=self.reviewer(sheet),
            scores=scores,
            comment=LOWER_REASON if lower else self.rng.choice(COMMENTS),
            proposed_level=level,
            # A leader's đ and e, when the rulebook has the reviewer assess them.
            organising=100,
            uniting=100,
        )

    def return_once(self, sheet: Sheet, config: RulebookConfig) -> Sheet:
        """The reviewer returns the sheet; the owner completes it and submits it again."""
        sheet = return_sheet(sheet, by=self.reviewer(sheet), reason=RETURN_REASON)
        owner = self.owner(sheet)
        sheet = save_self_evaluation(
            sheet,
            by=owner,
            scores=sheet.self_scores,
            strengths=sheet.strengths,
            shortcomings=CORRECTED_SHORTCOMINGS,
            proposals=sheet.proposals,
            proposed_level=sheet.self_level,
        )
        return submit_self_evaluation(sheet, by=owner)

    def past_month(self, first: datetime.date, *, returned: bool, lowered: bool) -> None:
        period = self.open(first, late=True)
        config = config_of(period)
        sheets = self.sheets(period)
        staff = [sheet for sheet in sheets if not sheet.is_leader and sheet.reviewer_id]
        to_return = staff[self.rng.randrange(len(staff))].pk if returned and staff else None
        goods = [sheet for sheet in staff if sheet.band == "good"] or staff
        to_lower = goods[self.rng.randrange(len(goods))].pk if lowered and goods else None
        # From the chosen one on, the first staff member reviewed at "good" is lowered (the
        # band is known once reviewed): a person the head may raise back on appeal (Art. 20).
        lowering, staff_ids = False, {sheet.pk for sheet in staff}
        for sheet in sheets:
            rules = sheet_config(sheet)  # a viên chức's rulebook may differ from the period's
            sheet = self.self_evaluate(sheet, rules)
            if sheet.pk == to_return:
                sheet = self.return_once(sheet, rules)
            lowering = lowering or sheet.pk == to_lower
            sheet = self.review(sheet, rules, lower=lowering and sheet.pk in staff_ids)
            lowering = lowering and sheet.manager_level == sheet.band
        self.decide(period, config)
        period = advance_period(period, by=self.hr)
        period = advance_period(period, by=self.hr)
        close_period(period, by=self.hr)
        self.result.closed.append(first)
        for sheet in self.sheets(period):
            self.result.sheets += 1
            level = sheet.decided_level
            self.result.decided[level] = self.result.decided.get(level, 0) + 1
            self.result.deviations += int(level != sheet.band)

    def decide(self, period: Period, config: RulebookConfig) -> None:
        """Each decider accepts the proposals in one go, then decides the rest one by one:
        the manager's proposal with its reason, or "good" where the quota is full."""

        def choose(sheet: Sheet) -> tuple[str, str]:
            rules = sheet_config(sheet)
            vetoed = forced_level(period, rules, sheet)  # a discipline of the demo records
            if vetoed is not None:
                return vetoed, VETO_REASON
            # A leader's band may have dropped below the proposal since the review (d follows
            # the staff's decisions): the head decides no higher than the rulebook allows.
            level = within_band(rules, sheet.manager_level or sheet.band, sheet.band)
            return level, LOWER_REASON if level != sheet.band else ""

        def refused(sheet: Sheet, level: str) -> tuple[str, str] | None:
            return (
                (config.quota.base_level, QUOTA_REASON) if level == config.quota.top_level else None
            )

        decide_demo_period(period, self.unit, self.sheets, self.user, choose, refused)

    def current_month(self) -> None:
        period = self.open(self.months[-1], late=False)
        staff = [
            sheet for sheet in self.sheets(period) if not sheet.is_leader and sheet.reviewer_id
        ]
        chosen = sorted(
            self.rng.sample(staff, min(OPEN_MONTH_SUBMITTED, len(staff))), key=lambda s: s.pk
        )
        for number, sheet in enumerate(chosen):
            sheet = self.self_evaluate(sheet, sheet_config(sheet))
            self.result.submitted_now += 1
            if number == 0:
                self.review(sheet, sheet_config(sheet))
                self.result.reviewed_now += 1
        self.result.current = self.months[-1]
        self.result.sheets += len(self.sheets(period))


def assign_demo_rulebooks(unit: Unit, hr: User, today: datetime.date) -> None:
    """The province's viên chức (public-service units) are scored under the shipped viên chức
    rulebook, set once for the whole province by HR (the system when HR is not over the
    province), before any month is opened; công chức keep the period's (Nghị định 335)."""
    root = Unit.objects.get(pk=unit.ancestor_ids[0])
    rulebook = Rulebook.objects.filter(code=VIEN_CHUC_RULEBOOK).order_by("-version").first()
    default = applicable_rulebook(root, today)
    if rulebook is None or default is None:
        return
    if CategoryRulebook.objects.filter(
        organisation=root, staff_category=StaffCategory.PUBLIC_EMPLOYEE
    ).exists():
        return
    by = hr if can_manage_periods(hr, root) else None
    assign_rulebook(root, StaffCategory.PUBLIC_EMPLOYEE, rulebook, default=default, by=by)


def build_evaluations(today: datetime.date) -> EvaluationResult:
    """Write the four months (call inside a transaction; Sở Nội vụ must exist)."""
    unit = organisation()
    assert unit is not None
    builder = _Builder(today, unit)
    assign_demo_rulebooks(unit, builder.hr, today)
    builder.give_logins()
    seed_demo_records(today)  # before the months are decided: the veto must apply
    for first in builder.months[:EXTRA_TASK_MONTHS]:
        builder.add_tasks(first)
    for index, first in enumerate(builder.months[:PAST_MONTHS]):
        builder.past_month(first, returned=index == 1, lowered=index == 2)
    builder.current_month()
    return builder.result


def decide_demo_period(
    period: Period,
    unit: Unit,
    sheets: Callable[[Period], list[Sheet]],
    user: Callable[[User | None], User | None],
    choose: Callable[[Sheet], tuple[str, str]],
    refused: Callable[[Sheet, str], tuple[str, str] | None],
) -> None:
    """A demo's decisions on a period: each decider accepts the proposals in one go, then
    decides the rest one by one at the level and reason `choose` gives; where the rules refuse
    it, at those `refused` gives (None: the refusal stands). Used by the month's and the
    year's demo."""
    deciders = {sheet.decider_id: sheet.decider for sheet in sheets(period)}
    for decider in deciders.values():
        by = user(decider)
        if by is not None:
            accept_all_proposals(period, unit, by=by)
    for sheet in sheets(period):
        if sheet.status == Sheet.Status.DECIDED:
            continue
        by = user(sheet.decider)
        if by is None:
            raise EvaluationError(f"{sheet.person.full_name}: no decider")
        level, reason = choose(sheet)
        try:
            decide_sheet(sheet, by=by, level=level, reason=reason)
        except EvaluationError:
            instead = refused(sheet, level)
            if instead is None:
                raise
            decide_sheet(sheet, by=by, level=instead[0], reason=instead[1])
