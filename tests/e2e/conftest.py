"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright cannot download its own browsers here, so we launch the system Chromium. Without it
the browser tests skip, unless REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: install it with `apt install chromium`."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(reason)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


class Dialogs:
    """The page's confirmation questions (`data-confirm`, static/js/confirm.js): each is
    recorded and accepted, unless a test asked to cancel the next one (`dismiss_next`)."""

    def __init__(self) -> None:
        self.questions: list[str] = []
        self._dismiss = 0

    def dismiss_next(self) -> None:
        self._dismiss += 1

    def answer(self, dialog: Dialog) -> None:
        self.questions.append(dialog.message)
        if self._dismiss:
            self._dismiss -= 1
            dialog.dismiss()
        else:
            dialog.accept()


DIALOGS: dict[int, Dialogs] = {}


def dialogs_of(page: Page) -> Dialogs:
    """The confirmation questions of a page made by the `page` fixture."""
    return DIALOGS[id(page)]


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) whose relative URLs go to the live server; its
    confirmation questions are accepted (see `Dialogs`)."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    dialogs = DIALOGS[id(page)] = Dialogs()
    page.on("dialog", dialogs.answer)
    yield page
    del DIALOGS[id(page)]
    context.close()
