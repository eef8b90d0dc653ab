"""HTML to PDF with WeasyPrint, for every document EX1000 prints (quotations, order
documents, the record of processing). Nothing is fetched from outside: fonts are the
machine's (Debian fonts-noto-cjk for Chinese) and only inline data: URIs are allowed."""

from __future__ import annotations

from datetime import UTC

# Documents (quotations, contracts, invoices, the record of processing) are legal or
# commercial records: their dates are in UTC, whatever zone the page that asks shows.
# Renderers wrap themselves in ``timezone.override(PDF_TIME_ZONE)``.
PDF_TIME_ZONE = UTC


def _weasyprint():
    """WeasyPrint, imported on first use: it loads its stylesheets (and logs it) on import,
    which every process would otherwise pay for at start-up. Its import also switches on
    Pillow's global LOAD_TRUNCATED_IMAGES, which would let the catalogue's photo checks
    accept truncated uploads in any process that once printed a PDF: put it back."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return HTML, URLFetcher


def html_to_pdf(html: str) -> bytes:
    HTML, URLFetcher = _weasyprint()
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
