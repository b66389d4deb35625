"""Every change is kept (who, when, which fields, old values) and an earlier version is one click away."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from resources.models import Kind, Resource, Status
from tests.curation.test_workflow import change_form_data
from tests.factories import KnowledgeAreaFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(library_a, team_a):
    return ResourceFactory(library=library_a, team=team_a, title="Källkritik för nybörjare", status=Status.DRAFT,
                           published_at=None)  # fmt: skip


def edit(client, resource, **changes):
    data = {**change_form_data(client, resource), **changes}
    response = client.post(reverse("admin:resources_resource_change", args=[resource.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource.refresh_from_db()


def test_each_change_is_kept_with_who_and_the_old_values(client, resource, curator_a, lead_a):
    client.force_login(curator_a)
    edit(client, resource, title="Källkritik steg för steg")
    client.force_login(lead_a)
    edit(client, resource, summary="Ny sammanfattning.")

    newest, older = list(resource.history.all()[:2])
    assert newest.history_user == lead_a
    assert older.history_user == curator_a
    delta = older.diff_against(older.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("title", "Källkritik för nybörjare", "Källkritik steg för steg"),
    ]

    page = client.get(reverse("admin:resources_resource_history", args=[resource.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Ändrad av" in content  # the history library's words, in the interface language
    assert "Källkritik för nybörjare" in content
    assert "curator-a" in content
    assert "lead-a" in content


def test_area_changes_are_kept_too(client, resource, curator_a):
    area = KnowledgeAreaFactory(name="Källkritik")
    client.force_login(curator_a)
    edit(client, resource, areas=[area.pk])
    assert list(resource.history.first().areas.values_list("knowledgearea", flat=True)) == [area.pk]


def test_restoring_an_earlier_version_takes_one_click(client, resource, curator_a):
    client.force_login(curator_a)
    first = resource.history.first()
    edit(client, resource, title="Ett misstag")

    url = reverse("admin:resources_resource_simple_history", args=[resource.pk, first.history_id])
    form = client.get(url).context["adminform"].form
    assert form["title"].value() == "Källkritik för nybörjare"
    data = {
        name: value
        for name in form.fields
        if (value := form[name].value()) is not None and name not in ("file", "image")
    }
    data["tags"] = ""
    response = client.post(url, data)  # the page's one button: "Revert"

    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Källkritik för nybörjare"
    assert resource.version == 3  # versions only move forward, also when restoring
    assert resource.history.first().history_user == curator_a


def test_another_librarys_history_is_not_shown(client, resource, curator_b):
    client.force_login(curator_b)
    first = resource.history.first()
    history = client.get(reverse("admin:resources_resource_history", args=[resource.pk]))
    old = client.get(reverse("admin:resources_resource_simple_history", args=[resource.pk, first.history_id]))
    assert history.status_code in (302, 403, 404)
    assert old.status_code == 302
    assert old["Location"] == reverse("admin:index")


def test_tag_changes_are_kept_and_an_earlier_version_brings_its_tags_back(client, resource, curator_a):
    client.force_login(curator_a)
    edit(client, resource, tags="källkritik, nyheter")
    tagged = resource.history.first()
    assert tagged.tags_text == "källkritik, nyheter"
    assert tagged.history_user == curator_a
    edit(client, resource, tags="bakning")
    assert resource.history.first().tags_text == "bakning"

    url = reverse("admin:resources_resource_simple_history", args=[resource.pk, tagged.history_id])
    form = client.get(url).context["adminform"].form
    assert sorted(tag.name for tag in form["tags"].value()) == ["källkritik", "nyheter"]
    data = {
        name: value
        for name in form.fields
        if (value := form[name].value()) is not None and name not in ("file", "image")
    }
    data["tags"] = ", ".join(tag.name for tag in data["tags"])  # as the page's text box shows them
    client.post(url, data)

    assert sorted(resource.tags.names()) == ["källkritik", "nyheter"]
    resource.refresh_from_db()
    assert resource.tags_text == "källkritik, nyheter"


def test_a_bulk_tag_is_kept_in_the_history(resource, curator_a):
    from resources import services

    services.resource_add_tag(resource=resource, tag="släktforskning", user=curator_a)
    assert resource.history.first().tags_text == "släktforskning"
    assert resource.history.first().history_user == curator_a


def test_an_import_keeps_its_tags_in_the_history(library_a, curator_a):
    from resources import imports

    plan = imports.plan_import(
        [{"title": "Släktforskning för alla", "url": "https://www.riksarkivet.se/", "language": "sv",
          "tags": "släktforskning; arkiv"}],
    )  # fmt: skip
    imports.apply_import(plan, library=library_a, team=None, publish=False, user=curator_a)

    resource = Resource.objects.get(title="Släktforskning för alla")
    assert resource.history.first().tags_text == "arkiv, släktforskning"


def history_rows(client, resource) -> tuple[str, list[str]]:
    """The history table's header and, for each row, the text of its "changes" cell (the last one)."""
    html = client.get(reverse("admin:resources_resource_history", args=[resource.pk])).content.decode()
    table = html[html.index('<table id="change-history"') :]
    table = table[: table.index("</table>")]
    header = table[: table.index("</thead>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :], flags=re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, flags=re.S)[-1] for row in rows]
    return header, [" ".join(unescape(re.sub(r"<[^>]+>|&nbsp;", " ", cell)).split()) for cell in cells]


def test_every_row_of_the_history_page_says_what_changed_in_the_readers_language(client, resource, curator_a,
                                                                                  team_a):  # fmt: skip
    resource.team = None
    resource.save()
    client.force_login(curator_a)
    edit(client, resource, team=team_a.pk, kind=Kind.VIDEO)
    edit(client, resource, tags="källkritik, nyheter")  # tags only: one row, with the tags
    edit(client, resource, tags="källkritik")
    edit(client, resource, team="")

    header, rows = history_rows(client, resource)
    with translation.override("sv"):
        said = {text: translation.gettext(text) for text in ["Action", "(empty)", "First version"]}
        added = translation.gettext("added %(names)s") % {"names": "källkritik, nyheter"}
        removed = translation.gettext("removed %(names)s") % {"names": "nyheter"}
        kinds = str(Kind.COURSE.label), str(Kind.VIDEO.label)
    assert said["Action"] == "Händelse"  # Django's own word, translated
    assert said["Action"] in header
    assert "Comment" not in header
    assert rows == [
        f"Lärteam: Lärteam Syd → {said['(empty)']}",
        f"Taggar: {removed}",
        f"Taggar: {added}",
        f"Typ: {kinds[0]} → {kinds[1]} Lärteam: {said['(empty)']} → Lärteam Syd",
        f"Lärteam: Lärteam Syd → {said['(empty)']}",
        said["First version"],
    ]
    page = " ".join(rows)
    assert "pk=None" not in page
    assert "None" not in page


def test_a_changed_web_address_reads_as_text_not_markup(client, resource, curator_a):
    client.force_login(curator_a)
    old = resource.url
    edit(client, resource, url="https://www.kb.se/kallkritik")
    _, rows = history_rows(client, resource)
    label = capfirst(Resource._meta.get_field("url").verbose_name)
    assert rows[0] == f"{label}: {old} → https://www.kb.se/kallkritik"
