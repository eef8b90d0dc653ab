"""Where the apps privacy serves plug in what only they know.

Privacy imports none of its callers (architecture.md). Accounts, from its
``AppConfig.ready()``, adds here how to lock an account (revoke its API tokens) and how to
correct the fields it keeps locked (verified company data); the erasure adds ``erase_user``.
Without them privacy still works on what Django itself knows: the user model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

# lock_account(user): called once the user has confirmed a deletion; the user is already
# saved with is_active=False (which ends their sessions and refuses logins).
lock_account: list[Callable[[Any], None]] = []
# erase_user(user): run by process_privacy_requests when a scheduled deletion is due.
erase_user: list[Callable[[Any], None]] = []


@dataclass(frozen=True)
class CorrectionTarget:
    """A field outside the user model that a correction request may change.

    ``apply(user, value)`` validates and saves the new value and returns ``(old, new)``;
    it raises ``django.core.exceptions.ValidationError`` for a value it refuses.
    """

    label: Promise | str
    apply: Callable[[Any, str], tuple[str, str]]


correction_targets: dict[str, CorrectionTarget] = {}


def register(hooks: list, function: Callable) -> None:
    """Add ``function`` to one of the lists above, once."""
    if function not in hooks:
        hooks.append(function)
