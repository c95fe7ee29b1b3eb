"""Demo initiatives and emulation for Sở Nội vụ, written through the services, on top of the
demo that `seed_demo` and `seed_demo_evaluations` build.

`seed_demo_recognition(today)`: one initiative recognised by the council (scope: unit) and one
waiting for it, of two staff members of Sở Nội vụ (by employee code, skipping the first, who
carries the demo's reprimand); and, when the annual classification of the previous year exists
for Sở Nội vụ or a unit above it, the proposals "Lao động tiên tiến" and "Chiến sĩ thi đua cơ
sở" for that year. Safe to run again: what exists is left alone.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from danhgia.accounts.models import User
from danhgia.annual.models import AnnualPeriod
from danhgia.organisations.models import Person, Unit
from danhgia.reports.recognition.models import EmulationProposal, EmulationTitle, Initiative
from danhgia.reports.recognition.services import (
    RecognitionError,
    assess_initiative,
    build_proposal,
    propose_initiative,
)
from danhgia.reports.recognition.shipped import ensure_shipped_titles

ORGANISATION = "SNV"
HR_USERNAME = "nhansu"
DAY = datetime.timedelta(days=1)
RECOGNISED_TITLE = "Số hóa quy trình tiếp nhận hồ sơ thi tuyển công chức"
PENDING_TITLE = "Bảng theo dõi hạn trả lời văn bản của công dân"


@dataclass
class DemoRecognition:
    initiatives: list[Initiative] = field(default_factory=list)
    proposals: list[EmulationProposal] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Sáng kiến: {len(self.initiatives)} mới; "
            f"danh sách đề nghị thi đua: {len(self.proposals)}."
        )


def _staff(unit: Unit) -> list[Person]:
    return list(
        Person.objects.filter(unit__path__startswith=unit.path, is_leader=False)
        .filter(Q(active_to__isnull=True))
        .exclude(user__isnull=True)
        .select_related("unit", "user")
        .order_by("employee_code")
    )


def seed_demo_recognition(today: datetime.date) -> DemoRecognition:
    ensure_shipped_titles()
    result = DemoRecognition()
    unit = Unit.objects.get(code=ORGANISATION)
    hr = User.objects.get(username=HR_USERNAME)
    staff = _staff(unit)
    if len(staff) < 3:
        return result
    author, other = staff[1], staff[2]
    if not Initiative.objects.filter(person=author, title=RECOGNISED_TITLE).exists():
        initiative = propose_initiative(
            author,
            by=author.user or hr,
            title=RECOGNISED_TITLE,
            description=(
                "Nhận hồ sơ dự tuyển qua biểu mẫu trực tuyến, tự động kiểm tra điều kiện "
                "văn bằng và tuổi, gửi thư xác nhận cho thí sinh."
            ),
            proposed_on=today - 40 * DAY,
        )
        result.initiatives.append(
            assess_initiative(
                initiative,
                by=hr,
                recognised=True,
                council="Hội đồng sáng kiến cơ sở Sở Nội vụ",
                assessed_on=today - 10 * DAY,
                scope=Initiative.Scope.UNIT,
                effect="Rút ngắn thời gian tiếp nhận hồ sơ từ 5 ngày xuống 1 ngày.",
                decision_number=f"{(today - 10 * DAY).month:02d}/QĐ-HĐSK",
                opinion="Có tính mới, đã áp dụng hiệu quả tại Sở.",
            )
        )
    if not Initiative.objects.filter(person=other, title=PENDING_TITLE).exists():
        result.initiatives.append(
            propose_initiative(
                other,
                by=other.user or hr,
                title=PENDING_TITLE,
                description="Bảng tính dùng chung nhắc hạn trả lời đơn thư, kiến nghị.",
                proposed_on=today - 5 * DAY,
            )
        )
    year = today.year - 1
    if AnnualPeriod.objects.filter(year=year, organisation_id__in=unit.ancestor_ids).exists():
        for code in ("LDTT", "CSTDCS"):
            title = EmulationTitle.objects.get(code=code)
            if EmulationProposal.objects.filter(organisation=unit, year=year, title=title).exists():
                continue  # built once: a second run changes nothing
            try:
                result.proposals.append(build_proposal(unit, year, title, by=hr))
            except RecognitionError:
                break
    return result
