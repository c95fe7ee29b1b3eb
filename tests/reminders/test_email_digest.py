"""A run's e-mails are digests: one e-mail per address and rule, listing each reminder."""

import datetime

import pytest
from django.core import mail

from danhgia.reminders import services
from danhgia.reminders.models import Reminder, ReminderRun
from danhgia.reminders.rules.common import Contact, Notice
from tests.conftest import World

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 11, 5)


class TwoPeriodsRule:
    """A rule that finds the same person behind two deadlines of one kind, and one of another."""

    def __init__(self, world: World) -> None:
        self.user = world.users["staff"]
        self.organisation = world.dept.pk

    def notices(self, context: object) -> list[Notice]:
        contact = Contact(self.user.pk, "an@snv.gov.vn", "Nguyễn Văn An")

        def notice(rule: str, object_id: int, message: str) -> Notice:
            return Notice(
                rule, "before", "sheet", object_id, contact, DUE, self.organisation, None, 1,
                f"Hạn {rule} {object_id}", message, f"/danh-gia/phieu/{object_id}/",
            )  # fmt: skip

        return [
            notice("self_evaluation", 11, "Phiếu tháng 10 chờ bạn tự đánh giá."),
            notice("self_evaluation", 12, "Phiếu quý IV chờ bạn tự đánh giá."),
            notice("review", 13, "Một phiếu chờ bạn nhận xét."),
        ]


def test_one_email_per_address_and_rule(
    world: World, monkeypatch: pytest.MonkeyPatch, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://danhgia.example.vn"
    monkeypatch.setattr(services, "RULES", [TwoPeriodsRule(world)])

    summary = services.send_reminders(DUE - datetime.timedelta(days=3))

    assert summary.reminders == 3
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == ["2 lời nhắc: Hạn self_evaluation 11", "Hạn review 13"]
    digest = next(m for m in mail.outbox if m.subject.startswith("2 "))
    assert digest.to == ["an@snv.gov.vn"]
    assert "Phiếu tháng 10 chờ bạn tự đánh giá." in digest.body
    assert "Phiếu quý IV chờ bạn tự đánh giá." in digest.body
    assert "https://danhgia.example.vn/danh-gia/phieu/12/" in digest.body
    assert Reminder.objects.filter(channel="email", sent_at__isnull=False).count() == 3
    assert ReminderRun.objects.get().emails_sent == 2
