"""Services: the initiative workflow (proposal → council assessment → recognised or rejected,
each audited, with permission checks), emulation proposals from the annual results (each
condition with its edge case), reward decisions and the titles' conditions."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Discipline
from danhgia.reports.recognition.models import EmulationCandidate, Initiative, RewardDecision
from danhgia.reports.recognition.services import (
    RecognitionError,
    assess_initiative,
    build_proposal,
    propose_initiative,
    record_reward,
    update_title,
)
from tests.conftest import World
from tests.reports.recognition.conftest import YEAR, AnnualResult, Recognised, title

pytestmark = pytest.mark.usefixtures("english")


def audit(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).order_by("pk"))


# Initiatives


def _proposed(world: World, by: str = "staff") -> Initiative:
    return propose_initiative(
        world.people["staff"],
        by=world.users[by],
        title="  Số hóa hồ sơ  ",
        description="Quét hồ sơ giấy.",
    )


def test_a_person_proposes_their_own_initiative(world: World) -> None:
    initiative = _proposed(world)
    assert (initiative.status, initiative.title, initiative.unit) == (
        Initiative.Status.PROPOSED,
        "Số hóa hồ sơ",
        world.division,
    )
    [row] = audit("initiative.proposed")
    assert (row.actor, row.object_id) == (world.users["staff"], str(initiative.pk))
    assert row.data["after"]["person"] == "E-staff"


def test_the_manager_proposes_for_their_staff(world: World) -> None:
    assert _proposed(world, by="manager").proposed_by == world.users["manager"]


@pytest.mark.parametrize("by", ["staff_other", "head_other", "supervisor"])
def test_others_cannot_propose_for_a_person(world: World, by: str) -> None:
    with pytest.raises(RecognitionError, match="your own initiatives"):
        _proposed(world, by=by)
    assert Initiative.objects.count() == 0


def test_a_proposal_needs_a_title_and_content(world: World) -> None:
    with pytest.raises(RecognitionError, match="title"):
        propose_initiative(
            world.people["staff"], by=world.users["staff"], title=" ", description="x"
        )


def _assess(
    initiative: Initiative, world: World, by: str = "head", **changes: object
) -> Initiative:
    values: dict[str, object] = {
        "recognised": True,
        "council": "Hội đồng sáng kiến Sở Nội vụ",
        "assessed_on": timezone.localdate(),
        "scope": "unit",
        "effect": "Tiết kiệm 200 giờ công mỗi năm.",
        "decision_number": "20/QĐ-SNV",
    }
    values.update(changes)
    return assess_initiative(initiative, by=world.users[by], **values)  # type: ignore[arg-type]


def test_the_council_recognises_it(world: World) -> None:
    initiative = _assess(_proposed(world), world)
    assert (initiative.status, initiative.scope, initiative.decision_number) == (
        Initiative.Status.RECOGNISED,
        "unit",
        "20/QĐ-SNV",
    )
    [row] = audit("initiative.recognised")
    assert row.actor == world.users["head"]
    assert (row.data["before"]["status"], row.data["after"]["status"]) == ("proposed", "recognised")
    assert row.data["after"]["scope"] == "unit"
    [notice] = Notification.objects.filter(recipient=world.users["staff"])
    assert "was recognised" in notice.message


def test_the_council_rejects_it_with_reasons(world: World) -> None:
    initiative = _assess(
        _proposed(world), world, by="hr", recognised=False, opinion="Chưa có tính mới."
    )
    assert (initiative.status, initiative.scope, initiative.decision_number) == (
        Initiative.Status.REJECTED,
        "",
        "",
    )
    [row] = audit("initiative.rejected")
    assert row.data["after"]["council_opinion"] == "Chưa có tính mới."
    assert audit("initiative.recognised") == []


def test_a_rejection_needs_reasons(world: World) -> None:
    with pytest.raises(RecognitionError, match="reasons"):
        _assess(_proposed(world), world, recognised=False)


@pytest.mark.parametrize("missing", ["scope", "effect", "decision_number"])
def test_a_recognition_needs_scope_effect_and_decision(world: World, missing: str) -> None:
    initiative = _proposed(world)
    with pytest.raises(RecognitionError):
        _assess(initiative, world, **{missing: ""})
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PROPOSED


@pytest.mark.parametrize("by", ["staff", "manager", "supervisor", "head_other"])
def test_only_hr_or_the_head_assesses(world: World, by: str) -> None:
    initiative = _proposed(world, by="manager")
    with pytest.raises(RecognitionError, match="Only HR or the head"):
        _assess(initiative, world, by=by)
    assert audit("initiative.recognised") == []


def test_nobody_assesses_their_own_initiative(world: World) -> None:
    initiative = propose_initiative(
        world.people["head"], by=world.users["head"], title="Họp không giấy", description="x"
    )
    with pytest.raises(RecognitionError, match="never the author"):
        _assess(initiative, world, by="head")
    assert _assess(initiative, world, by="hr").is_recognised


def test_an_assessed_initiative_is_not_assessed_again(world: World) -> None:
    initiative = _assess(_proposed(world), world)
    with pytest.raises(RecognitionError, match="already been assessed"):
        _assess(initiative, world, by="hr", recognised=False, opinion="x")


def test_the_assessment_date_is_between_proposal_and_today(world: World) -> None:
    initiative = _proposed(world)
    with pytest.raises(RecognitionError, match="between the proposal"):
        _assess(initiative, world, assessed_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(RecognitionError, match="between the proposal"):
        _assess(initiative, world, assessed_on=initiative.proposed_on - datetime.timedelta(days=1))


# Emulation proposals


def _eligible(world: World, code: str = "LDTT") -> dict[str, list[str]]:
    proposal = build_proposal(world.province, YEAR, title(code), by=world.users["hr"])
    candidates = EmulationCandidate.objects.filter(proposal=proposal).select_related("person")
    return {
        c.person.employee_code: [item["code"] for item in c.unmet]
        for c in candidates.order_by("person__employee_code")
    }


def test_lao_dong_tien_tien_from_the_annual_results(
    world: World, annual_result: AnnualResult, discipline: Callable[..., Discipline]
) -> None:
    annual_result(world.people["staff"], "good")
    annual_result(world.people["staff_other"], "completed")  # below the minimum level
    annual_result(world.people["manager"], "excellent", months=9)  # fewer than 10 months
    annual_result(world.people["head"], "good", months=10)  # exactly 10 months
    annual_result(world.people["hr"], "excellent")
    discipline(world.people["hr"], datetime.date(YEAR, 11, 3))  # disciplined in the year
    annual_result(world.people["head_other"], "")  # not decided yet
    assert _eligible(world) == {
        "E-head": [],
        "E-head_other": ["min_annual_level"],
        "E-hr": ["no_discipline_in_year"],
        "E-manager": ["min_months_worked"],
        "E-staff": [],
        "E-staff_other": ["min_annual_level"],
    }
    [row] = audit("emulation.proposal_built")
    assert row.data["after"]["eligible"] == ["E-head", "E-staff"]
    assert row.data["after"]["people"] == 6


def test_a_discipline_of_another_year_does_not_exclude(
    world: World, annual_result: AnnualResult, discipline: Callable[..., Discipline]
) -> None:
    annual_result(world.people["staff"], "good")
    discipline(world.people["staff"], datetime.date(YEAR - 1, 12, 31))
    discipline(world.people["staff"], datetime.date(YEAR + 1, 1, 1))
    assert _eligible(world) == {"E-staff": []}


def test_chien_si_thi_dua_co_so_requires_an_initiative(
    world: World, annual_result: AnnualResult, recognised: Recognised
) -> None:
    annual_result(world.people["staff"], "excellent")
    annual_result(world.people["staff_other"], "excellent")
    annual_result(world.people["manager"], "completed")
    recognised(world.people["staff"], on=datetime.date(YEAR, 6, 10))
    recognised(world.people["staff_other"], on=datetime.date(YEAR - 1, 12, 20))  # last year
    recognised(world.people["manager"], on=datetime.date(YEAR, 3, 1))
    assert _eligible(world, "CSTDCS") == {
        "E-manager": ["min_annual_level", "requires_title"],
        "E-staff": [],
        "E-staff_other": ["initiative_min_scope"],
    }


def test_a_rejected_initiative_does_not_count(world: World, annual_result: AnnualResult) -> None:
    annual_result(world.people["staff"], "excellent")
    initiative = propose_initiative(
        world.people["staff"],
        by=world.users["hr"],
        title="Ý tưởng",
        description="x",
        proposed_on=datetime.date(YEAR, 5, 1),
    )
    assess_initiative(
        initiative,
        by=world.users["hr"],
        recognised=False,
        council="Hội đồng",
        assessed_on=datetime.date(YEAR, 6, 1),
        opinion="Không có tính mới.",
    )
    assert _eligible(world, "CSTDCS") == {"E-staff": ["initiative_min_scope"]}


def test_building_again_replaces_the_list(world: World, annual_result: AnnualResult) -> None:
    sheet = annual_result(world.people["staff"], "completed")
    assert _eligible(world) == {"E-staff": ["min_annual_level"]}
    sheet.decided_level = "good"
    sheet.save(update_fields=["decided_level"])
    assert _eligible(world) == {"E-staff": []}
    rows = audit("emulation.proposal_built")
    assert [r.data["before"] for r in rows][1]["eligible"] == []
    assert EmulationCandidate.objects.count() == 1


def test_edited_conditions_apply_to_the_next_proposal(
    world: World, annual_result: AnnualResult
) -> None:
    annual_result(world.people["staff"], "completed")
    ldtt = title("LDTT")
    update_title(
        ldtt,
        by=world.users["hr"],
        name=ldtt.name,
        legal_source=ldtt.legal_source,
        conditions={**ldtt.conditions, "min_annual_level": "completed"},
        active=True,
    )
    assert _eligible(world) == {"E-staff": []}
    [row] = audit("emulation_title.updated")
    assert row.data["before"]["conditions"]["min_annual_level"] == "good"
    assert row.data["after"]["conditions"]["min_annual_level"] == "completed"


def test_titles_are_edited_by_hr_of_the_province_only(world: World) -> None:
    ldtt = title("LDTT")
    with pytest.raises(RecognitionError):
        update_title(
            ldtt, by=world.users["head"], name="x", legal_source="", conditions={}, active=True
        )
    with pytest.raises(RecognitionError, match="require itself"):
        update_title(
            ldtt,
            by=world.users["hr"],
            name="x",
            legal_source="",
            conditions={"requires_title": "LDTT"},
            active=True,
        )


def test_no_annual_result_no_proposal(world: World) -> None:
    with pytest.raises(RecognitionError, match="open the annual classification first"):
        build_proposal(world.province, YEAR, title("LDTT"), by=world.users["hr"])


def test_only_hr_builds_a_proposal(world: World, annual_result: AnnualResult) -> None:
    annual_result(world.people["staff"], "good")
    with pytest.raises(RecognitionError, match="Only HR"):
        build_proposal(world.dept, YEAR, title("LDTT"), by=world.users["head"])


def test_a_department_proposal_lists_only_its_people(
    world: World, annual_result: AnnualResult
) -> None:
    annual_result(world.people["staff"], "good")
    annual_result(world.people["staff_other"], "good")
    proposal = build_proposal(world.dept, YEAR, title("LDTT"), by=world.users["hr"])
    assert [c.person.employee_code for c in proposal.candidates.all()] == ["E-staff"]


# Reward decisions


def _reward(world: World, **changes: object) -> RewardDecision:
    values: dict[str, object] = {
        "decision_number": "125/QĐ-SNV",
        "decided_on": datetime.date(2026, 1, 20),
        "issuer": "Giám đốc Sở Nội vụ",
        "award": "Lao động tiên tiến",
        "people": [world.people["staff"], world.people["manager"]],
        "title": title("LDTT"),
        "year": YEAR,
    }
    values.update(changes)
    return record_reward(world.dept, by=world.users["hr"], **values)  # type: ignore[arg-type]


def test_a_reward_decision_is_recorded(world: World) -> None:
    reward = _reward(world)
    assert sorted(p.employee_code for p in reward.people.all()) == ["E-manager", "E-staff"]
    [row] = audit("reward.recorded")
    assert row.data["after"]["people"] == ["E-manager", "E-staff"]
    assert row.data["after"]["title"] == "LDTT"
    assert Notification.objects.filter(kind="reward").count() == 2


def test_a_decision_number_is_recorded_once(world: World) -> None:
    _reward(world)
    with pytest.raises(RecognitionError, match="already recorded"):
        _reward(world, decision_number="125/qđ-snv")


def test_rewarded_people_work_in_the_organisation(world: World) -> None:
    with pytest.raises(RecognitionError, match="E-staff_other"):
        _reward(world, people=[world.people["staff_other"]])
    assert RewardDecision.objects.count() == 0


def test_a_reward_needs_people_and_a_past_date(world: World) -> None:
    with pytest.raises(RecognitionError, match="at least one"):
        _reward(world, people=[])
    with pytest.raises(RecognitionError, match="future"):
        _reward(world, decided_on=timezone.localdate() + datetime.timedelta(days=1))


def test_only_hr_records_rewards(world: World) -> None:
    with pytest.raises(RecognitionError, match="Only HR"):
        record_reward(
            world.dept,
            by=world.users["head"],
            decision_number="1",
            decided_on=datetime.date(2026, 1, 2),
            issuer="x",
            award="y",
            people=[world.people["staff"]],
        )
