"""What every API answer shares, in one middleware for the paths under /api/: a per-address rate limit, CORS open
for reading, the language of the labels, answers kept in the cache while the catalogue is unchanged, ETag and
Last-Modified with conditional GET, and errors as problem+json (Django's own 404s too)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation.trans_real import parse_accept_lang_header

from resources.api import problems
from resources.ratelimit import over_limit
from resources.selectors import catalogue_version

PREFIX = "/api/"
RATE_WINDOW_SECONDS = 60
# Answers made only of the catalogue (resources, their areas and tags), kept while its version is unchanged.
CATALOGUE_PATHS = ("/api/v1/resources", "/api/v1/areas")
ANSWER_CACHE_SECONDS = 300
# How long the cache remembers when an address's answer last changed (for Last-Modified).
CHANGED_SECONDS = 7 * 24 * 3600
LANGUAGES = [code for code, _name in settings.LANGUAGES]
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After, Content-Language",
    "Access-Control-Max-Age": "86400",
}


def language_of(request: HttpRequest) -> str:
    """``?lang=`` when it is one of the interface languages, else what Accept-Language prefers, else Swedish.
    (A wrong ``lang`` is refused by the operation's parameters.)"""
    chosen = request.GET.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    # Not the language cookie of the site's pages: an answer varies by Accept-Language alone (Vary says so).
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        language = language_of(request)
        head = request.method == "HEAD"
        if head:  # answered as GET, without the body
            request.method = "GET"
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self._answer(request, language)
            if response.status_code in {404, 405} and response.get("Content-Type") != problems.PROBLEM_JSON:
                # Django's own answers (an address no operation has, a method no operation takes).
                response = problems.not_found() if response.status_code == 404 else problems.method_not_allowed()
        for header, value in CORS_HEADERS.items():
            response[header] = value
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        if head:
            response.content = b""
        return response

    def _answer(self, request: HttpRequest, language: str) -> HttpResponse:
        if request.method == "OPTIONS":
            return HttpResponse(status=204)
        limit = settings.API_RATE_LIMIT
        if over_limit(request, scope="api", limit=limit, window_seconds=RATE_WINDOW_SECONDS):
            return problems.too_many_requests(limit=limit, seconds=RATE_WINDOW_SECONDS)
        address = _digest(f"{language}:{request.get_full_path()}")
        cached_key = None
        if request.method == "GET" and request.path.startswith(CATALOGUE_PATHS):
            request.catalogue_version = version = catalogue_version()  # type: ignore[attr-defined]
            cached_key = f"api:answer:{version}:{address}"
            if (cached := cache.get(cached_key)) is not None:
                status, content_type, content = cached
                return self._conditional(
                    request, HttpResponse(content, status=status, content_type=content_type), address
                )
        response = self.get_response(request)
        if cached_key and response.status_code == 200:
            cache.set(cached_key, (200, response["Content-Type"], response.content), ANSWER_CACHE_SECONDS)
        return self._conditional(request, response, address)

    def _conditional(self, request: HttpRequest, response: HttpResponse, address: str) -> HttpResponse:
        """ETag (the answer's digest) and Last-Modified (when this address's answer last changed, as the cache
        saw it), and 304 when the client already has this answer."""
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return response
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        key = f"api:changed:{address}"
        seen = cache.get(key)
        if seen is None or seen[0] != etag:
            seen = (etag, int(time.time()))
            cache.set(key, seen, CHANGED_SECONDS)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(seen[1])
        response["Cache-Control"] = "public, no-cache"
        return get_conditional_response(request, etag=etag, last_modified=seen[1], response=response) or response
