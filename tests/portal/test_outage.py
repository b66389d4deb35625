"""A database that cannot be reached: every page answers 503 with Retry-After and a translated page that needs no
database, and the site recovers by itself when the database is back.

The database is made really unreachable: the requests run in a thread of their own (so with a connection of their
own, not the test's transaction), while the connection settings point at a port nothing listens on.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection, connections
from django.test import Client
from django.utils import translation

from portal.middleware import RETRY_AFTER_SECONDS, database_unreachable

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "/health/", None),
    ("get", "/sv/", "sv"),
    ("get", "/da/resources/?q=bibliotek", "da"),
    ("get", "/nb/offers/", "nb"),
    ("get", "/en/staff/exchange/", "en"),
    ("post", "/sv/offers/kallkritik/request/", "sv"),
]


@pytest.fixture
def worker() -> Iterator[Callable[..., Any]]:
    """Runs a function in one other thread, which keeps its own database connection between calls."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield lambda function, *args: pool.submit(function, *args).result()
        pool.submit(connections.close_all).result()


@contextmanager
def unreachable_database() -> Iterator[None]:
    """New connections go to a local port that was just closed: refused, as when the server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with mock.patch.dict(connections.settings["default"], {"HOST": "127.0.0.1", "PORT": str(port)}):
        yield


def request(method: str, path: str) -> Any:
    client = Client()
    # As a signed-in person: the staff pages read the session from the database.
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    return getattr(client, method)(path)


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize(("method", "path", "language"), PAGES)
def test_every_page_answers_503_while_the_database_cannot_be_reached(worker, method, path, language):
    with unreachable_database():
        response = worker(request, method, path)

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    language = language or "sv"
    assert f'<html lang="{language}">' in content
    assert translated("The site cannot reach its database just now.", language) in content


def served(address: str) -> int:
    """The status of a GET as the WSGI handler gunicorn runs answers it: unlike the test client, it closes broken
    connections when a request starts and ends, as in production."""
    path, _, query = address.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}
    setup_testing_defaults(environ)
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(int(status[:3])))
    try:
        b"".join(response)
    finally:
        response.close()
    return statuses[0]


def test_a_connection_lost_while_idle_gives_503_then_the_site_recovers_by_itself(worker):
    assert worker(served, "/health/") == 200
    pid = worker(backend_pid)

    with unreachable_database():
        # The server ends the connection the worker keeps open (as a restart would) and takes no new ones.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
        assert worker(served, "/sv/resources/") == 503
        assert worker(served, "/health/") == 503

    assert worker(served, "/sv/resources/") == 200
    assert worker(served, "/health/") == 200
    assert worker(backend_pid) != pid


def test_other_database_errors_are_not_taken_for_an_outage():
    # A query the server refuses (here: cancelled by a statement timeout) is a bug to hear about, not an outage.
    with pytest.raises(OperationalError) as raised, connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 1; SELECT pg_sleep(1)")
    assert not database_unreachable(raised.value)
