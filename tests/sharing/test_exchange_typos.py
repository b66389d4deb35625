"""Exchange-bank search forgives typos as resource search does: one engine (resources/search.py), the real database.

A corrected word stands for the word typed, so it also finds that word's inflected forms (*lasecirkel* →
*läsecirkel* → *läsecirkeln*), in the exchange bank and in the catalogue alike.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ExperienceFactory, ResourceFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "Läsecirkel för nyanlända",
    "Läsecirkeln på stadsbiblioteket",
    "Ny läsecirkel i Rosengård",
    "Bokcafé för seniorer",
]


def found(client, address: str, query: str) -> set[str]:
    page = client.get(address, {"q": query}).content.decode()
    return {title for title in TITLES if title in page}


def test_a_typo_finds_every_exchange_entry_the_right_spelling_finds(client, curator_b):
    for title in TITLES:
        ExperienceFactory(title=title, summary="Vi träffas varannan vecka.", what_we_did="", tags=[])
    client.force_login(curator_b)
    right = found(client, reverse("staff:exchange"), "läsecirkel")
    assert right == set(TITLES[:3])
    assert found(client, reverse("staff:exchange"), "lasecirkel") == right


def test_a_typo_finds_every_resource_the_right_spelling_finds(client):
    for title in TITLES:
        ResourceFactory(title=title, summary="Vi träffas varannan vecka.", tags=[])
    right = found(client, reverse("resources:list"), "läsecirkel")
    assert right == set(TITLES[:3])
    assert found(client, reverse("resources:list"), "lasecirkel") == right
