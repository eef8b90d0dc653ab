"""The privacy centre's pages: the published policy (current and past versions, accepting
it), consents, and the export of everything held about the user."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ex1000.core.error_codes import CoreError
from ex1000.core.errors import AppError
from ex1000.core.http import client_ip, safe_next
from ex1000.core.personal_data import Category
from ex1000.web import add_service_errors

from . import selectors, services
from .consents import PURPOSES
from .export import exported_models
from .export_tasks import link_hours

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
    language = get_language() or settings.LANGUAGE_CODE
    # The English text binds; a translation is shown when there is one, with a note.
    original = request.GET.get("original") == "1"
    translation = None
    if shown is not None and not original and not language.startswith("en"):
        translation = (shown.translations or {}).get(language)
    user = request.user
    pending = selectors.acceptance_pending(user) if user.is_authenticated else None
    can_accept = (
        user.is_authenticated
        and current is not None
        and shown == current
        and not selectors.has_accepted(user, current)
    )
    return render(
        request,
        "privacy/policy.html",
        {
            "policy": shown,
            "current": current,
            "is_current": shown is not None and shown == current,
            "versions": versions,
            "body": render_markdown(translation or shown.text) if shown else "",
            "translated": translation is not None,
            "showing_original": original,
            "text_language": language if translation is not None else "en",
            "pending": pending,
            "can_accept": can_accept,
            "next": safe_next(request, default=""),
            "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


@require_POST
@login_required
def accept_policy(request):
    current = selectors.current_policy()
    if current is None:
        raise Http404
    services.accept_policy(
        user=request.user,
        policy=current,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    messages.success(
        request, _("Thank you: you accepted version %(version)s.") % {"version": current.version}
    )
    return redirect(safe_next(request, default="/"))


@login_required
def consents(request):
    if request.method == "POST":
        granted = request.POST.get("granted") == "1"
        try:
            changed = services.set_consent(
                user=request.user,
                purpose=request.POST.get("purpose", ""),
                granted=granted,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except AppError as exc:
            messages.error(request, exc.detail)
        else:
            info = PURPOSES[changed.purpose] if changed else None
            if info is not None:
                text = (
                    _("Consent given: %(purpose)s.")
                    if granted
                    else _("Consent withdrawn: %(purpose)s. %(consequence)s")
                )
                messages.success(
                    request, text % {"purpose": info.label, "consequence": info.required_for}
                )
        if request.htmx:
            return render(
                request,
                "privacy/_consents.html",
                {"states": selectors.consent_states(request.user).values()},
            )
        return redirect("privacy:consents")
    return render(
        request,
        "privacy/consents.html",
        {"states": selectors.consent_states(request.user).values()},
    )


# --- access and export ---------------------------------------------------------------


class ExportForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


CATEGORY_LABELS = {
    Category.IDENTITY: _("Your account: name, country, language, currency"),
    Category.CONTACT: _("Contacts: email, phone, messengers, consignee addresses"),
    Category.COMPANY: _("Your company"),
    Category.QUALIFICATION_DOCUMENT: _("Licences and qualification documents"),
    Category.DEVICE_ACCESS: _("Access records: IP addresses, browsers, times"),
    Category.INQUIRY: _("Inquiries and quotes"),
    Category.ORDER: _("Orders, contracts and trade documents"),
    Category.MESSAGE: _("Messages and notifications"),
    Category.PAYMENT_PROOF: _("Payments and proofs of transfer"),
    Category.CONSENT: _("Consents and policy acceptances"),
}


def _included() -> list[str]:
    """What the export holds: the registry's categories of the exported fields."""
    categories = {
        personal.category
        for _model, declaration in exported_models()
        for personal in declaration.fields.values()
        if personal.exported
    }
    return [str(CATEGORY_LABELS.get(c, c)) for c in Category if c in categories]


@login_required
def export_page(request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.request_export(
                request=request, user=request.user, password=form.cleaned_data["password"]
            )
        except AppError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("privacy:export_job", pk=job.pk)
    return render(
        request,
        "privacy/export.html",
        {
            "form": form,
            "included": _included(),
            "jobs": selectors.export_jobs_of(request.user)[:5],
            "link_hours": link_hours(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def export_job(request, pk: int):
    job = get_object_or_404(selectors.export_jobs_of(request.user), pk=pk)
    context = {
        "job": job,
        "token": services.download_token(job) if job.downloadable else "",
    }
    template = "privacy/_export_status.html" if request.htmx else "privacy/export_job.html"
    return render(request, template, context)


@login_required
def export_download(request, pk: int):
    try:
        job = services.export_for_download(
            user=request.user, job_id=pk, token=request.GET.get("token", "")
        )
    except AppError as exc:
        if exc.code == CoreError.NOT_FOUND:
            raise Http404 from exc
        return render(
            request,
            "privacy/export_gone.html",
            {"message": exc.detail},
            status=exc.code.status,
        )
    services.record_export_download(request=request, user=request.user, job=job)
    response = FileResponse(
        job.file.open("rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=f"ex1000-export-{job.created_at:%Y%m%d}.zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def centre(request):
    """The privacy centre: one place to see what is held, download it, correct it, manage
    consents, see disclosures, follow requests and delete the account."""
    from .disclosures import disclosures_of
    from .tickets import requests_of

    user = request.user
    states = selectors.consent_states(user).values()
    return render(
        request,
        "privacy/centre.html",
        {
            "categories": _included(),
            "consents": list(states),
            "requests": list(requests_of(user)[:5]),
            "disclosure_count": disclosures_of(user).count(),
            "policy": selectors.current_policy(),
        },
    )
