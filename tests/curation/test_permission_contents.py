"""The permission matrix by contents: what a page, an export or an autocomplete answer holds, not only its status.

`test_permission_matrix.py` says who gets which status code; these tests read the answers: public searches and
their "did you mean" hold no draft, no item in review or archived and no staff-only note, even for the staff who
made them; a curator's CSV export and admin autocomplete hold nothing of another library's. Each check has a
control that shows the same request finding the thing where it may (a published resource; a coordinator), so
none passes because the request found nothing at all. (Feeds are not covered yet: they do not exist.)
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.urls import reverse

from resources.models import HarvestSource, ProblemKind, ProblemReport, Status
from teams.access import has_scope, visible_to
from tests.factories import (
    ActivityFactory,
    AssessmentFactory,
    BookingRequestFactory,
    ExperienceFactory,
    ParticipationFactory,
    ReflectionFactory,
    ResourceFactory,
    SchoolOfferFactory,
)

pytestmark = pytest.mark.django_db

# Words that occur in one resource or offer each, and nowhere else.
PUBLISHED_WORD = "trollsländorna"
HIDDEN_WORDS = {
    Status.DRAFT: "myrstackarna",
    Status.IN_REVIEW: "grävlingarna",
    Status.ARCHIVED: "fladdermössen",
}
NOTE_WORD = "igelkottarna"  # in a published resource's review note, which only staff read
# A typo of each (one pair of letters swapped): "did you mean" must not offer a word only hidden items hold.
TYPOS = {
    "trollsländorna": "trollsländonra",
    "myrstackarna": "myrstakcarna",
    "grävlingarna": "grävlignarna",
    "fladdermössen": "fladdermösesn",
    "igelkottarna": "igelkottanra",
}
# The marker in the titles and texts of library B's things, and library B's and its team's names.
B_MARKERS = ["hemlighet-b", "dokk1", "aarhus"]
# Models an autocomplete may complete that belong to nobody: every library's staff picks from them.
SHARED_MODELS = {"resources.knowledgearea", "resources.subject", "taggit.tag"}


@pytest.fixture
def catalogue(library_b, team_b):
    """Library B's resources: one published, one of each hidden status, and a published one with a staff note."""
    published = ResourceFactory(
        library=library_b, team=team_b, title=f"Sagor om {PUBLISHED_WORD}", slug="sagor-offentlig"
    )
    hidden = {
        status: ResourceFactory(
            library=library_b,
            team=team_b,
            status=status,
            published_at=None,
            title=f"Om {word}",
            slug=f"dold-{status}",
            summary=f"Allt om {word}.",
            description=word,
        )
        for status, word in HIDDEN_WORDS.items()
    }
    noted = ResourceFactory(library=library_b, team=team_b, slug="med-anteckning", review_note=f"Kolla {NOTE_WORD}.")
    return {"published": published, "hidden": hidden, "noted": noted}


def result_slugs(page: str) -> list[str]:
    """The resources a search page lists, by the slug in each card's link."""
    return re.findall(r'<h3 class="card__title"><a href="/sv/resources/([^/"]+)/"', page)


def public_visitors(client: Any, ctx: dict[str, Any]) -> Any:
    """The same client as an anonymous visitor, then signed in as each kind of staff, the owners included."""
    for user in [None, ctx["patron"], ctx["curator_a"], ctx["curator_b"], ctx["coordinator"]]:
        client.logout()
        if user is not None:
            client.force_login(user)
        yield "anonymous" if user is None else user.username


@pytest.fixture
def people(patron, curator_a, curator_b, coordinator):
    return {"patron": patron, "curator_a": curator_a, "curator_b": curator_b, "coordinator": coordinator}


def test_public_search_lists_no_hidden_resource_for_anyone(client, catalogue, people):
    for who in public_visitors(client, people):
        page = client.get(reverse("resources:list"), {"q": PUBLISHED_WORD}).content.decode()
        assert result_slugs(page) == ["sagor-offentlig"], who  # the control: search finds what is public
        for status, word in HIDDEN_WORDS.items():
            page = client.get(reverse("resources:list"), {"q": word}).content.decode()
            assert result_slugs(page) == [], f"{who} found the {status} resource"
            assert f"dold-{status}" not in page, who
        page = client.get(reverse("resources:list"), {"q": NOTE_WORD}).content.decode()
        assert result_slugs(page) == [], f"{who} found a resource by its review note"
        assert f"Kolla {NOTE_WORD}" not in page, who


def test_did_you_mean_offers_no_word_that_only_hidden_resources_hold(client, catalogue, people):
    """Depends on the `defects` branch's fix: the vocabulary must not learn words from drafts."""
    for who in public_visitors(client, people):
        page = client.get(reverse("resources:list"), {"q": TYPOS[PUBLISHED_WORD]}).content.decode()
        assert f">{PUBLISHED_WORD}</a>" in page, who  # the control: a public word is suggested
        for word in [*HIDDEN_WORDS.values(), NOTE_WORD]:
            # Alone, and beside a public word that finds something by itself.
            for query in [TYPOS[word], f"{PUBLISHED_WORD} {TYPOS[word]}", f"{TYPOS[word]} {TYPOS[PUBLISHED_WORD]}"]:
                page = client.get(reverse("resources:list"), {"q": query}).content.decode()
                assert word not in page, f"{who} was offered {word!r}, a word only hidden resources hold ({query})"


def test_public_offer_search_lists_no_hidden_offer(client, library_b, team_b, people):
    SchoolOfferFactory(library=library_b, team=team_b, title=f"Verkstad om {PUBLISHED_WORD}", slug="verkstad-offentlig")
    for status, word in HIDDEN_WORDS.items():
        SchoolOfferFactory(
            library=library_b, team=team_b, status=status, published_at=None, title=f"Verkstad om {word}",
            slug=f"verkstad-{status}",
        )  # fmt: skip
    for who in public_visitors(client, people):
        # library_b is Danish: the Swedish list shows every country's offers only when asked to.
        page = client.get(reverse("offers:list"), {"q": PUBLISHED_WORD, "country": ""}).content.decode()
        assert "verkstad-offentlig" in page, who
        for status, word in HIDDEN_WORDS.items():
            page = client.get(reverse("offers:list"), {"q": word, "country": ""}).content.decode()
            assert f"verkstad-{status}" not in page, f"{who} found the {status} offer"
            assert f"Verkstad om {word}" not in page, who


# The admin: library B's things, each with the marker, for the CSV exports and the autocomplete answers.


@pytest.fixture
def library_b_things(library_b, team_b, curator_b, library_a, team_a, curator_a):
    marker = B_MARKERS[0]
    draft = ResourceFactory(library=library_b, team=team_b, status=Status.DRAFT, published_at=None,
                            title=f"Utkast {marker}")  # fmt: skip
    ResourceFactory(library=library_b, team=team_b, title=f"Publicerad {marker}", link_failures=3)
    ProblemReport.objects.create(resource=draft, kind=ProblemKind.BROKEN_LINK, message=f"Trasig {marker}")
    offer = SchoolOfferFactory(library=library_b, team=team_b, title=f"Erbjudande {marker}")
    BookingRequestFactory(offer=offer, teacher_name=f"Lärare {marker}", school=f"Skola {marker}")
    activity = ActivityFactory(team=team_b, past=True, title=f"Studiebesök {marker}", host_library=library_b)
    ParticipationFactory(activity=activity, user=curator_b)
    ReflectionFactory(activity=activity, author=curator_b, saw=f"Jag såg {marker}")
    ExperienceFactory(library=library_b, author=curator_b, title=f"Erfarenhet {marker}")
    AssessmentFactory(team=team_b)
    HarvestSource.objects.create(url=f"https://{marker}.example.org/oai", library=library_b, team=team_b)
    # Library A's own things, so that a curator of A has something to export and to pick.
    ResourceFactory(library=library_a, team=team_a, status=Status.DRAFT, published_at=None, title="Utkast A")
    ResourceFactory(library=library_a, team=team_a, title="Publicerad A")
    ActivityFactory(team=team_a, title="Studiebesök A")
    ExperienceFactory(library=library_a, author=curator_a, title="Erfarenhet A")
    HarvestSource.objects.create(url="https://a.example.org/oai", library=library_a, team=team_a)


def export_csv(client: Any, model: type[Model]) -> Any:
    """The changelist's "export as CSV" action over every row of the model (its own and any other's ids posted)."""
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {
            "action": "export_as_csv",
            "select_across": "1",
            "index": "0",
            "_selected_action": [str(pk) for pk in model._default_manager.values_list("pk", flat=True)],
        },
    )


def csv_text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return str(response.content.decode())


# The usage statistics' export lists the resources it counts (unused ones too), not its daily rows.
EXPORTED_ROWS_OF = {"resources.resourceusage": "resources.resource"}


def scoped_models() -> list[type[Model]]:
    return sorted((model for model in admin.site._registry if has_scope(model)), key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", scoped_models(), ids=lambda model: model._meta.label_lower)
def test_a_curators_csv_export_holds_no_other_librarys_rows(client, library_b_things, curator_a, coordinator, model):
    client.force_login(coordinator)
    everything = csv_text(export_csv(client, model)).lower()
    assert any(marker in everything for marker in B_MARKERS), "the control: library B's rows are exported"

    client.force_login(curator_a)
    response = export_csv(client, model)
    if response.status_code == 403:
        return  # coordinators' own list (reflections): the curator gets no rows at all
    own = csv_text(response)
    assert [marker for marker in B_MARKERS if marker in own.lower()] == []
    rows = list(csv.reader(io.StringIO(own)))[1:]
    exported = apps.get_model(EXPORTED_ROWS_OF.get(model._meta.label_lower, model._meta.label_lower))
    assert len(rows) <= visible_to(exported._default_manager.all(), curator_a).count()


def autocomplete_fields() -> list[tuple[type[Model], str]]:
    """(model, field name) for every autocomplete field of every model admin and its inlines."""
    found = []
    for model, model_admin in admin.site._registry.items():
        found += [(model, name) for name in model_admin.autocomplete_fields]
        for inline in model_admin.inlines:
            found += [(inline.model, name) for name in inline.autocomplete_fields]
    return sorted(set(found), key=lambda pair: (pair[0]._meta.label, pair[1]))


def autocomplete_ids(client: Any, model: type[Model], field_name: str) -> set[str]:
    """Every id the admin's autocomplete offers for the field, page after page."""
    ids: set[str] = set()
    page = 1
    while True:
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name,
             "term": "", "page": page},
        )  # fmt: skip
        assert response.status_code == 200, (model._meta.label, field_name)
        answer = response.json()
        ids |= {str(result["id"]) for result in answer["results"]}
        if not answer["pagination"]["more"]:
            return ids
        page += 1


@pytest.mark.parametrize(
    ("model", "field_name"), autocomplete_fields(), ids=lambda value: getattr(value, "__name__", str(value))
)
def test_a_curators_autocomplete_offers_nothing_private_of_another_library(
    client, library_b_things, curator_a, coordinator, model, field_name
):
    field = model._meta.get_field(field_name)
    target = field.remote_field.model  # type: ignore[union-attr]
    choices = target._default_manager.complex_filter(field.get_limit_choices_to())  # type: ignore[union-attr]
    if target._meta.label_lower in SHARED_MODELS:
        # Shared by all libraries; the control is that a curator is offered all of them.
        client.force_login(curator_a)
        expected = {str(pk) for pk in target._default_manager.values_list("pk", flat=True)}
        assert autocomplete_ids(client, model, field_name) == expected
        return
    assert has_scope(target), f"{target._meta.label}: say whether it is shared (SHARED_MODELS) or scoped"
    private = {
        str(pk)
        for pk in choices.exclude(pk__in=visible_to(choices, curator_a).values("pk")).values_list("pk", flat=True)
    }
    assert private, f"library B has no {target._meta.verbose_name} in the fixture"

    client.force_login(coordinator)
    assert private <= autocomplete_ids(client, model, field_name)  # the control: B's are offered to coordinators

    client.force_login(curator_a)
    offered = autocomplete_ids(client, model, field_name)
    assert offered
    assert offered & private == set()
