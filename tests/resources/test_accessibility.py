"""Accessibility metadata: edited in the admin, imported and exported, shown on the page, filtered with counts."""

from __future__ import annotations

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from resources.models import Resource, Status
from resources.views import PAGE_SIZE
from tests.factories import KnowledgeAreaFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def facet(response, name):
    groups = {group.name: group for group in response.context["facets"]}
    return {value.label: value.count for value in groups[name].values} if name in groups else {}


# Admin


def admin_data(resource: Resource, **values):
    data = {
        "title": resource.title,
        "slug": resource.slug,
        "summary": resource.summary,
        "url": resource.url,
        "kind": resource.kind,
        "language": resource.language,
        "license": resource.license,
        "library": resource.library_id,
        "status": resource.status,
        "opened_version": str(resource.version),
        "tags": "",
    }
    data.update(values)
    return data


def test_staff_edit_accessibility_in_the_admin(client, superuser):
    resource = ResourceFactory()
    client.force_login(superuser)
    change = reverse("admin:resources_resource_change", args=[resource.pk])

    page = client.get(change)
    assert "accessibility_features" in page.context["adminform"].form.fields

    response = client.post(
        change,
        admin_data(
            resource,
            accessibility_features=["closedCaptions", "transcript"],
            accessibility_hazards=["noFlashingHazard"],
            access_modes=["visual", "auditory"],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    resource.refresh_from_db()
    assert resource.accessibility_features == ["closedCaptions", "transcript"]
    assert resource.accessibility_hazards == ["noFlashingHazard"]
    assert resource.access_modes == ["visual", "auditory"]


def test_contradicting_hazards_are_refused_with_a_message_and_kept(client, superuser):
    resource = ResourceFactory()
    client.force_login(superuser)

    response = client.post(
        reverse("admin:resources_resource_change", args=[resource.pk]),
        admin_data(resource, accessibility_hazards=["flashing", "noFlashingHazard"]),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    with translation.override("sv"):  # the admin speaks the default language
        expected = translation.gettext("These hazard values contradict each other: %(values)s.").split(":")[0]
    assert expected in str(errors["accessibility_hazards"])
    resource.refresh_from_db()
    assert resource.accessibility_hazards == []


# Import and export


def test_import_and_export_round_trip(tmp_path, client, superuser, library_a):
    path = tmp_path / "resurser.csv"
    header = ["title", "url", "language", "license", "accessibility_features", "accessibility_hazards", "access_modes"]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        # The vocabulary's terms, the deprecated "captions", Scandinavian words and labels are all read.
        writer.writerow(["Film om källkritik", "https://www.ur.se/kallkritik", "sv", "CC-BY-4.0",
                         "captions;Transcript;lättläst", "none", "visual;auditory"])  # fmt: skip
        writer.writerow(["Ljudbok", "https://www.ur.se/ljud", "sv", "CC-BY-4.0", "", "", "auditory"])

    out = StringIO()
    call_command("import_resources", str(path), "--library", library_a.slug, stdout=out)

    film = Resource.objects.get(url="https://www.ur.se/kallkritik")
    assert film.accessibility_features == ["closedCaptions", "transcript", "easyToRead"]
    assert film.accessibility_hazards == ["none"]
    assert film.access_modes == ["visual", "auditory"]
    # The report says what the deprecated term was read as (in the command's language).
    assert any("captions”" in line and "accessibility_features" in line for line in out.getvalue().splitlines())

    client.force_login(superuser)
    response = client.post(
        reverse("admin:resources_resource_changelist"),
        {"action": "export_as_csv", "index": 0, "_selected_action": [film.pk]},
    )
    exported = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert exported[0]["accessibility_features"] == "closedCaptions;transcript;easyToRead"
    assert exported[0]["accessibility_hazards"] == "none"
    assert exported[0]["access_modes"] == "visual;auditory"

    # The exported file imports again as the same values.
    film.accessibility_features, film.accessibility_hazards, film.access_modes = [], [], []
    film.save()
    again = tmp_path / "export.csv"
    again.write_bytes(response.content)
    call_command("import_resources", str(again), "--library", library_a.slug, stdout=StringIO())
    film.refresh_from_db()
    assert film.accessibility_features == ["closedCaptions", "transcript", "easyToRead"]
    assert (film.accessibility_hazards, film.access_modes) == (["none"], ["visual", "auditory"])


def test_import_names_unknown_and_contradicting_values(tmp_path, library_a):
    path = tmp_path / "resurser.json"
    path.write_text(
        '[{"title": "A", "url": "https://a.example/", "language": "sv", "accessibility_features": ["subtitles?"],'
        ' "accessibility_hazards": "none;flashing"}]',
        encoding="utf-8",
    )
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_resources", str(path), "--library", library_a.slug, stdout=StringIO(), stderr=err)
    report = err.getvalue()
    assert "2, accessibility_features:" in report
    assert "“subtitles?”" in report
    assert "2, accessibility_hazards:" in report
    assert not Resource.objects.exists()


# The page


def test_the_page_shows_readable_labels(client):
    resource = ResourceFactory(
        accessibility_features=["closedCaptions", "easyToRead"],
        accessibility_hazards=["flashing"],
        access_modes=["auditory"],
    )

    html = client.get(url("resources:detail", slug=resource.slug)).content.decode()

    assert "Captions (can be turned off)" in html
    assert "Easy to read" in html
    assert "Flashing" in html
    assert "closedCaptions" not in html.split("application/ld+json")[0]  # the term itself only in the JSON-LD


# Filters with counts


def test_captions_filter_narrows_and_counts(client):
    ResourceFactory(accessibility_features=["closedCaptions", "transcript"], access_modes=["visual", "auditory"])
    ResourceFactory(accessibility_features=["openCaptions"], accessibility_hazards=["none"])
    ResourceFactory(accessibility_features=["easyToRead"], accessibility_hazards=["noFlashingHazard"])
    ResourceFactory()
    ResourceFactory(accessibility_features=["closedCaptions"], status=Status.DRAFT, published_at=None)

    everything = client.get(url("resources:list"))
    assert everything.context["search"].total == 4
    # Closed and open captions count once each under "captions"; the draft is not counted.
    assert facet(everything, "feature") == {"captions": 2, "transcript": 1, "easy to read": 1}
    assert facet(everything, "free_of") == {"flashing": 2, "motion simulation": 1, "sudden or loud sound": 1}

    captions = client.get(url("resources:list"), {"feature": "captions"})
    assert captions.context["search"].total == 2
    assert facet(captions, "feature") == {"captions": 2, "transcript": 1}
    assert facet(captions, "mode") == {"pictures or video": 1, "sound": 1}

    free = client.get(url("resources:list"), {"free_of": "flashing"})
    assert free.context["search"].total == 2


def test_a_bad_filter_value_gets_a_message_not_an_error(client):
    response = client.get(url("resources:list", language="sv"), {"feature": "subtitles", "free_of": "x"})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"feature", "free_of"}
    assert "Välj ett giltigt alternativ" in str(form.errors["feature"])


@pytest.mark.parametrize("rows", [1, PAGE_SIZE])
def test_search_query_count_is_unchanged_with_accessibility_filters(client, django_assert_num_queries, rows):
    area = KnowledgeAreaFactory()
    ResourceFactory.create_batch(
        rows, areas=[area], accessibility_features=["closedCaptions"], accessibility_hazards=["none"]
    )
    params = {"area": area.slug, "feature": "captions", "free_of": "flashing", "mode": ""}
    # As without them: 1 areas for the form, 2 catalogue version, 3 the planner's guess of the hits, 4 facet counts
    # (the accessibility ones too) and the total, 5 ids of the first pages, 6 this page's resources, 7 their areas
    with django_assert_num_queries(7):
        response = client.get(url("resources:list"), params)
    assert response.context["search"].total == rows


def test_the_api_filters_and_describes_accessibility(client):
    ResourceFactory(slug="med-textning", accessibility_features=["openCaptions"], access_modes=["visual"])
    ResourceFactory(slug="utan")

    answer = client.get("/api/v1/resources", {"feature": "captions", "lang": "en"}).json()

    assert [item["slug"] for item in answer["items"]] == ["med-textning"]
    assert answer["items"][0]["accessibility"]["features"] == [
        {"value": "openCaptions", "label": "captions (always shown)"}
    ]
    assert answer["facets"]["feature"] == [{"value": "captions", "label": "captions", "count": 1}]
    refused = client.get("/api/v1/resources", {"feature": "subtitles"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["parameter"] == "feature"
