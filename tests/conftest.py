"""Shared fixtures. The database is the embedded PostgreSQL server (or DATABASE_URL's), never SQLite."""

from __future__ import annotations

import pytest
from django.utils import translation

from teams.access import COORDINATORS_GROUP, CURATORS_GROUP, TEAM_LEADS_GROUP
from teams.models import Role
from teams.roles import ensure_role_groups
from tests.factories import LearningTeamFactory, LibraryFactory, MembershipFactory, UserFactory
from tests.jobs import Jobs, free_port


@pytest.fixture(autouse=True)
def _swedish_by_default():
    # Code outside a request (models' __str__, admin labels) runs in the default language.
    with translation.override("sv"):
        yield


# The people of the staff-facing tests: two libraries, a team at each, and one person per role.


@pytest.fixture
def roles(db):
    return ensure_role_groups()


@pytest.fixture
def library_a(db):
    return LibraryFactory(name="Malmö stadsbibliotek", slug="malmo")


@pytest.fixture
def library_b(db):
    return LibraryFactory(name="Dokk1", slug="dokk1", country="DK")


@pytest.fixture
def team_a(library_a):
    return LearningTeamFactory(name="Lärteam Syd", slug="larteam-syd", libraries=[library_a])


@pytest.fixture
def team_b(library_b):
    return LearningTeamFactory(name="Læringsteam Aarhus", slug="aarhus", libraries=[library_b])


@pytest.fixture
def curator_a(roles, library_a, team_a):
    user = UserFactory(username="curator-a", library=library_a)
    user.groups.add(roles[CURATORS_GROUP])
    MembershipFactory(user=user, team=team_a, role=Role.CURATOR)
    return user


@pytest.fixture
def curator_b(roles, library_b, team_b):
    user = UserFactory(username="curator-b", library=library_b)
    user.groups.add(roles[CURATORS_GROUP])
    MembershipFactory(user=user, team=team_b, role=Role.CURATOR)
    return user


@pytest.fixture
def lead_a(roles, library_a, team_a):
    user = UserFactory(username="lead-a", library=library_a)
    user.groups.add(roles[TEAM_LEADS_GROUP])
    MembershipFactory(user=user, team=team_a, role=Role.LEAD)
    return user


@pytest.fixture
def coordinator(roles, library_b):
    user = UserFactory(username="coordinator", library=library_b)
    user.groups.add(roles[COORDINATORS_GROUP])
    return user


@pytest.fixture
def patron(db):
    """Someone with an account who is not staff."""
    return UserFactory(username="patron", is_staff=False, library=None)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True)


@pytest.fixture
def jobs(transactional_db):
    """The task queue, run for real (tests/jobs.py); the test is transactional so the worker sees its data."""
    queue = Jobs()
    queue.clear()
    yield queue
    queue.clear()


@pytest.fixture
def smtp(settings):
    """Mail goes over SMTP to 127.0.0.1:<port>; start a server there with tests.jobs.smtp_server(port)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 5
    return settings.EMAIL_PORT
