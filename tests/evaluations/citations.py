"""Checks shared by the tests of the article behind every figure (monthly, quarterly and annual
sheets, their pages and PDFs): what a page must say for each figure it shows."""

import html
import re

from django.utils import translation

from danhgia.evaluations.rules.citations import Citations, source_of
from danhgia.evaluations.rules.schema import RulebookConfig

NO_SOURCE_VI = "không ghi nguồn"
LOCAL_VI = "quy định của cơ quan"


def plain(markup: str) -> str:
    """A page's text: tags dropped, entities decoded, runs of spaces as one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def expected_words(config: RulebookConfig, figure: str) -> list[str]:
    """What the Vietnamese page or PDF prints for each source of `figure`."""
    with translation.override("vi"):
        return [source.text or NO_SOURCE_VI for source in source_of(config, figure)]


def assert_every_figure_cited(
    text: str, config: RulebookConfig, figures: tuple[str, ...], citations: Citations
) -> None:
    """Every figure has its footnote mark and the text of each of its sources (one line)."""
    for figure in figures:
        assert citations.marks[figure], figure
        for words in expected_words(config, figure):
            assert " ".join(words.split()) in text, (figure, words)


def assert_marks_on_page(markup: str, citations: Citations) -> None:
    """Each figure's superscript is on the page with its numbers."""
    for figure, marks in citations.marks.items():
        tag = f'<sup class="cite" data-figure="{figure}">{marks}</sup>'
        assert tag in markup, tag
