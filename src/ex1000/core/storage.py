"""The private storage (settings.STORAGES["private"]) of identity documents, payment proofs,
trade documents and exports: never under a public URL."""

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
