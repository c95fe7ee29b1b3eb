"""An action that takes time says so: the form's buttons are disabled and a line tells the
person to wait (static/js/busy.js), on any form sent by POST; a question answered "Cancel"
shows nothing."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from danhgia.evaluations.models import Period, Sheet
from tests.conftest import World
from tests.e2e.conftest import dialogs_of
from tests.evaluations.conftest import (  # noqa: F401 - fixtures
    OpenOctober,
    nd335,
    open_october,
    sheet_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WAIT = "Đang xử lý: việc này có thể mất vài giây. Xin đừng đóng trang."


def sign_in(page: Page, base_url: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )


@pytest.fixture
def october(open_october: OpenOctober) -> Period:  # noqa: F811
    return open_october()


def test_a_slow_save_disables_the_form_and_says_so(
    world: World, october: Period, page: Page, live_server: Any
) -> None:
    sheet = sheet_of(october, world.people["staff"])
    sign_in(page, live_server.url, world.users["staff"])
    page.goto(reverse("evaluations:sheet_self_evaluate", args=[sheet.pk]))
    page.locator("input[name=score_ethics]").fill("9")
    # The form is sent into a frame, so the page stays as the person sees it while waiting.
    page.evaluate(
        """() => {
            const sink = document.createElement("iframe");
            sink.name = "sink";
            document.body.appendChild(sink);
            document.querySelector("form.card").target = "sink";
        }"""
    )

    page.locator("button[name=action][value=save]").click()

    expect(page.get_by_role("status").filter(has_text=WAIT)).to_be_visible()
    expect(page.locator("button[name=action][value=submit]")).to_be_disabled()
    expect(page.locator("button[name=action][value=save]")).to_be_disabled()


def test_a_question_answered_cancel_shows_nothing(
    world: World, october: Period, page: Page, live_server: Any
) -> None:
    sheet = sheet_of(october, world.people["staff"])
    sign_in(page, live_server.url, world.users["staff"])
    page.goto(reverse("evaluations:sheet_self_evaluate", args=[sheet.pk]))
    dialogs_of(page).dismiss_next()

    page.locator("button[name=action][value=submit]").click()

    page.wait_for_timeout(800)  # longer than busy.js waits before it speaks
    expect(page.locator("p.busy")).to_have_count(0)
    expect(page.locator("button[name=action][value=submit]")).to_be_enabled()
    assert Sheet.objects.get(pk=sheet.pk).status == Sheet.Status.DRAFT
