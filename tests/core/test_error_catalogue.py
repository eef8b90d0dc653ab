"""Every error code of every app: a stable, unique code whose message renders in all six
languages with its parameters filled in."""

from __future__ import annotations

import importlib
import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from ex1000.core.errors import ErrorCode, all_error_codes

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# %(name)s, %(count)d, %(amount).2f …: the name and the conversion it needs.
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")


def _catalogues() -> list[type[ErrorCode]]:
    """Every app's ``error_codes`` module imported, then every ErrorCode enum."""
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.error_codes")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.error_codes":
                raise  # the module exists but imports something missing
    return [c for c in all_error_codes() if list(c)]


CATALOGUES = _catalogues()
MEMBERS = [member for catalogue in CATALOGUES for member in catalogue]


def _dummy_params(member: ErrorCode) -> dict[str, object]:
    return {
        name: 7 if conversion in "diouxXeEfFgGc" else f"<{name}>"
        for name, conversion in PLACEHOLDER.findall(str(member.template))
    }


def _rendered(member: ErrorCode, language: str) -> str:
    params = _dummy_params(member)
    with translation.override(language):
        template = str(member.template)
        strict = template % params if params else template  # raises what render() hides
        rendered = member.render(params)
    assert rendered == strict
    return rendered


def _id(member: ErrorCode) -> str:
    return f"{type(member).__name__}.{member.name}"


def test_the_catalogues_of_the_apps_are_found():
    names = {c.__name__ for c in CATALOGUES}

    assert {"CoreError", "AccountError", "PrivacyError", "OrderError"} <= names


@pytest.mark.parametrize("member", MEMBERS, ids=_id)
def test_every_error_message_renders_in_every_language(member):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", member.value), "codes are stable snake_case"
    assert 400 <= member.status < 600
    params = _dummy_params(member)
    for language in LANGUAGES:
        rendered = _rendered(member, language)

        assert rendered.strip(), (language, member)
        assert "%(" not in rendered, (language, rendered)
        for value in params.values():  # a translation keeps every parameter
            assert str(value) in rendered, (language, value, rendered)


def test_every_error_message_is_translated():
    """Fails until the translation pass has given every template its five translations."""
    untranslated = []
    for member in MEMBERS:
        english = _rendered(member, "en")
        for language in LANGUAGES:
            if language != "en" and _rendered(member, language) == english:
                untranslated.append(f"{language}: {_id(member)} {str(member.template)!r}")

    assert not untranslated, f"{len(untranslated)} untranslated:\n" + "\n".join(untranslated)


def test_no_catalogue_repeats_a_code_within_itself():
    """Enum members with equal values become silent aliases, losing their status and text."""
    aliases = [
        f"{catalogue.__name__}.{name}"
        for catalogue in CATALOGUES
        for name, member in catalogue.__members__.items()
        if member.name != name
    ]

    assert aliases == []


def test_a_code_means_one_status_across_all_catalogues():
    statuses: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for member in MEMBERS:
        statuses[member.value].add((member.status, _id(member)))

    clashes = {
        code: sorted(uses)
        for code, uses in statuses.items()
        if len({status for status, _where in uses}) > 1
    }

    assert clashes == {}
