"""The private storage (settings.STORAGES["private"]) of identity documents, payment proofs,
trade documents and exports: never under a public URL."""

import os
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """settings.STORAGES["private"], looked up on use rather than when models are imported.

    A FileField evaluates its storage callable once, at import; without this proxy the
    files would stay wherever STORAGES pointed then, even after STORAGES changes.
    """

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    return _private_storage


class EncryptedFileSystemStorage(FileSystemStorage):
    """The private storage: every file is a Fernet token on disk (FIELD_ENCRYPTION_KEYS,
    the first key encrypts), opened decrypted. A copied disk or a stray backup shows
    nothing of a passport scan or a bank statement.

    Files written before encryption (plain bytes) still open as they are: a Fernet token
    always starts with ``gAAAAA``, which no PDF, JPEG, PNG or ZIP does."""

    TOKEN_PREFIX = b"gAAAAA"

    def _save(self, name, content):
        from .fields import fernet

        content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        return super()._save(name, ContentFile(fernet().encrypt(data)))

    def _open(self, name, mode="rb"):
        from .fields import DecryptionError, fernet

        with super()._open(name, "rb") as stored:
            data = stored.read()
        if data.startswith(self.TOKEN_PREFIX):
            try:
                data = fernet().decrypt(data)
            except InvalidToken as exc:
                raise DecryptionError(f"{name}: no key in FIELD_ENCRYPTION_KEYS opens it") from exc
        return ContentFile(data, name=name)

    def size(self, name):
        """The size of what was stored, not of its encrypted form."""
        with self._open(name) as opened:
            return opened.size

    def reencrypt(self, name: str) -> None:
        """Rewrite one file under the first key (key rotation), in place and atomically."""
        from .fields import fernet

        with self._open(name) as opened:
            token = fernet().encrypt(opened.read())
        path = Path(self.path(name))
        temporary = path.with_name(f".{path.name}.rotating")
        temporary.write_bytes(token)
        if self.file_permissions_mode is not None:
            os.chmod(temporary, self.file_permissions_mode)
        os.replace(temporary, path)

    def names(self, folder: str = "") -> list[str]:
        """Every file below ``folder``, by storage name."""
        directories, files = self.listdir(folder)
        found = [f"{folder}/{f}" if folder else f for f in files]
        for directory in directories:
            found += self.names(f"{folder}/{directory}" if folder else directory)
        return found
