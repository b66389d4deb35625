"""Errors as ``application/problem+json`` (RFC 9457): a type, a title, the status, a sentence saying what went wrong,
and for bad parameters one entry per parameter, every message in the request's language."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

PROBLEM_JSON = "application/problem+json"
# Problem types: URNs, since they name a kind of problem rather than a page to read.
INVALID_PARAMETERS = "urn:delarum:problem:invalid-parameters"
NOT_FOUND = "urn:delarum:problem:not-found"
TOO_MANY_REQUESTS = "urn:delarum:problem:too-many-requests"
METHOD_NOT_ALLOWED = "urn:delarum:problem:method-not-allowed"


class InvalidParameters(Exception):
    """Raised by an operation whose parameters the search form refused: parameter name -> messages."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        super().__init__(dict(errors))
        self.errors = {name: [str(message) for message in messages] for name, messages in errors.items()}


def problem(status: int, *, type: str, title: str, detail: str, **extra: Any) -> HttpResponse:
    body = {"type": type, "title": title, "status": status, "detail": detail, **extra}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_JSON)


def invalid_parameters(errors: Mapping[str, Sequence[str]]) -> HttpResponse:
    listed = [{"parameter": name, "detail": " ".join(messages)} for name, messages in errors.items()]
    names = ", ".join(errors)
    return problem(
        400,
        type=INVALID_PARAMETERS,
        title=_("Some parameters are not valid."),
        detail=_("Correct these parameters and ask again: %(names)s.") % {"names": names},
        errors=listed,
    )


def not_found() -> HttpResponse:
    return problem(
        404,
        type=NOT_FOUND,
        title=_("Not found"),
        detail=_("Nothing public has this address. Lists of what there is are under /api/v1/."),
    )


def too_many_requests(*, limit: int, seconds: int) -> HttpResponse:
    response = problem(
        429,
        type=TOO_MANY_REQUESTS,
        title=_("Too many requests"),
        detail=_("Your address has made more than %(limit)s requests in a minute. Please wait %(seconds)s seconds.")
        % {"limit": limit, "seconds": seconds},
    )
    response["Retry-After"] = str(seconds)
    return response


def method_not_allowed() -> HttpResponse:
    response = problem(
        405,
        type=METHOD_NOT_ALLOWED,
        title=_("Method not allowed"),
        detail=_("The API only reads: ask with GET."),
    )
    response["Allow"] = "GET, HEAD, OPTIONS"
    return response


# Pydantic's error types for the declared parameters, as a sentence a person can act on.
def parameter_message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Give a whole number.")
    if kind == "greater_than_equal":
        return _("Give a number of at least %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Give a number of at most %(limit)s.") % {"limit": context.get("le")}
    if kind == "string_too_long":
        return _("Give at most %(limit)s characters.") % {"limit": context.get("max_length")}
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind.startswith("date"):
        return _("Give a date as YYYY-MM-DD.")
    return _("This value is not valid.")
