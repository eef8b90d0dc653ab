"""Background work of the privacy centre: preparing a user's export."""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from django_tasks import task

from . import export
from .models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)


def link_hours() -> int:
    return settings.PRIVACY_EXPORT_LINK_HOURS


@task()
def build_export(job_id: int) -> None:
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportStatus.PENDING:  # run twice (a retried task): nothing to do
        return
    job.status = ExportStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        language = getattr(job.user, "language", "") or settings.LANGUAGE_CODE
        # Large exports never sit in memory; labels in the user's language.
        with translation.override(language), tempfile.TemporaryFile() as out:
            export.write_zip(job.user, out)
            out.seek(0)
            name = f"ex1000-export-{job.user_id}-{secrets.token_hex(12)}.zip"
            job.file.save(name, File(out), save=False)
            job.size = job.file.size
    except Exception:
        logger.exception("export %s failed", job.pk)
        job.status, job.finished_at = ExportStatus.FAILED, timezone.now()
        job.save(update_fields=["status", "finished_at"])
        return
    now = timezone.now()
    job.status, job.finished_at = ExportStatus.READY, now
    job.expires_at = now + timedelta(hours=link_hours())
    job.save(update_fields=["status", "finished_at", "expires_at", "file", "size"])
