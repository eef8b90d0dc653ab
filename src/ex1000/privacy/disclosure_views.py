"""The user's page of the disclosure log: who received which of their data, and why."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .disclosures import disclosures_of

PAGE_SIZE = 20


@login_required
def my_disclosures(request):
    page = Paginator(disclosures_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/disclosures.html", {"page": page})
