"""The import reads the standard terms other systems write (HCRT, LRMI, CC URIs, BCP 47) and says what it read."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from resources import vocabularies
from resources.models import Audience, Kind, Resource

pytestmark = pytest.mark.django_db

HEADER = ["title", "url", "language", "kind", "audiences", "license"]


def csv_text(rows):
    out = StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def row(n, **values):
    return {"title": f"Resurs {n}", "url": f"https://example.org/{n}", "language": "sv", "kind": "guide",
            "audiences": "adults", "license": "CC-BY-4.0", **values}  # fmt: skip


def run(tmp_path, rows, *args):
    path = tmp_path / "resurser.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import_resources", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_standard_terms_and_synonyms_are_read_as_our_own_values(tmp_path, library_a):
    rows = [
        row(1, kind="lesson plan", audiences="teens;http://purl.org/dcx/lrmi-vocabs/educationalAudienceRole/teacher",
            license="https://creativecommons.org/licenses/by-sa/4.0/", language="nb-NO"),
        row(2, kind="https://w3id.org/kim/hcrt/educational_game", audiences="teens",
            license="http://creativecommons.org/publicdomain/zero/1.0", language="SV"),
        row(3, kind="app", audiences="adults", license="cc-by-4.0", language="se"),
    ]  # fmt: skip

    out, _err = run(tmp_path, rows, "--library", library_a.slug)

    by_title = {resource.title: resource for resource in Resource.objects.all()}
    first, second, third = by_title["Resurs 1"], by_title["Resurs 2"], by_title["Resurs 3"]
    assert (first.kind, first.audiences, first.license, first.language) == (
        Kind.LESSON_PLAN, [Audience.YOUTH, Audience.TEACHERS], "CC-BY-SA-4.0", "nb",
    )  # fmt: skip
    assert (second.kind, second.license, second.language) == (Kind.GAME, "CC0-1.0", "sv")
    assert (third.kind, third.license, third.language) == (Kind.APPLICATION, "CC-BY-4.0", "se")
    lines = out.splitlines()
    assert "Row 2, kind: “lesson plan” read as lesson plan" in lines
    assert "Row 2, audiences: “teens” read as young people" in lines
    assert "Row 2, license: “https://creativecommons.org/licenses/by-sa/4.0/” read as CC-BY-SA-4.0" in lines
    assert "Row 2, language: “nb-NO” read as nb" in lines
    assert "Row 3, kind: “https://w3id.org/kim/hcrt/educational_game” read as educational game" in lines
    assert "Row 4, kind: “app” read as application" in lines
    # One line per distinct value: "teens" in row 3 again says nothing new; our own values say nothing at all.
    assert sum("“teens”" in line for line in lines) == 1
    assert not any("“adults”" in line or "“se”" in line for line in lines)


def test_an_unknown_value_still_names_its_row_and_field(tmp_path, library_a):
    rows = [row(1), row(2, kind="hologram"), row(3, audiences="teens;martians"), row(4, license="https://example.org/x"),
            row(5, language="xx-YY")]  # fmt: skip

    with pytest.raises(CommandError, match="Nothing was imported"):
        run(tmp_path, rows, "--library", library_a.slug)

    assert not Resource.objects.exists()
    _out, err = StringIO(), StringIO()
    path = tmp_path / "fel.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    with translation.override("en"):
        call_command("import_resources", str(path), "--library", library_a.slug, "--dry-run", stderr=err, stdout=_out)
    lines = err.getvalue().splitlines()
    assert any(line.startswith("Row 3, kind:") and "hologram" in line for line in lines), lines
    assert any(line.startswith("Row 4, audiences:") and "martians" in line for line in lines), lines
    assert any(line.startswith("Row 5, license:") and "https://example.org/x" in line for line in lines), lines
    assert any(line.startswith("Row 6, language:") and "xx-YY" in line for line in lines), lines


def test_the_admin_import_reads_the_same_terms_and_shows_them(client, curator_a, library_a):
    content = csv_text([row(1, kind="Worksheet", audiences="kids", language="da-DK",
                            license="https://creativecommons.org/licenses/by-nc/4.0")])  # fmt: skip
    client.force_login(curator_a)
    url = reverse("admin:resources_resource_import")

    with translation.override("en"):
        upload = SimpleUploadedFile("resurser.csv", content.encode(), content_type="text/csv")
        preview = client.post(url, {"file": upload, "library": library_a.pk}, HTTP_ACCEPT_LANGUAGE="en")
    page = preview.content.decode()

    assert "Row 2, kind: “Worksheet” read as worksheet" in page
    assert "Row 2, audiences: “kids” read as children" in page
    assert "Row 2, language: “da-DK” read as da" in page
    response = client.post(url, {"token": preview.context["token"]})
    assert response.status_code == 302
    created = Resource.objects.get()
    assert (created.kind, created.audiences, created.language, created.license) == (
        Kind.WORKSHEET, [Audience.CHILDREN], "da", "CC-BY-NC-4.0",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "license_id"),
    [
        ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("http://creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
        ("HTTPS://creativecommons.org/licenses/by-nc-nd/4.0/ ", "CC-BY-NC-ND-4.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by/3.0/", None),
        ("WTFPL", None),
    ],
)
def test_licences_from_spdx_ids_and_creative_commons_uris(value, license_id):
    assert vocabularies.license_from(value) == license_id


@pytest.mark.parametrize(
    ("value", "language"),
    [("nb-NO", "nb"), ("NB", "nb"), ("sv_SE", "sv"), ("se", "se"), ("prs", "prs"), ("en-Latn-GB", "en"),
     ("xx-YY", None), ("", None)],
)  # fmt: skip
def test_languages_from_bcp47_tags(value, language):
    assert vocabularies.language_from(value) == language
