"""The published privacy policy, current and past versions."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import selectors

HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
STRONG = re.compile(r"\*\*(.+?)\*\*")
EMPHASIS = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(text: str) -> str:
    text = escape(text)
    text = STRONG.sub(r"<strong>\1</strong>", text)
    return EMPHASIS.sub(r"<em>\1</em>", text)


def render_markdown(text: str) -> SafeString:
    """The subset of Markdown our policies use: headings, lists, paragraphs, bold/italic.

    Everything is escaped first, so a policy text can never inject markup.
    """
    html: list[str] = []
    paragraph: list[str] = []
    items: list[list[str]] = []
    list_tag = ""

    def flush_paragraph():
        if paragraph:
            html.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def flush_list():
        nonlocal list_tag
        if items:
            body = "".join(f"<li>{_inline(' '.join(item))}</li>" for item in items)
            html.append(f"<{list_tag}>{body}</{list_tag}>")
            items.clear()
        list_tag = ""

    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush_paragraph()
            flush_list()
            continue
        if heading := HEADING.match(line):
            flush_paragraph()
            flush_list()
            level = min(len(heading.group(1)) + 1, 5)  # the page title is the only <h1>
            html.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            continue
        bullet = BULLET.match(line)
        numbered = None if bullet else NUMBERED.match(line)
        if bullet or numbered:
            flush_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append([(bullet or numbered).group(1)])
            continue
        if items and raw[:1].isspace():  # continuation of a list item
            items[-1].append(line.strip())
            continue
        if items:
            flush_list()
        paragraph.append(line.strip())
    flush_paragraph()
    flush_list()
    return mark_safe("\n".join(html))  # built from escaped text only


def policy(request, version: str | None = None):
    versions = list(selectors.policy_versions())
    current = versions[0] if versions else None
    shown = current
    if version is not None:
        shown = next((v for v in versions if v.version == version), None)
        if shown is None:
            raise Http404
    return render(
        request,
        "privacy/policy.html",
        {
            "policy": shown,
            "current": current,
            "is_current": shown is not None and shown == current,
            "versions": versions,
            "body": render_markdown(shown.text) if shown else "",
            "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )
