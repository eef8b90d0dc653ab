"""Where the apps privacy serves plug in what only they know.

Privacy imports none of its callers (architecture.md). Accounts, from its
``AppConfig.ready()``, adds here how to lock an account (revoke its API tokens) and how to
correct the fields it keeps locked (verified company data); orders tells which open orders
hold up an erasure. The erasure itself walks the registry (privacy.erasure).
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
# erasure_blockers(user) -> what must end before the account may be erased (privacy.md:
# "while the user is party to an open order … the request stays scheduled"), e.g. the
# numbers of the user's open orders; the orders app registers one.
erasure_blockers: list[Callable[[Any], list[str]]] = []


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
