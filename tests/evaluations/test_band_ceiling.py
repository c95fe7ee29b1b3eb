"""Issue 14, contradiction 3: under Nghị định 335 (version 3, Art. 20) the head who decides
may lower a level below the band of the score, never raise it above; a rulebook that allows
it (version 2, a clone with `may_raise_above_band` true) still does. One decision, accept all,
a re-decision after reopening, an appeal, a quarter; the decision page offers only the allowed
levels and says why. The year is in tests/annual/test_band_ceiling_annual.py."""

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from danhgia.core import clock
from danhgia.core.models import AuditLog
from danhgia.evaluations.models import Period, Rulebook, Sheet
from danhgia.evaluations.rules.ceiling import above_band_refusal, allowed_levels
from danhgia.evaluations.rules.reading import RuleError
from danhgia.evaluations.rules.schema import parse_parts, parse_rulebook
from danhgia.evaluations.services import EvaluationError
from danhgia.evaluations.services.appeals import answer_appeal, submit_appeal
from danhgia.evaluations.services.decisions import accept_all_proposals, decide_sheet
from danhgia.evaluations.services.reopen import reopen_sheet
from danhgia.evaluations.services.sheets import (
    save_self_evaluation,
    submit_review,
    submit_self_evaluation,
)
from danhgia.evaluations.shipped import ND90_2020, ND335_2025_V2, ND335_2025_V3
from tests.conftest import World
from tests.evaluations.conftest import (
    FULL_SCORES,
    MakeTask,
    OpenOctober,
    oct_,
    sheet_of,
)
from tests.evaluations.test_appeals import ANSWER, GROUNDS, decided_staff_sheet
from tests.evaluations.test_reopen import decide
from tests.evaluations.test_rules_support import parts_of

pytestmark = pytest.mark.usefixtures("english")

REASON = "Đóng góp nổi bật trong tháng"
CEILING = "cannot be above the band of the score"


def reviewed(world: World, period: Period, level: str, key: str = "staff") -> Sheet:
    """`key`'s sheet with full general criteria (30 points) and the manager proposing `level`.
    Without a task in the period the total is 30: the band is "not completed"."""
    sheet = sheet_of(period, world.people[key])
    owner = world.users[key]
    save_self_evaluation(sheet, by=owner, scores=FULL_SCORES, proposed_level=level)
    sheet = submit_self_evaluation(sheet, by=owner)
    return submit_review(sheet, by=world.users["manager"], scores=FULL_SCORES, proposed_level=level)


# The rule


def test_nd335_v3_forbids_raising_older_versions_and_nd90_allow_it() -> None:
    assert parse_parts(**parts_of(ND335_2025_V3)).may_raise_above_band is False
    assert parse_parts(**parts_of(ND335_2025_V2)).may_raise_above_band is True
    assert parse_parts(**parts_of(ND90_2020)).may_raise_above_band is True
    config = parse_parts(**parts_of(ND335_2025_V3))
    assert "Điều 20" in config.sources["levels"]["may_raise_above_band"]
    with pytest.raises(RuleError, match="true or false"):
        parse_parts(
            **{
                **parts_of(ND335_2025_V3),
                "levels": {**ND335_2025_V3["levels"], "may_raise_above_band": "no"},
            }
        )


def test_the_levels_allowed_stop_at_the_band() -> None:
    forbidding = parse_parts(**parts_of(ND335_2025_V3))
    allowing = parse_parts(**parts_of(ND335_2025_V2))
    assert [level.code for level in allowed_levels(forbidding, "good")] == [
        "good",
        "completed",
        "not_completed",
    ]
    assert len(allowed_levels(allowing, "good")) == 4
    assert len(allowed_levels(forbidding, "")) == 4  # no band, no ceiling
    assert above_band_refusal(forbidding, "good", "good") == ""
    assert above_band_refusal(forbidding, "completed", "good") == ""
    assert above_band_refusal(allowing, "excellent", "good") == ""
    refusal = above_band_refusal(forbidding, "excellent", "good")
    assert "choose “Hoàn thành tốt nhiệm vụ” or lower" in refusal
    assert "Điều 20" in refusal


def test_the_refusal_is_vietnamese_and_says_what_to_do() -> None:
    from django.utils import translation

    config = parse_parts(**parts_of(ND335_2025_V3))
    with translation.override("vi"):
        refusal = above_band_refusal(config, "good", "completed")
    assert refusal.startswith("Mức quyết định không được cao hơn mức theo điểm")
    assert "chọn “Hoàn thành nhiệm vụ” hoặc thấp hơn" in refusal


# Month: one decision, accept all, reopening, appeal


@pytest.mark.django_db
def test_a_new_period_takes_the_latest_version_with_the_ceiling(
    world: World, open_october: OpenOctober
) -> None:
    """Version 4 (version 3 with its annual forms) keeps the band as a ceiling."""
    period = open_october()
    assert (period.rulebook.code, period.rulebook.version) == ("ND335-2025", 4)
    assert parse_rulebook(period.rulebook).may_raise_above_band is False


@pytest.mark.django_db
def test_the_head_may_lower_but_not_raise_a_level(world: World, open_october: OpenOctober) -> None:
    period = open_october()
    sheet = reviewed(world, period, "completed")
    assert sheet.band == "not_completed"
    with pytest.raises(EvaluationError, match=CEILING) as refused:
        decide_sheet(sheet, by=world.users["head"], level="completed", reason=REASON)
    assert "choose “Không hoàn thành nhiệm vụ” or lower" in str(refused.value)
    assert Sheet.objects.get(pk=sheet.pk).status == Sheet.Status.REVIEWED
    assert not AuditLog.objects.filter(action="sheet.decided").exists()
    sheet = decide_sheet(sheet, by=world.users["head"], level="not_completed")
    assert sheet.decided_level == "not_completed"


@pytest.mark.django_db
def test_a_rulebook_that_allows_raising_still_allows_it(
    world: World, open_october: OpenOctober, nd335_raising: Rulebook
) -> None:
    period = open_october(rulebook=nd335_raising)
    sheet = reviewed(world, period, "completed")
    sheet = decide_sheet(sheet, by=world.users["head"], level="completed", reason=REASON)
    assert (sheet.band, sheet.decided_level) == ("not_completed", "completed")


@pytest.mark.django_db
def test_accept_all_leaves_a_proposal_above_the_band_to_the_head(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    above = reviewed(world, period, "completed")
    result = accept_all_proposals(period, world.dept, by=world.users["head"])
    assert result.decided == []
    [skipped] = result.skipped
    assert skipped.sheet.pk == above.pk
    assert CEILING in skipped.reason
    assert Sheet.objects.get(pk=above.pk).status == Sheet.Status.REVIEWED


@pytest.mark.django_db
def test_a_re_decision_after_reopening_cannot_raise_above_the_band(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    sheet = reviewed(world, period, "not_completed")
    sheet = decide_sheet(sheet, by=world.users["head"], level="not_completed")
    reopen_sheet(sheet, by=world.users["hr"], reason="Xem lại theo kiến nghị")
    sheet = sheet_of(period, world.people["staff"])
    with pytest.raises(EvaluationError, match=CEILING):
        decide_sheet(sheet, by=world.users["head"], level="completed", reason=REASON)
    assert decide_sheet(sheet, by=world.users["head"], level="not_completed").is_decided


@pytest.mark.django_db
def test_an_appeal_answer_cannot_raise_above_the_band(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)  # band "good", decided lower
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    with pytest.raises(EvaluationError, match=CEILING):
        answer_appeal(
            appeal, by=world.users["head"], outcome="changed", new_level="excellent", answer=ANSWER
        )
    appeal = answer_appeal(
        appeal, by=world.users["head"], outcome="changed", new_level="good", answer=ANSWER
    )
    sheet.refresh_from_db()
    assert (appeal.new_level, sheet.decided_level) == ("good", "good")


@pytest.mark.django_db
def test_an_appeal_answer_may_raise_when_the_rulebook_allows_it(
    world: World, open_october: OpenOctober, make_task: MakeTask, nd335_raising: Rulebook
) -> None:
    make_task(done_on=oct_(10), meets_quality=True)
    period = open_october(rulebook=nd335_raising)
    sheet = decide(world, period, "staff", level="completed", reason="Còn chậm tiến độ")
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    # No ceiling: the quota is what refuses (nobody else is "good" in the unit).
    with pytest.raises(EvaluationError, match="Over the quota"):
        answer_appeal(
            appeal, by=world.users["head"], outcome="changed", new_level="excellent", answer=ANSWER
        )


# A quarter


@pytest.mark.django_db
def test_a_quarter_is_decided_within_the_band_too(world: World, open_october: OpenOctober) -> None:
    # The quarter ends on 31 December: its deadlines follow that day and today.
    after = max(clock.today(), datetime.date(2026, 12, 31))
    deadlines = {
        "self_evaluation_due": after + datetime.timedelta(days=1),
        "review_due": after + datetime.timedelta(days=2),
        "decision_due": after + datetime.timedelta(days=3),
    }
    period = open_october(kind=Period.Kind.QUARTER, deadlines=deadlines)
    assert period.kind == Period.Kind.QUARTER
    sheet = reviewed(world, period, "completed")
    with pytest.raises(EvaluationError, match=CEILING):
        decide_sheet(sheet, by=world.users["head"], level="completed", reason=REASON)
    result = accept_all_proposals(period, world.dept, by=world.users["head"])
    assert [item.sheet.pk for item in result.skipped] == [sheet.pk]
    assert CEILING in result.skipped[0].reason


# The decision page


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _row(page: str, sheet: Sheet) -> str:
    start = page.index(f'id="sheet-{sheet.pk}"')
    return page[start : page.index("</article>", start)]


@pytest.mark.django_db
def test_the_decision_page_offers_levels_up_to_the_band_and_says_why(
    world: World, open_october: OpenOctober
) -> None:
    period = open_october()
    sheet = reviewed(world, period, "completed")
    url = reverse("evaluations:decision_page", args=[period.pk, world.dept.pk])
    page = _client(world.users["head"]).get(url).content.decode()
    assert 'id="band-ceiling"' in page
    assert "never above it" in page
    assert "Điều 20" in page
    row = _row(page, sheet)
    assert '<option value="not_completed"' in row
    assert '<option value="completed"' not in row
    assert '<option value="excellent"' not in row


@pytest.mark.django_db
def test_the_decision_page_offers_every_level_when_the_rulebook_allows_raising(
    world: World, open_october: OpenOctober, nd335_raising: Rulebook
) -> None:
    period = open_october(rulebook=nd335_raising)
    sheet = reviewed(world, period, "completed")
    url = reverse("evaluations:decision_page", args=[period.pk, world.dept.pk])
    page = _client(world.users["head"]).get(url).content.decode()
    assert 'id="band-ceiling"' not in page
    assert '<option value="excellent"' in _row(page, sheet)


@pytest.mark.django_db
def test_the_rulebook_page_states_the_rule_with_its_source(world: World, nd335: Rulebook) -> None:
    url = reverse("evaluations:rulebook_detail", args=[nd335.pk])
    page = _client(world.users["hr"]).get(url).content.decode()
    assert "may lower a level below the band of the score, never raise it above" in page
    assert "may_raise_above_band" in page
    assert "Điều 20 (mỗi mức xếp loại được xác định theo điểm" in page


@pytest.mark.django_db
def test_the_appeal_answer_page_offers_new_levels_up_to_the_band(
    world: World, open_october: OpenOctober, make_task: MakeTask
) -> None:
    sheet = decided_staff_sheet(world, open_october, make_task)  # band "good", decided lower
    appeal = submit_appeal(sheet, by=world.users["staff"], text=GROUNDS)
    url = reverse("evaluations:appeal_answer", args=[appeal.pk])
    page = _client(world.users["head"]).get(url).content.decode()
    start = page.index('name="new_level"')
    select = page[start : page.index("</select>", start)]
    assert '<option value="good"' in select
    assert '<option value="excellent"' not in select
