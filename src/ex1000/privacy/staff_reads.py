"""Staff reads of personal data, recorded in the event log (privacy.md, security row:
"staff views of personal data logged"): who read, whose data, which fields, when."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from ex1000.core.events import record_event
from ex1000.core.http import client_ip
from ex1000.core.models import Event
from ex1000.core.personal_data import declaration

STAFF_READ = "staff_read"


def subject_ids(obj: models.Model) -> list:
    """The ids of the users ``obj`` is about, following its registry ``subject`` path."""
    found = declaration(type(obj))
    path = found.subject if found is not None else "user"
    if path == "self":
        return [obj.pk]
    values: list = [obj]
    for part in path.split("__"):
        following: list = []
        for value in values:
            attr = getattr(value, part, None)
            if attr is None:
                continue
            if isinstance(attr, models.Manager):
                following.extend(attr.all())
            else:
                following.append(attr)
        values = following
    return sorted({value.pk for value in values})


def record_staff_read(
    staff, obj: models.Model, *, request: HttpRequest | None = None, view: str = "admin"
) -> Event | None:
    """Record that ``staff`` looked at ``obj``'s personal fields; nothing when the record
    has none or is only about the reader themself. Raises when the record cannot be
    written: a read that cannot be logged should not be shown (call it before answering)."""
    found = declaration(type(obj))
    if found is None or not found.fields:
        return None
    whose = subject_ids(obj)
    if not whose or whose == [staff.pk]:
        return None
    return record_event(
        obj,
        STAFF_READ,
        actor=staff,
        ip=client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "") if request is not None else "",
        whose=whose,
        model=obj._meta.label,
        fields=sorted(found.fields),
        sensitive=sorted(name for name, p in found.fields.items() if p.sensitive),
        view=view,
    )


class StaffReadLoggedAdmin:
    """ModelAdmin mixin: opening an object's page in the admin records a staff read."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not add and request.method == "GET":
            record_staff_read(request.user, obj, request=request, view="admin")
        return super().render_change_form(request, context, add, change, form_url, obj)


def staff_reads():
    """Every recorded staff read, newest first (the operators' audit page)."""
    return Event.objects.filter(type=STAFF_READ).select_related("actor").order_by("-at", "-id")
