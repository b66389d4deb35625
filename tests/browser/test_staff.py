"""Library staff in real Chromium: sign in, a study visit to its reflections, the exchange bank across
countries, and a self-assessment with its chart and recommendations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from resources.models import Term, TermGroup
from teams.models import Activity, DimensionFocus, Reflection
from tests.browser.test_patron_journey import assert_accessible, assert_fits_the_screen
from tests.factories import (
    ActivityFactory,
    ExperienceFactory,
    KnowledgeAreaFactory,
    LearningTeamFactory,
    LibraryFactory,
    MembershipFactory,
    ParticipationFactory,
    ResourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_study_visit_to_reflections(live_server, page: Page, screenshot):
    malmo = LibraryFactory(name="Malmö stadsbibliotek", slug="malmo")
    team = LearningTeamFactory(name="Lärteam Syd", libraries=[malmo])
    anna = UserFactory(username="anna", library=malmo)
    MembershipFactory(team=team, user=anna)
    visit = ActivityFactory(team=team, title="Vandring till Dokk1", past=True)
    ParticipationFactory(activity=visit, user=anna)
    ParticipationFactory(activity=visit, user=UserFactory(library=malmo))

    sign_in(page, live_server.url, "anna")
    expect(page.get_by_text("Vandring till Dokk1")).to_be_visible()  # a reflection still owed
    page.get_by_role("link", name="Vandring till Dokk1").first.click()
    expect(page.get_by_text("2 reflections are still missing.")).to_be_visible()
    page.get_by_label("What I saw").fill("Öppna ytor och värdar vid entrén.")
    page.get_by_label("all library staff").check()
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_text("1 reflection is still missing.")).to_be_visible()
    assert Reflection.objects.filter(activity=visit, author=anna).exists()
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot("staff-activity")
    assert Activity.objects.count() == 1


def test_exchange_entry_found_from_another_country_and_self_assessment(live_server, page: Page, screenshot):
    malmo = LibraryFactory(name="Malmö stadsbibliotek", slug="malmo")
    dokk1 = LibraryFactory(name="Dokk1", slug="dokk1", country="DK")
    area = KnowledgeAreaFactory(name="Källkritik", name_en="Source criticism")
    ExperienceFactory(library=malmo, title="Källkritik för nyanlända", areas=[area])
    team = LearningTeamFactory(name="Læringsteam Aarhus", libraries=[dokk1])
    lars = UserFactory(username="lars", library=dokk1)
    MembershipFactory(team=team, user=lars)
    # Information literacy is about the patrons, so a patron guide of its area is recommended.
    statement = StatementFactory(dimension__name="Information literacy", dimension__focus=DimensionFocus.PATRONS)
    area.dimensions.add(statement.dimension)
    ResourceFactory(title="Granska nyheter", areas=[area])

    # Transactional tests empty the tables, the seeded term table too: the one equivalent this test needs.
    group, _created = TermGroup.objects.get_or_create(concept="source criticism")
    for language, text in [("sv", "källkritik"), ("da", "kildekritik")]:
        Term.objects.get_or_create(group=group, language=language, text=text)

    sign_in(page, live_server.url, "lars")
    page.goto(f"{live_server.url}/en/staff/exchange/?q=kildekritik")
    page.get_by_role("link", name="Källkritik för nyanlända").click()
    page.get_by_label("A short note for the author (optional)").fill("Vi gjorde det samme i Aarhus.")
    page.get_by_role("button", name="We tried this too").click()
    expect(page.get_by_text("Vi gjorde det samme i Aarhus.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/en/staff/assessments/{statement.dimension.questionnaire.slug}/fill-in/")
    page.get_by_label("Learning team").select_option(label="Læringsteam Aarhus")
    page.get_by_label("2 – getting started").check()
    page.get_by_role("button", name="See our profile").click()
    expect(page.get_by_role("img", name="Average answer per dimension")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("2.00")
    expect(page.get_by_role("link", name="Granska nyheter")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_screen(page)
    screenshot("staff-assessment")
