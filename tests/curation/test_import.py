"""manage.py import_resources: every row checked first, bad rows named, duplicates update, 10,000 rows fast."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resources.imports import normalise_url, plan_import
from resources.models import Resource, Status
from teams.models import Role
from tests.factories import KnowledgeAreaFactory, LearningTeamFactory, MembershipFactory, ResourceFactory

pytestmark = pytest.mark.django_db

HEADER = ["title", "url", "language", "summary", "description", "kind", "tags", "audiences", "license", "creator",
          "areas"]  # fmt: skip


def write_csv(path, rows, header=HEADER):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def row(n=1, **values):
    return {
        "title": f"Källkritik del {n}", "url": f"https://www.kb.se/kallkritik/{n}", "language": "sv",
        "summary": "Lär dig granska källor.", "description": "", "kind": "guide", "tags": "källkritik;nyheter",
        "audiences": "adults;youth", "license": "CC-BY-4.0", "creator": "KB", "areas": "", **values,
    }  # fmt: skip


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_resources", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_csv_becomes_draft_resources_of_the_library_and_team(tmp_path, library_a, team_a):
    area = KnowledgeAreaFactory(slug="kallkritik")
    path = write_csv(tmp_path / "resurser.csv", [row(1, areas="kallkritik"), row(2, summary="", description="Lång.")])

    out, _err = run(path, "--library", library_a.slug, "--team", team_a.slug)

    resources = list(Resource.objects.order_by("title"))
    assert [r.title for r in resources] == ["Källkritik del 1", "Källkritik del 2"]
    first = resources[0]
    assert (first.library, first.team, first.status, first.kind) == (library_a, team_a, Status.DRAFT, "guide")
    assert sorted(first.tags.names()) == ["källkritik", "nyheter"]
    assert first.audiences == ["adults", "youth"]
    assert list(first.areas.all()) == [area]
    assert resources[1].summary == "Lång."
    assert first.history.count() == 1  # the import is in the history too
    assert "Imported 2 rows" in out
    assert "2 new resources (drafts), 0 updated" in out


def test_json_with_the_same_keys_and_publish(tmp_path, library_a):
    path = tmp_path / "resurser.json"
    path.write_text(json.dumps([row(1), {**row(2), "tags": ["a", "b"]}]), encoding="utf-8")
    run(str(path), "--library", library_a.slug, "--publish")
    assert set(Resource.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert not Resource.objects.filter(published_at=None).exists()


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, library_a):
    path = write_csv(tmp_path / "fel.csv", [
        row(1),
        row(2, url="inte en adress", language="xx"),
        row(3, title="", areas="finns-inte"),
        row(4, audiences="marsianer", license="WTFPL"),
        row(1),  # the same address as row 2 of the file
    ])  # fmt: skip

    with pytest.raises(CommandError, match="Nothing was imported") as error:
        run(path, "--library", library_a.slug)

    assert "5 rows: 1 new, 0 updates of resources already in the catalogue, 4 invalid." in str(error.value)
    assert not Resource.objects.exists()


def test_the_report_names_rows_and_fields(tmp_path, library_a):
    path = write_csv(tmp_path / "fel.csv", [row(1), row(2, url="inte en adress"), row(3, areas="finns-inte"), row(1)])
    _out, err = run(path, "--library", library_a.slug, "--dry-run")
    lines = err.splitlines()
    assert any(line.startswith(("Row 3, url:", "Rad 3, url:")) for line in lines), lines
    assert any(line.startswith(("Row 4, areas:", "Rad 4, areas:")) and "finns-inte" in line for line in lines)
    assert any(line.startswith(("Row 5, url:", "Rad 5, url:")) and "2" in line for line in lines)


def test_skip_invalid_writes_the_good_rows(tmp_path, library_a):
    path = write_csv(tmp_path / "blandat.csv", [row(1), row(2, language="")])
    out, _err = run(path, "--library", library_a.slug, "--skip-invalid")
    assert Resource.objects.count() == 1
    assert "1 invalid rows skipped" in out


def test_dry_run_writes_nothing(tmp_path, library_a):
    path = write_csv(tmp_path / "prov.csv", [row(1), row(2)])
    out, _err = run(path, "--library", library_a.slug, "--dry-run")
    assert not Resource.objects.exists()
    assert "2 rows: 2 new" in out
    assert "nothing was written" in out


def test_unknown_columns_are_ignored_with_a_warning(tmp_path, library_a):
    path = write_csv(tmp_path / "extra.csv", [{**row(1), "isbn": "123"}], header=[*HEADER, "isbn"])
    _out, err = run(path, "--library", library_a.slug)
    assert "isbn" in err
    assert Resource.objects.count() == 1


@pytest.mark.parametrize(
    ("stored", "imported"),
    [
        ("https://www.kb.se/kallkritik/", "http://WWW.KB.SE/kallkritik"),
        ("https://www.kb.se/kallkritik", "https://www.kb.se/kallkritik/?utm_source=nyhetsbrev&fbclid=x"),
        ("https://www.kb.se/sok?q=1&sida=2", "https://www.kb.se/sok?sida=2&q=1&utm_campaign=vår"),
    ],
)
def test_an_address_already_in_the_catalogue_updates_that_resource(tmp_path, library_a, stored, imported):
    existing = ResourceFactory(library=library_a, url=stored, title="Gammal titel", status=Status.PUBLISHED)
    path = write_csv(tmp_path / "uppdatera.csv", [row(1, url=imported, title="Ny titel")])

    out, _err = run(path, "--library", library_a.slug)

    assert Resource.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.title, existing.status, existing.version) == ("Ny titel", Status.PUBLISHED, 2)
    assert existing.history.first().title == "Ny titel"
    assert "0 new resources (drafts), 1 updated" in out


def test_normalised_addresses_keep_what_matters():
    assert normalise_url("HTTPS://Example.org:443/a/?b=1&utm_medium=x#top") == "example.org/a?b=1"
    assert normalise_url("http://example.org:8080/") == "example.org:8080"
    assert normalise_url("https://example.org/A") != normalise_url("https://example.org/a")  # paths keep case


def test_the_team_must_include_the_library(tmp_path, library_a, team_b):
    path = write_csv(tmp_path / "x.csv", [row(1)])
    with pytest.raises(CommandError, match="does not include"):
        run(path, "--library", library_a.slug, "--team", team_b.slug)


def test_ten_thousand_rows_import_whole_and_indexed(tmp_path, library_a, team_a):
    # The time it takes is measured by `make bench` (bench/curation.py), not asserted here.
    KnowledgeAreaFactory(slug="digitalt")
    rows = [row(n, tags=f"ämne{n % 50};digitalt", areas="digitalt", description="Text " * 20) for n in range(10_000)]
    path = write_csv(tmp_path / "stor.csv", rows)

    out, _err = run(path, "--library", library_a.slug, "--team", team_a.slug, "--publish")

    assert Resource.objects.published().count() == 10_000
    assert Resource.objects.filter(search_vector=None).count() == 0  # indexed by the triggers as they arrived
    assert "10000 new resources (published)" in out


def test_curators_import_in_the_admin_with_a_preview_first(client, curator_a, library_a, team_a, library_b):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    taken = ResourceFactory(library=library_b, url="https://dokk1.example/bog")
    content = (
        "title,url,language\nSkriv en ansökan,https://www.ams.se/ansokan,sv\nBogen,https://dokk1.example/bog/,da\n"
    )
    client.force_login(curator_a)
    url = reverse("admin:resources_resource_import")
    upload = SimpleUploadedFile("resurser.csv", content.encode(), content_type="text/csv")

    preview = client.post(url, {"file": upload, "library": library_a.pk, "team": team_a.pk})

    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert (plan.new, plan.invalid_rows) == (1, 1)  # another library's resource is not theirs to update
    assert not preview.context["can_write"]
    assert not Resource.objects.filter(library=library_a).exists()

    upload = SimpleUploadedFile("resurser.csv", content.encode(), content_type="text/csv")
    preview = client.post(url, {"file": upload, "library": library_a.pk, "team": team_a.pk, "skip_invalid": "on"})
    assert preview.context["can_write"]
    response = client.post(url, {"token": preview.context["token"]})

    assert response.status_code == 302
    created = Resource.objects.get(library=library_a)
    assert (created.title, created.team, created.status) == ("Skriv en ansökan", team_a, Status.DRAFT)
    assert created.history.first().history_user == curator_a
    taken.refresh_from_db()
    assert taken.title != "Bogen"


def test_curators_cannot_import_for_another_library_or_publish(client, curator_a, library_b, library_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(curator_a)
    upload = SimpleUploadedFile("r.csv", b"title,url,language\nA,https://a.example/,sv\n")
    response = client.post(reverse("admin:resources_resource_import"), {"file": upload, "library": library_b.pk})
    assert "library" in response.context["form"].errors
    upload = SimpleUploadedFile("r.csv", b"title,url,language\nA,https://a.example/,sv\n")
    response = client.post(
        reverse("admin:resources_resource_import"), {"file": upload, "library": library_a.pk, "publish": "on"}
    )
    assert "publish" in response.context["form"].errors


@pytest.mark.parametrize("rows", [1, 20])
def test_checking_rows_that_update_resources_costs_the_same_for_any_number_of_rows(
    django_assert_num_queries, curator_a, library_a, team_a, rows
):
    for n in range(rows):
        ResourceFactory(library=library_a, team=team_a, url=f"https://www.kb.se/kallkritik/{n}")
    # 1 areas, 2 the catalogue's addresses with library and team, 3 library names, 4 whether the user coordinates
    with django_assert_num_queries(4):
        plan = plan_import([row(n) for n in range(rows)], user=curator_a)
    assert (plan.updates, plan.invalid_rows) == (rows, 0)


def test_publishing_by_import_updates_only_what_the_user_may_publish(lead_a, library_a, team_a):
    # The lead of team A is only a curator in another team of the same library.
    other_team = LearningTeamFactory(libraries=[library_a])
    MembershipFactory(user=lead_a, team=other_team, role=Role.CURATOR)
    ResourceFactory(library=library_a, team=team_a, url="https://www.kb.se/kallkritik/1")
    ResourceFactory(library=library_a, team=other_team, url="https://www.kb.se/kallkritik/2")

    plan = plan_import([row(1), row(2)], publish=True, user=lead_a)

    assert [(error.row, error.column) for error in plan.errors] == [(3, "url")]
    assert plan_import([row(2)], user=lead_a).invalid_rows == 0  # as a draft update it is theirs to make
