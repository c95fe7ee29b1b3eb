"""PDF documents from Django templates, set in the bundled Liberation Serif (static/fonts/).

`render_pdf("reports/exports/sheet_pdf.html", context)` renders the template to HTML and
WeasyPrint lays it out. The template links `css/print-pdf.css` (its `@font-face` rules point at
`fonts/`, relative to the static folder), so every Vietnamese letter comes from the bundled
font and never from whatever the server has installed. WeasyPrint may only read files of the
static folder: any other address (http, file outside it, data) is refused, so text that
reached a template can never make the server fetch something.
"""

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

#: The stylesheet every PDF template links (relative to the static folder).
PDF_CSS = "css/print-pdf.css"


def static_root() -> Path:
    """The folder that holds `css/print-pdf.css` and `fonts/` (found like any static file)."""
    found = finders.find(PDF_CSS)
    if not found:
        raise FileNotFoundError(PDF_CSS)
    return Path(str(found)).resolve().parent.parent


def _fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher that serves files under `root` and refuses everything else."""
    from weasyprint.urls import URLFetcher

    prefix = root.as_uri().rstrip("/") + "/"

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(prefix) or ".." in url:
                raise ValueError(f"PDF resources must be static files, not {url[:80]}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols=["file"])


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The template rendered (in the active language) and laid out as PDF bytes.

    Reads only; raises WeasyPrint's errors on a broken template. Takes about 0.1–0.3 s for a
    one-page form, longer for a unit's summary (run those as background exports).
    """
    from weasyprint import HTML

    root = static_root()
    html = render_to_string(template_name, {"pdf_css": PDF_CSS, **context})
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=_fetcher(root))
    pdf: bytes = document.write_pdf()
    return pdf
