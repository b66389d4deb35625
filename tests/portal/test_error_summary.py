"""The error summary (GOV.UK pattern): every form of the portal comes back with one at the top of the page,
focused, linking to each field that has an error; built once, in ``base.html``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from resources.models import Status
from tests.factories import QuestionnaireFactory, ResourceFactory, StatementFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXTENDS = re.compile(r'{%\s*extends\s+"([^"]+)"\s*%}')


def _extends_base(path: Path) -> bool:
    """Whether the template inherits ``base.html``, which shows the summary for the page's form."""
    while True:
        match = EXTENDS.search(path.read_text())
        if match is None:
            return path.name == "base.html"
        if match.group(1) == "base.html":
            return True
        path = TEMPLATES / match.group(1)


def _form_templates() -> list[Path]:
    # The Django admin keeps its own error note; its templates are left to it. A partial (its name starts with _,
    # such as the follow button: one button, no fields) is included in pages that inherit base.html.
    return sorted(
        path for path in TEMPLATES.rglob("*.html")
        if "<form" in path.read_text() and path.relative_to(TEMPLATES).parts[0] != "admin"
        and not path.name.startswith("_")
    )  # fmt: skip


@pytest.mark.parametrize("path", _form_templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_every_form_template_shows_the_one_error_summary(path):
    text = path.read_text()
    assert _extends_base(path), "a page with a form inherits base.html, which shows the error summary"
    # No page lists a form's errors its own way beside the summary.
    assert "non_field_errors" not in text
    assert "{% block error_summary %}" not in text


def test_the_summary_is_built_in_one_place():
    users = [path for path in TEMPLATES.rglob("*.html") if "{% error_summary" in path.read_text()]
    assert [str(path.relative_to(TEMPLATES)) for path in users] == ["base.html"]


def summary(response) -> tuple[str, list[str]]:
    """The summary's opening tag and the targets of its links; the summary must start the page's content."""
    html = response.content.decode()
    main = html[html.index('<main id="main"') :]
    opening = re.search(r"<main[^>]*>\s*(<div[^>]*>)", main)
    assert opening is not None, "the page starts with the summary"
    assert 'class="error-summary"' in opening.group(1), "the page starts with the summary"
    block = main[: main.index("</div>")]
    return opening.group(1), re.findall(r'<a href="#([^"]+)"', block)


def assert_targets_exist(response, targets: list[str]) -> None:
    html = response.content.decode()
    for target in targets:
        assert f'id="{target}"' in html, f"#{target} names an element of the page"


@pytest.mark.django_db
def test_the_staff_login_links_to_its_fields(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    opening, targets = summary(response)
    assert 'tabindex="-1"' in opening
    assert "autofocus" in opening
    assert targets == ["id_username", "id_password"]
    assert_targets_exist(response, targets)


@pytest.mark.django_db
def test_a_wrong_password_is_named_in_the_summary(client, curator_a):
    response = client.post(reverse("login"), {"username": "curator-a", "password": "not-this"})
    _, targets = summary(response)
    assert targets == []  # a message for the whole form: no field to link to
    assert "error-summary__list" in response.content.decode()


@pytest.mark.django_db
def test_a_problem_report_links_to_the_first_choice_of_its_radios(client, library_a, team_a):
    resource = ResourceFactory(library=library_a, team=team_a, status=Status.PUBLISHED)
    response = client.post(reverse("resources:report", args=[resource.slug]), {"message": "Hm"})
    _, targets = summary(response)
    assert targets == ["id_kind_0"]
    assert_targets_exist(response, targets)


@pytest.mark.django_db
def test_the_staff_sharing_form_links_to_its_fields(client, curator_a):
    client.force_login(curator_a)
    response = client.post(reverse("staff:experience-create"), {"title": ""})
    _, targets = summary(response)
    assert "id_title" in targets
    assert_targets_exist(response, targets)


@pytest.mark.django_db
def test_the_self_assessment_links_to_the_unanswered_statement(client, curator_a):
    questionnaire = QuestionnaireFactory()
    statement = StatementFactory(dimension__questionnaire=questionnaire)
    client.force_login(curator_a)
    response = client.post(reverse("staff:questionnaire", args=[questionnaire.slug]), {"team": ""})
    _, targets = summary(response)
    assert f"id_statement_{statement.pk}_0" in targets
    assert_targets_exist(response, targets)


@pytest.mark.django_db
def test_a_page_without_errors_has_no_summary(client):
    assert "error-summary" not in client.get(reverse("login")).content.decode()
