"""The record of processing for operators: a page of tables, and the same record as a
PDF (WeasyPrint, the quotation's machinery), JSON or CSV download. Built by
``privacy.processing.record()`` from the personal-data registry."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from ex1000.core.pdf import PDF_TIME_ZONE, html_to_pdf
from ex1000.privacy import processing

from .views import staff_only

FORMATS = ("html", "json", "csv", "pdf")


def _filename(extension: str) -> str:
    return f"record-of-processing-{timezone.localdate().isoformat()}.{extension}"


def _download(response: HttpResponse, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{_filename(extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def render_pdf(data: dict) -> bytes:
    with timezone.override(PDF_TIME_ZONE):  # a record for authorities: UTC, whoever prints it
        return _render_pdf(data)


def _render_pdf(data: dict) -> bytes:
    html = render_to_string(
        "ops/privacy/processing_pdf.html",
        {
            "record": data,
            "title": gettext("Record of processing"),
            "number": gettext("Record of processing %(date)s")
            % {"date": timezone.localdate().isoformat()},
            "language": translation.get_language(),
            "bidi": translation.get_language_bidi(),
        },
    )
    return html_to_pdf(html)


@staff_only
def processing_record(request, fmt: str | None = None):
    fmt = fmt or request.GET.get("format", "html")
    if fmt not in FORMATS:
        raise Http404
    data = processing.record()
    if fmt == "json":
        return _download(JsonResponse(data, json_dumps_params={"ensure_ascii": False}), "json")
    if fmt == "csv":
        return _download(
            HttpResponse(processing.as_csv(data), content_type="text/csv; charset=utf-8"), "csv"
        )
    if fmt == "pdf":
        return _download(HttpResponse(render_pdf(data), content_type="application/pdf"), "pdf")
    return render(request, "ops/privacy/processing.html", {"record": data})
