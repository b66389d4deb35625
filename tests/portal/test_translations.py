"""Every visible string is translated: the catalogues are complete and compiled."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
# English is the source language; the other interface languages each have a catalogue.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.pofile(folder / "django.po")}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(folder / "django.mo")}
    stale = {key for key in source if compiled.get(key) != source[key]}
    assert stale == set(), "run `make messages` to compile the catalogues"


@pytest.mark.parametrize("language", ["sv", "da", "nb", "en"])
def test_pages_speak_the_language_of_their_address(client, db, language):
    with translation.override(language):
        path = reverse("resources:areas")
        expected = [translation.gettext("Skip to content"), translation.gettext("Knowledge areas")]
    content = client.get(path).content.decode()
    for text in expected:
        assert text in content
    if language != "en":
        assert "Skip to content" not in content


@pytest.mark.parametrize("language", ["sv", "da", "nb", "en"])
def test_server_error_page_is_translated(rf, language):
    from django.views.defaults import server_error

    with translation.override(language):
        response = server_error(rf.get(f"/{language}/"))
        expected = translation.gettext("Something went wrong")
    assert response.status_code == 500
    assert expected in response.content.decode()
    if language != "en":
        assert expected != "Something went wrong"
