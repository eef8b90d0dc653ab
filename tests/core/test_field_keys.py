"""Encrypted fields (issue 9, Keys): a value no key opens is an error, never a silent None;
`rotate_field_keys` re-encrypts under the first key so old keys can go; DEBUG=0 needs
FIELD_ENCRYPTION_KEYS (never derived from SECRET_KEY)."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from ex1000.core.fields import DecryptionError
from ex1000.logistics.models import WebhookEndpoint
from tests.core.test_settings import _setting
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _stored(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM logistics_webhookendpoint WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_value_no_key_opens_is_an_error_and_rotation_moves_it_to_the_new_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    endpoint = WebhookEndpoint.objects.create(
        company=CompanyFactory(), provider="khorgos", secret="whsec_c2VjcmV0"
    )
    before = _stored(endpoint.pk)
    assert "whsec" not in before  # encrypted at rest

    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key removed too early
    with pytest.raises(DecryptionError, match=r"logistics\.WebhookEndpoint\.secret"):
        WebhookEndpoint.objects.get(pk=endpoint.pk)

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]  # the new key first, the old one kept
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == "whsec_c2VjcmV0"
    call_command("rotate_field_keys", stdout=io.StringIO())
    assert _stored(endpoint.pk) != before

    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # now the old key can go
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == "whsec_c2VjcmV0"


def test_rotation_stops_before_changing_anything_when_a_value_cannot_be_read(settings):
    from django.core.management.base import CommandError

    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    first = WebhookEndpoint.objects.create(company=CompanyFactory(), provider="a", secret="s1")
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    second = WebhookEndpoint.objects.create(company=CompanyFactory(), provider="b", secret="s2")
    stored = (_stored(first.pk), _stored(second.pk))
    with pytest.raises(CommandError, match=f"#{first.pk}"):
        call_command("rotate_field_keys", stdout=io.StringIO())
    assert (_stored(first.pk), _stored(second.pk)) == stored


def test_debug_off_requires_field_encryption_keys():
    env = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    with pytest.raises(Exception) as refused:
        _setting("FIELD_ENCRYPTION_KEYS", **env, FIELD_ENCRYPTION_KEYS="")
    assert "FIELD_ENCRYPTION_KEYS must be set" in refused.value.stderr
    assert _setting("FIELD_ENCRYPTION_KEYS", **env, FIELD_ENCRYPTION_KEYS=NEW) == repr([NEW])


def test_private_files_are_encrypted_at_rest_and_rotate_with_the_keys(settings):
    from pathlib import Path

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from tests.orders.builders import pdf_file

    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    private = storages["private"]
    upload = pdf_file().read()
    name = private.save("orders/1/contract.pdf", ContentFile(upload))
    on_disk = Path(private.path(name)).read_bytes()
    assert on_disk != upload and not on_disk.startswith(b"%PDF")  # encrypted at rest
    with private.open(name) as opened:
        assert opened.read() == upload
    assert private.size(name) == len(upload)

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_field_keys", stdout=io.StringIO())
    assert Path(private.path(name)).read_bytes() != on_disk
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with private.open(name) as opened:
        assert opened.read() == upload
    settings.FIELD_ENCRYPTION_KEYS = [OLD]  # the removed key no longer opens it
    with pytest.raises(DecryptionError):
        private.open(name)
