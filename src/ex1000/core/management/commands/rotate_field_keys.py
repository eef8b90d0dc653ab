"""Re-encrypt every encrypted field, and every private file, under the first of
FIELD_ENCRYPTION_KEYS.

Key rotation: put the new key first in FIELD_ENCRYPTION_KEYS, keep the old ones after it,
run this command, then remove the old keys. A value no key opens stops the command before
anything is changed, naming the model and the row."""

from __future__ import annotations

import os

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ex1000.core.fields import DecryptionError, encrypted_fields
from ex1000.core.storage import EncryptedFileSystemStorage


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model, field in encrypted_fields():
                rows = 0
                queryset = model._default_manager.exclude(**{field.name: ""}).exclude(
                    **{f"{field.name}__isnull": True}
                )
                for pk in queryset.values_list("pk", flat=True).iterator():
                    try:
                        value = getattr(
                            model._default_manager.only(field.name).get(pk=pk), field.name
                        )
                    except DecryptionError as exc:
                        raise CommandError(f"{model._meta.label} #{pk}: {exc}") from exc
                    # Saving the clear value encrypts it again, under the first key.
                    model._default_manager.filter(pk=pk).update(**{field.name: value})
                    rows += 1
                total += rows
                self.stdout.write(f"{model._meta.label}.{field.name}: {rows} re-encrypted")
        private = storages["private"]
        files = 0
        if isinstance(private, EncryptedFileSystemStorage) and os.path.isdir(private.location):
            for name in private.names():
                try:
                    private.reencrypt(name)
                except DecryptionError as exc:
                    raise CommandError(str(exc)) from exc
                files += 1
        self.stdout.write(f"private files: {files} re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(f"{total} values and {files} files now under the first key.")
        )
