"""One slug for a title wherever it is made: import, admin, seeds (teams.text.slug_of, python-slugify)."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from resources.models import KnowledgeArea, Resource, Status
from teams.text import slug_of
from tests.factories import ResourceFactory

TITLES = [
    # (title, language, slug)
    ("Київ", "", "kyiv"),
    ("Харків і Львів", "uk", "kharkiv-i-lviv"),
    ("Юнацька бібліотека", "uk", "yunatska-biblioteka"),
    ("Книга для дітей", "uk", "knyha-dlia-ditei"),
    ("Москва", "ru", "moskva"),
    ("Straße", "de", "strasse"),
    ("Læselyst i København", "da", "laeselyst-i-kobenhavn"),
    ("Tromsø bibliotek", "nb", "tromso-bibliotek"),
    ("Källkritik för åk 7–9", "sv", "kallkritik-for-ak-7-9"),
    ("مكتبة المدينة", "ar", "mktb-lmdyn"),
    ("کتابخانه عمومی", "fa", "khtbkhnh-mwmy"),
    ("ቤተ መጻሕፍቲ", "ti", "beeta-matsaahhefeti"),
]


@pytest.mark.parametrize(("title", "language", "slug"), TITLES)
def test_titles_in_every_script_have_a_readable_slug(title, language, slug):
    assert slug_of(title, language=language) == slug


def test_a_title_without_latin_letters_gets_a_stable_code_not_an_empty_slug():
    assert slug_of("📚✨") == slug_of("📚✨") != ""
    assert slug_of("📚✨") != slug_of("🎨")
    assert slug_of("   ") == ""


@pytest.mark.django_db
def test_the_import_transliterates_titles_of_every_script(tmp_path, library_a):
    path = tmp_path / "resurser.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=["title", "url", "language"])
        writer.writeheader()
        for n, (title, language, _slug) in enumerate(TITLES):
            writer.writerow(
                {
                    "title": title,
                    "url": f"https://example.org/{n}",
                    "language": language if language in {"uk", "da", "nb", "sv", "ar", "fa", "ti"} else "en",
                }
            )
        writer.writerow({"title": "Київ", "url": "https://example.org/again", "language": "uk"})

    call_command("import_resources", str(path), "--library", library_a.slug, stdout=StringIO(), stderr=StringIO())

    slugs = set(Resource.objects.values_list("slug", flat=True))
    assert slugs == {slug for _title, _language, slug in TITLES} | {"kyiv-2"}
    assert "resource" not in slugs


@pytest.mark.django_db
def test_the_admin_fills_an_empty_slug_as_the_import_does(client, superuser, library_a):
    ResourceFactory(slug="kyiv", library=library_a)
    client.force_login(superuser)

    form = client.get(reverse("admin:resources_resource_add")).content.decode()
    assert 'data-prepopulated-fields="[]"' in form  # no slug written in the browser by other rules

    response = client.post(
        reverse("admin:resources_resource_add"),
        {
            "title": "Київ",
            "slug": "",
            "summary": "Місто.",
            "url": "https://example.org/kyiv",
            "kind": "guide",
            "language": "uk",
            "audiences": ["adults"],
            "license": "CC-BY-4.0",
            "library": library_a.pk,
            "tags": "",
            "status": Status.DRAFT,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Resource.objects.filter(title="Київ", slug="kyiv-2").exists()

    response = client.post(
        reverse("admin:resources_knowledgearea_add"), {"name": "Straße und Weg", "slug": "", "description": ""}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert KnowledgeArea.objects.get(name="Straße und Weg").slug == "strasse-und-weg"


@pytest.mark.django_db
def test_a_slug_typed_in_the_admin_is_kept(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:resources_knowledgearea_add"), {"name": "Київ", "slug": "kiev-area", "description": ""}
    )
    assert response.status_code == 302
    assert KnowledgeArea.objects.get(name="Київ").slug == "kiev-area"
