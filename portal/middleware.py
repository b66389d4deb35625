"""A database that cannot be reached answers 503, with Retry-After and a page that needs no database.

Django reconnects by itself once the server is back (``CONN_HEALTH_CHECKS``, and a connection that failed is
closed at the end of its request), so this only has to say so politely while it is away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# SQLSTATEs that mean the server is going away or not taking connections (classes 08, 57P and 53300); any other
# code is a statement the server refused (a timeout, a deadlock), which is an error, not an outage.
UNREACHABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300")


def database_unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached (rather than that it refused a statement)."""
    if isinstance(error, InterfaceError):
        return True  # "connection already closed"
    if not isinstance(error, OperationalError):
        return False
    # Failures to connect or a connection lost carry no SQLSTATE: the server never answered.
    # psycopg 3 (Django's driver while it is installed, as the task queue needs) names it sqlstate, psycopg2 pgcode.
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state is None or state.startswith(UNREACHABLE_STATES)


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unreachable(exception):
            return None
        logger.error("The database cannot be reached: %s", exception)
        # Rendered without the request, so that no context processor asks the database for anything.
        content = render_to_string("503.html", {"path": request.get_full_path()})
        response = HttpResponse(content, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
