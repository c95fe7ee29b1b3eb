"""`{% source_text config "no_tasks" %}`: the sources of one figure as one line of text, for
the places that explain a figure in a sentence rather than with a footnote (the review and
decision pages). The footnotes of the sheet pages come from `rules.citations.cite()`."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from danhgia.evaluations.rules.citations import Citations, Source, source_of
from danhgia.evaluations.rules.schema import RulebookConfig

register = template.Library()


def source_words(source: Source) -> str:
    """One source as the pages write it."""
    if source.missing:
        return gettext("no source given in the rulebook")
    if source.local:
        return gettext("the agency's own rule: %(text)s") % {"text": source.text}
    return source.text


@register.simple_tag
def source_text(config: object, figure: str) -> str:
    if not isinstance(config, RulebookConfig):  # a page without rules (a broken rulebook)
        return ""
    return "; ".join(source_words(source) for source in source_of(config, figure))


@register.filter
def mark(citations: object, figure: str) -> str:
    """`{{ cites|mark:"a" }}`: the footnote numbers of a figure as a superscript ("" when the
    page has no citations)."""
    if not isinstance(citations, Citations) or figure not in citations.marks:
        return ""
    return format_html(
        '<sup class="cite" data-figure="{}">{}</sup>', figure, citations.marks[figure]
    )
