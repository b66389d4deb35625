"""Staff sharing through the front door: a study visit, the exchange bank, a self-assessment, the rules."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from resources.models import Resource, Status
from teams.models import Activity, Experience, Reflection, Visibility
from tests.factories import (
    ActivityFactory,
    AnswerFactory,
    AssessmentFactory,
    ExperienceFactory,
    KnowledgeAreaFactory,
    MembershipFactory,
    ParticipationFactory,
    ReflectionFactory,
    ResourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_sign_in_and_password_reset(client, curator_a, jobs):
    response = client.post(reverse("login"), {"username": "curator-a", "password": "secret-password"})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")
    client.logout()
    response = client.post(reverse("password_reset"), {"email": curator_a.email})
    assert response.status_code == 302
    assert mail.outbox == []  # the e-mail is a job, and its link is made only when it is sent
    assert [job.task_name for job in jobs.all()] == ["teams.emails.password_reset_email"]
    jobs.run()
    assert len(mail.outbox) == 1
    # The link the worker wrote works: it leads to the form for the new password.
    link = re.search(r"https?://testserver(/\S+/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link)["Location"].endswith("/set-password/")


def test_study_visit_from_creation_to_all_reflections(client, curator_a, lead_a, team_a, library_b, jobs):
    client.force_login(lead_a)
    response = client.post(
        reverse("staff:activity-create"),
        {"team": team_a.pk, "kind": "study_visit", "title": "Vandring till Dokk1", "starts_at": "2030-03-01T09:00",
         "ends_at": "2030-03-01T15:00", "host_library": library_b.pk, "focus_questions": "Hur möts besökarna?"},
    )  # fmt: skip
    activity = Activity.objects.get(title="Vandring till Dokk1")
    assert response["Location"] == activity.get_absolute_url()
    for user in (lead_a, curator_a):
        client.force_login(user)
        client.post(reverse("staff:activity-sign-up", args=[activity.pk]))
    assert activity.participations.count() == 2
    ics = client.get(reverse("staff:activity-ics", args=[activity.pk]))
    assert b"SUMMARY:Vandring till Dokk1" in ics.content
    feed = client.get(reverse("staff:team-calendar", args=[team_a.slug]))
    assert b"BEGIN:VEVENT" in feed.content

    # The visit happened; one reminder per missing participant, never twice.
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at.replace(year=2020), ends_at=activity.ends_at.replace(year=2020)
    )
    page = client.get(activity.get_absolute_url())
    assert "2 reflektioner saknas" in page.content.decode() or "2 reflections" in page.content.decode()
    call_command("remind_reflections", stdout=StringIO())
    call_command("remind_reflections", stdout=StringIO())
    jobs.run()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([lead_a.email, curator_a.email])

    for user in (curator_a, lead_a):
        client.force_login(user)
        response = client.post(
            reverse("staff:reflection-write", args=[activity.pk]),
            {"saw": "Öppna ytor.", "will_try": "Välkomstbord.", "would_share": "Allt.", "visibility": "team"},
        )
        assert response.status_code == 302
    assert Reflection.objects.filter(activity=activity).count() == 2
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "notice" in page
    assert "Öppna ytor." in page


def test_only_the_author_edits_a_reflection_and_only_readers_read_it(client, curator_a, curator_b, team_a):
    activity = ActivityFactory(team=team_a, past=True)
    ParticipationFactory(activity=activity, user=curator_a)
    reflection = ReflectionFactory(activity=activity, author=curator_a, visibility=Visibility.TEAM)
    client.force_login(curator_b)
    assert client.get(reverse("staff:reflection", args=[reflection.pk])).status_code == 404
    response = client.post(reverse("staff:reflection-write", args=[activity.pk]), {"saw": "x", "visibility": "team"})
    assert response.status_code == 403
    reflection.refresh_from_db()
    assert reflection.saw != "x"
    client.logout()
    assert client.get(reverse("sharing:reflection", args=[reflection.pk])).status_code == 404
    Reflection.objects.filter(pk=reflection.pk).update(visibility=Visibility.PUBLIC)
    assert client.get(reverse("sharing:reflection", args=[reflection.pk])).status_code == 200


def test_team_calendar_feed_closes_when_its_person_leaves_the_team_or_staff(client, curator_a, team_a):
    ActivityFactory(team=team_a)
    client.force_login(curator_a)
    ((_team, feed),) = client.get(reverse("staff:home")).context["teams"]
    client.logout()  # calendar apps send no cookie
    assert b"BEGIN:VEVENT" in client.get(feed).content
    bad_token = client.get(reverse("staff:team-calendar", args=[team_a.slug]), {"token": "not-a-token"})
    assert bad_token.status_code == 302

    curator_a.memberships.all().delete()
    response = client.get(feed)
    assert response.status_code == bad_token.status_code
    assert response["Location"].startswith(reverse("accounts:sign-in"))

    MembershipFactory(user=curator_a, team=team_a)
    assert b"BEGIN:VEVENT" in client.get(feed).content
    curator_a.is_active = False
    curator_a.save()
    assert client.get(feed).status_code == bad_token.status_code


def test_exchange_entry_found_by_staff_of_another_country(client, curator_a, curator_b, library_a):
    entry = ExperienceFactory(
        library=library_a, title="Källkritik för nyanlända", summary="Workshoppar om källkritik på lätt svenska."
    )
    client.force_login(curator_b)  # at a Danish library
    response = client.get(reverse("staff:exchange"), {"q": "kildekritik"})
    assert entry.title in response.content.decode()
    response = client.get(reverse("staff:exchange"), {"country": "SE", "kind": "experience"})
    assert entry.title in response.content.decode()
    client.post(reverse("staff:experience-tried", args=[entry.slug]), {"note": "Vi gjorde det i Aarhus."})
    client.force_login(curator_a)
    assert "Vi gjorde det i Aarhus." in client.get(entry.get_absolute_url()).content.decode()
    # Only the entry's library edits it.
    client.force_login(curator_b)
    assert client.get(reverse("staff:experience-edit", args=[entry.slug])).status_code == 403


def test_exchange_entry_written_and_edited_with_its_areas(client, curator_a, library_a):
    area, other = KnowledgeAreaFactory(), KnowledgeAreaFactory()
    form = {"kind": "idea", "title": "Språkcafé", "language": "sv", "summary": "Samtal på lätt svenska.",
            "status": "running", "areas": [area.pk], "tag_text": "Språk, samtal"}  # fmt: skip
    client.force_login(curator_a)
    response = client.post(reverse("staff:experience-create"), form)
    entry = Experience.objects.get(title="Språkcafé")
    assert response["Location"] == entry.get_absolute_url()
    assert (entry.library, entry.author, entry.tags) == (library_a, curator_a, ["språk", "samtal"])
    assert list(entry.knowledge_areas.all()) == [area]
    response = client.post(reverse("staff:experience-edit", args=[entry.slug]), {**form, "areas": [other.pk]})
    assert response.status_code == 302
    assert list(entry.knowledge_areas.all()) == [other]


def test_staff_only_entries_stay_off_public_pages(client, library_a):
    hidden = ExperienceFactory(library=library_a, title="Internt försök med meröppet")
    public = ExperienceFactory(library=library_a, title="Öppen erfarenhet", is_public=True)
    assert client.get(reverse("sharing:experience", args=[hidden.slug])).status_code == 404
    assert client.get(reverse("sharing:experience", args=[public.slug])).status_code == 200
    assert client.get(reverse("staff:exchange")).status_code == 302
    for address in [reverse("home"), reverse("resources:list") + "?q=meröppet"]:
        assert hidden.title not in client.get(address).content.decode()


def test_self_assessment_with_chart_and_recommendations(client, curator_a, team_a):
    area = KnowledgeAreaFactory(name="Digital kompetens")
    strong, weak = StatementFactory(dimension__name="Ledning"), None
    weak = StatementFactory(dimension__name="Verktyg", dimension__questionnaire=strong.dimension.questionnaire)
    area.dimensions.add(weak.dimension)
    resource = ResourceFactory(title="Kom igång med surfplattan", areas=[area], audiences=["library_staff"])
    entry = ExperienceFactory(title="Surfplattekaféet", areas=[area])
    questionnaire = strong.dimension.questionnaire
    earlier = AssessmentFactory(questionnaire=questionnaire, team=team_a)
    AnswerFactory(assessment=earlier, statement=weak, value=1)
    client.force_login(curator_a)
    response = client.post(
        reverse("staff:questionnaire", args=[questionnaire.slug]),
        {"team": team_a.pk, f"statement_{strong.pk}": "4", f"statement_{weak.pk}": "2"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'role="img"' in page
    assert '<title id="chart-title">' in page
    assert "<table" in page
    assert resource.title in page
    assert entry.title in page
    assert "chart__earlier" in page  # the earlier round is compared


def test_import_experiences(tmp_path: Path, library_a):
    area = KnowledgeAreaFactory(slug="digital-kompetens")
    (tmp_path / "a.md").write_text(
        "---\ntitle: Digitalt stöd för seniorer\nlibrary: malmo\nsummary: Drop-in varje tisdag.\n"
        "coordinator: Region Skåne\nfunder: Kulturrådet\ngrant: 250 000 SEK\nstatus: finished\nkind: project\n"
        "period: {start: 2022-01-01, end: 2023-06-30}\nareas: [digital-kompetens]\ntags: [seniorer, drop-in]\n---\n"
        "Vi öppnade en drop-in.\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_experiences", str(tmp_path), stdout=out)
    entry = Experience.objects.get(slug="digitalt-stod-for-seniorer")
    assert entry.funder == "Kulturrådet"
    assert entry.kind == "project"
    assert area in entry.knowledge_areas.all()
    assert "1 created" in out.getvalue()
    call_command("import_experiences", str(tmp_path / "a.md"), stdout=out)
    assert "1 updated" in out.getvalue()


# Query budgets ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 8])
def test_staff_home_query_budget(client, django_assert_num_queries, curator_a, team_a, rows):
    for _ in range(rows):
        activity = ActivityFactory(team=team_a)
        ParticipationFactory(activity=activity, user=curator_a)
        past = ActivityFactory(team=team_a, past=True)
        ParticipationFactory(activity=past, user=curator_a)
        ExperienceFactory()
        resource = ResourceFactory(library=curator_a.library, team=team_a, status=Status.IN_REVIEW)
        Resource.objects.filter(pk=resource.pk).update(updated_at=timezone.now() - timedelta(days=8))
    client.force_login(curator_a)
    # session, user, team ids, teams, upcoming activities, owed reflections, newest entries,
    # whether they are a coordinator, resources waiting for review (with their library and team)
    with django_assert_num_queries(9):
        assert client.get(reverse("staff:home")).status_code == 200


@pytest.mark.parametrize("rows", [1, 8])
def test_exchange_search_query_budget(client, django_assert_num_queries, curator_b, rows):
    area = KnowledgeAreaFactory()
    for _ in range(rows):
        ExperienceFactory(areas=[area], title="Källkritik i praktiken")
    client.force_login(curator_b)
    # session, user, areas (form), understand, facet counts, page rows, their areas, snippets
    with django_assert_num_queries(8):
        assert client.get(reverse("staff:exchange"), {"q": "källkritik"}).status_code == 200


@pytest.mark.parametrize("rows", [1, 8])
def test_activity_page_query_budget(client, django_assert_num_queries, curator_a, team_a, rows):
    activity = ActivityFactory(team=team_a, past=True)
    for index in range(rows):
        user = curator_a if index == 0 else UserFactory()
        ParticipationFactory(activity=activity, user=user)
        ReflectionFactory(activity=activity, author=user, visibility=Visibility.STAFF)
    client.force_login(curator_a)
    # session, user, activity, participants, coordinator check, team ids, readable reflections,
    # missing reflections, the team's libraries (may this person edit it)
    with django_assert_num_queries(9):
        assert client.get(activity.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_assessment_page_query_budget(client, django_assert_num_queries, curator_a, team_a, rows):
    assessment = AssessmentFactory(team=team_a)
    area = KnowledgeAreaFactory()
    for _ in range(rows):
        statement = StatementFactory(dimension__questionnaire=assessment.questionnaire)
        area.dimensions.add(statement.dimension)
        AnswerFactory(assessment=assessment, statement=statement, value=3)
        ResourceFactory(areas=[area])
    client.force_login(curator_a)
    # session, user, coordinator check, team ids, the round, earlier rounds, averages, dimensions, areas,
    # recommended resources, recommended entries
    with django_assert_num_queries(11):
        assert client.get(assessment.get_absolute_url()).status_code == 200


def test_seed_demo_adds_staff_sharing():
    call_command("seed_demo", force=True, stdout=StringIO())
    counts = (Experience.objects.count(), Activity.objects.count(), Reflection.objects.count())
    call_command("seed_demo", force=True, stdout=StringIO())
    assert counts == (Experience.objects.count(), Activity.objects.count(), Reflection.objects.count())
    assert counts[0] >= 30
    assert counts[1] >= 3
    assert counts[2] >= 3
    assert Experience.objects.filter(search_vector__isnull=True).count() == 0


def test_an_entry_address_keeps_danish_and_norwegian_letters_readable(client, curator_b):
    form = {"kind": "idea", "title": "Læselyst på Østerbro", "language": "da", "summary": "Højtlæsning for voksne.",
            "status": "idea", "tag_text": ""}  # fmt: skip
    client.force_login(curator_b)
    client.post(reverse("staff:experience-create"), form)
    assert Experience.objects.get(title="Læselyst på Østerbro").slug == "laeselyst-pa-osterbro"
