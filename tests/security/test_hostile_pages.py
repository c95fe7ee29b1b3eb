"""Markup and script typed into names, titles, comments, sheet texts and appeals are shown as
text on every page that shows them: every GET URL of the permission matrix, as every persona
allowed to see it, as a full page and as an htmx partial. PDFs show the text literally; JSON
carries it as data.

The hostile text is stored after each row has built its objects (tests/security/hostile.py),
so every free-text field of every object the page can show carries it."""

import json
import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World
from tests.matrix import PERSONAS
from tests.security.hostile import IMAGE, SCRIPT, poison
from tests.test_permission_matrix import ROWS

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

GET_ROWS = [
    pytest.param(row, id=row.name)
    for row in ROWS
    if row.method == "get" and any(row.statuses()[p] == 200 for p in PERSONAS)
]


def _pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


PDF_SEEN: set[str] = set()


def assert_shown_as_text(response: Any, where: str) -> None:
    kind = response.get("Content-Type", "")
    if response.get("Content-Disposition", "").startswith("attachment") and any(
        f"/{part}/" in where for part in ("minh-chung", "tep")
    ):
        assert response["X-Content-Type-Options"] == "nosniff", where
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "html" in kind:
        html = content.decode()
        assert SCRIPT not in html, where
        assert IMAGE not in html, where
        assert "<img src=x" not in html, where
    elif "json" in kind:
        json.loads(content)  # still valid JSON: the text is data inside strings
    elif "pdf" in kind:
        text = _pdf_text(content)
        if 'alert("xss")' in text:
            assert "<script>" in text, where  # printed literally, not read as markup
            PDF_SEEN.add(where)


@pytest.mark.django_db
@pytest.mark.parametrize("row", GET_ROWS)
def test_hostile_text_is_escaped(row: Any, world: World, login: Any) -> None:
    args = row.args(world)
    poison()
    url = reverse(row.name, args=args)
    for persona in PERSONAS:
        if row.statuses()[persona] != 200:
            continue
        client = login(None if persona == "anonymous" else world.users[persona])
        full = client.get(url, row.data)
        assert full.status_code == 200, (url, persona)
        assert_shown_as_text(full, f"{url} as {persona}")
        partial = client.get(url, row.data, HTTP_HX_REQUEST="true")
        assert partial.status_code == 200, (url, persona, "htmx")
        assert_shown_as_text(partial, f"{url} as {persona} (htmx)")
    if "pdf" in row.name:
        assert any(url in seen for seen in PDF_SEEN), f"{url}: the PDF shows none of the text"
