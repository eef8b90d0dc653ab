"""The interface speaks the six languages of the product (Arabic right-to-left)."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES if code != "en"])
def test_home_page_is_translated(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/").content.decode()

    with translation.override(language):
        browse = translation.gettext("Browse cars")
    assert browse != "Browse cars"
    assert browse in page
    assert f'lang="{language}"' in page
    assert ('dir="rtl"' in page) == (language == "ar")


@pytest.mark.parametrize("locale", ["zh_Hans", "ru", "ar", "es", "fr"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(locale):
    with open(LOCALE / locale / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalogue = read_po(handle)
    missing = [m.id for m in catalogue if m.id and not m.string]
    missing += [
        m.id for m in catalogue if m.id and isinstance(m.string, tuple) and not all(m.string)
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []
