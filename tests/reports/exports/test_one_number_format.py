"""The worked example's figures read the same on the sheet page and in its PDF."""

import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from danhgia.evaluations.models import Sheet
from danhgia.reports.exports import documents
from tests.conftest import World
from tests.reports.exports.conftest import pdf_text

pytestmark = pytest.mark.django_db
FIGURES = ["93,75\u00a0%", "90,625\u00a0%", "87,5\u00a0%", "63,44", "90,44"]


def test_the_page_and_the_pdf_write_the_same_figures(
    client: Client, world: World, reviewed_sheet: Sheet, tmp_path: Path
) -> None:
    client.force_login(world.users["staff"])
    page = client.get(reverse("evaluations:sheet_detail", args=[reviewed_sheet.pk]))
    html = page.content.decode().replace("&nbsp;", "\u00a0")
    with translation.override("vi"):
        text = pdf_text(documents.sheet_pdf(reviewed_sheet), tmp_path)

    for figure in FIGURES:
        assert figure in html, figure
        assert figure.replace("\u00a0", " ") in " ".join(text.split()), figure
    assert "93,750" not in html and "93,750" not in text


def test_the_pdf_lists_the_tasks_the_page_lists(
    client: Client, world: World, reviewed_sheet: Sheet, tmp_path: Path
) -> None:
    from danhgia.evaluations.services.sheets import current_lines

    client.force_login(world.users["staff"])
    html = client.get(reverse("evaluations:sheet_detail", args=[reviewed_sheet.pk])).content
    with translation.override("vi"):
        source = tmp_path / "sheet.pdf"
        source.write_bytes(documents.sheet_pdf(reviewed_sheet))
    # Reading order, not layout: a title wrapped in its cell stays whole.
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    text = " ".join(raw.split())

    lines = current_lines(reviewed_sheet)
    assert len(lines) == 6  # the worked example's six tasks
    for line in lines:
        assert line.title in html.decode() and line.title in text, line.title
    assert "Công việc trong kỳ" in text
