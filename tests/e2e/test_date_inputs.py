"""Every page with a prefilled date shows it in the browser's date picker.

Chromium's `<input type="date">` takes only an ISO value (2026-12-06): a value in the display
format (06/12/2026) leaves the field empty, and the form then sends no date at all. Each page
below has a form with a date filled in (a default, the record being edited, a filter); the
page, persona and objects come from the permission matrix (tests/matrix/).
"""

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from tests.conftest import World
from tests.test_permission_matrix import ROWS_BY_NAME

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# (URL name, query string): every page whose form renders a date input with a value.
PAGES = [
    ("evaluations:delegation_list", ""),  # from today to a week later
    ("evaluations:discipline_edit", ""),
    ("evaluations:leave_edit", ""),
    ("organisations:unit_edit", ""),
    ("organisations:role_assign", ""),  # from today
    ("organisations:person_edit", ""),
    ("work:product_create", ""),  # valid from today
    ("work:product_revise", ""),
    ("work:schedule_create", ""),  # the coming Monday
    ("work:task_complete", ""),  # completed today
    ("work:task_board", "?due_from=06/12/2026&due_to=2026-12-31"),  # a filter, as typed
]


def _sign_in(page: Page, base_url: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("name", "query"), PAGES, ids=[name for name, _ in PAGES])
def test_prefilled_date_inputs_hold_an_iso_value(
    world: World, page: Page, live_server: Any, name: str, query: str
) -> None:
    row = ROWS_BY_NAME[name]
    persona = next(p for p, status in row.statuses().items() if status == 200)
    assert persona != "anonymous"
    _sign_in(page, live_server.url, world.users[persona])
    url = reverse(name, args=row.args(world)) + query
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    inputs = page.evaluate(
        """() => Array.from(document.querySelectorAll('input[type=date]')).map(
            input => ({name: input.name, attribute: input.getAttribute('value'),
                       value: input.value}))"""
    )
    prefilled = [item for item in inputs if item["attribute"]]
    assert prefilled, f"{url}: no prefilled date input among {inputs}"
    for item in prefilled:
        assert ISO.match(item["value"]), (url, item)
        assert item["value"] == item["attribute"], (url, item)
    if name == "evaluations:delegation_list":
        page.screenshot(path="/tmp/h-ux/delegation-form.png", full_page=True)
