"""Publishing, unpublishing and the organisation's setting: guards, changes, audit rows."""

import pytest

from danhgia.core.models import AuditLog, Notification
from danhgia.evaluations.models import Period, Rulebook
from danhgia.reports.publication.models import Privacy, Publication, Publisher
from danhgia.reports.publication.services import (
    PublicationError,
    change_setting,
    publish_period,
    unpublish,
)
from tests.conftest import World
from tests.reports.publication.conftest import OCTOBER, Publish, decided_month

pytestmark = pytest.mark.usefixtures("english")


def test_publishing_keeps_the_privacy_logs_and_tells_the_people(
    world: World, october: Period, publish: Publish
) -> None:
    publication = publish(Privacy.COUNTS_ONLY)

    assert (publication.audience, publication.privacy) == ("public", "counts")
    assert publication.published_by == world.users["hr"] and publication.in_force
    log = AuditLog.objects.get(action="publication.published")
    assert log.object_id == str(publication.pk)
    assert log.data["after"]["privacy"] == "counts"
    assert log.actor == world.users["hr"]
    told = set(
        Notification.objects.filter(kind="publication").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"staff", "manager", "head", "hr"}


@pytest.mark.parametrize("state", [Period.State.OPEN, Period.State.REVIEWING])
def test_a_month_not_yet_decided_cannot_be_published(world: World, state: str) -> None:
    period = decided_month(world, OCTOBER.replace(month=9), state=state)

    with pytest.raises(PublicationError, match="published once every sheet is decided"):
        publish_period(period, by=world.users["hr"], audience="public", privacy="counts")

    assert not Publication.objects.exists()
    assert not AuditLog.objects.filter(action="publication.published").exists()


def test_a_decided_period_is_published_once(world: World, publish: Publish) -> None:
    publish()
    with pytest.raises(PublicationError, match="already published"):
        publish(Privacy.NAMES_AND_SCORES)
    assert Publication.objects.count() == 1


def test_a_period_over_the_quota_is_not_published(world: World, october: Period) -> None:
    """Under ND 335's 20 %, the one "excellent" beside two "good" is over the quota: refused,
    naming the person whose level must change."""
    Period.objects.filter(pk=october.pk).update(
        rulebook=Rulebook.objects.get(code="ND335-2025", version=1)
    )
    with pytest.raises(PublicationError, match="the quota is exceeded") as refused:
        publish_period(october, by=world.users["hr"], audience="public", privacy="counts")
    assert "Phạm Minh Châu" in str(refused.value)
    assert not Publication.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "manager", "head", "supervisor", "head_other"])
def test_only_hr_publishes_by_default(world: World, october: Period, persona: str) -> None:
    with pytest.raises(PublicationError, match="Only the HR officer"):
        publish_period(october, by=world.users[persona], audience="public", privacy="counts")


def test_with_the_setting_the_head_publishes_and_hr_does_not(world: World, october: Period) -> None:
    change_setting(world.dept, by=world.users["hr"], privacy="counts", publisher=Publisher.HEAD)

    with pytest.raises(PublicationError, match="Only the head of Sở Nội vụ"):
        publish_period(october, by=world.users["hr"], audience="public", privacy="counts")
    publication = publish_period(
        october, by=world.users["head"], audience="public", privacy="counts"
    )

    assert publication.published_by == world.users["head"]


def test_unpublishing_needs_a_reason_and_is_audited(world: World, publish: Publish) -> None:
    publication = publish()

    with pytest.raises(PublicationError, match="Give the reason"):
        unpublish(publication, by=world.users["hr"], reason="   ")
    publication.refresh_from_db()
    assert publication.in_force

    unpublish(publication, by=world.users["hr"], reason="Công bố nhầm tháng")

    publication.refresh_from_db()
    assert publication.unpublished_by == world.users["hr"]
    assert publication.unpublish_reason == "Công bố nhầm tháng"
    log = AuditLog.objects.get(action="publication.unpublished")
    assert log.data["reason"] == "Công bố nhầm tháng"
    assert log.data["before"]["unpublished_at"] is None
    with pytest.raises(PublicationError, match="already taken down"):
        unpublish(publication, by=world.users["hr"], reason="again")


def test_after_unpublishing_the_month_can_be_published_again(
    world: World, publish: Publish
) -> None:
    unpublish(publish(), by=world.users["hr"], reason="Đổi mức công khai")

    again = publish(Privacy.COUNTS_ONLY)

    assert again.in_force and Publication.objects.count() == 2


def test_staff_cannot_unpublish(world: World, publish: Publish) -> None:
    with pytest.raises(PublicationError):
        unpublish(publish(), by=world.users["staff"], reason="Không muốn")


def test_the_setting_is_audited_inherited_and_only_hr_changes_it(world: World) -> None:
    from danhgia.reports.publication.queries import setting_for

    assert setting_for(world.division).privacy == Privacy.NAMES_WITHOUT_SCORES
    change_setting(world.province, by=world.users["hr"], privacy="counts", publisher="hr")

    assert setting_for(world.division).privacy == Privacy.COUNTS_ONLY
    log = AuditLog.objects.get(action="publication.setting_changed")
    assert (log.data["before"], log.data["after"]) == (
        None,
        {"privacy": "counts", "publisher": "hr"},
    )
    with pytest.raises(PublicationError):
        change_setting(world.dept, by=world.users["head"], privacy="counts", publisher="head")
