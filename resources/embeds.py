"""Delarum inside other sites: the embeddable offer list (``/embed/``) and oEmbed for resource and offer pages.

Only the pages under ``/embed/`` may be framed, by the sites in ``EMBED_ALLOWED_ORIGINS`` (any by default);
every other page keeps refusing frames (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

from csp.constants import SELF
from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from resources.models import Resource, SchoolOffer
from resources.offers.forms import OfferSearchForm
from resources.offers.selectors import with_next_free_session

EMBED_SIZE = 10  # offers in an embedded list; a link leads to the rest
OFFER_WIDTH, OFFER_HEIGHT = 600, 420  # the iframe oEmbed offers for one offer, unless the consumer asks smaller
LIST_HEIGHT = 600
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
PROVIDER_NAME = "Delarum"


def frame_ancestors() -> list[str]:
    """Who may frame ``/embed/``: any site, or Delarum itself (the staff preview) and the configured ones."""
    origins = settings.EMBED_ALLOWED_ORIGINS
    return ["*"] if origins == ["*"] else [SELF, *origins]


def embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Lets the page be framed by ``frame_ancestors()``, in the language ``?lang=`` names."""

    @xframe_options_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request.GET.get("lang") or settings.LANGUAGE_CODE
        if language not in LANGUAGE_CODES:
            language = settings.LANGUAGE_CODE
            response = HttpResponse(
                _("The language “%(lang)s” is not one Delarum speaks; use one of %(codes)s.")
                % {"lang": request.GET["lang"], "codes": ", ".join(LANGUAGE_CODES)},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        else:
            with translation.override(language):
                request.LANGUAGE_CODE = language
                response = view(request, *args, **kwargs)
        response._csp_replace = {"frame-ancestors": frame_ancestors()}  # type: ignore[attr-defined]
        response.headers.setdefault("Content-Language", language)
        return response

    return wrapped


def embed_url(request: HttpRequest, params: dict[str, str]) -> str:
    """The absolute address of the embedded offer list with these filters (empty ones left out)."""
    query = urlencode({key: value for key, value in params.items() if value})
    return request.build_absolute_uri(reverse("embed-offers")) + (f"?{query}" if query else "")


def iframe_html(src: str, *, title: str, width: int | str, height: int) -> str:
    """The ``<iframe>`` a partner site pastes, as the staff page and oEmbed give it."""
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy"></iframe>',
        src,
        title,
        width,
        height,
    )


def _offer_list_query(params: QueryDict) -> str:
    query = params.copy()
    query.pop("lang", None)
    return query.urlencode()


@embeddable
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    """The offer page's list, compact, with its filters (``?municipality=malmo&year=8&subject=...&lang=da``)."""
    form = OfferSearchForm.of(request.GET, language=request.LANGUAGE_CODE)
    search = form.search() if form.is_valid() else None
    query = _offer_list_query(request.GET)
    context = {
        "offers": search.page(0, EMBED_SIZE) if search else [],
        "search": search,
        "form": form,
        "more_url": request.build_absolute_uri(reverse("offers:list")) + (f"?{query}" if query else ""),
    }
    return render(request, "resources/embed/offers.html", context, status=200 if search else 400)


@embeddable
@require_GET
def offer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One offer, as the embedded list shows it (the iframe oEmbed gives for an offer's page)."""
    offer = get_object_or_404(with_next_free_session(SchoolOffer.objects.published()), slug=slug)
    context = {"offers": [offer], "single": True, "more_url": request.build_absolute_uri(offer.get_absolute_url())}
    return render(request, "resources/embed/offers.html", context)


# oEmbed (https://oembed.com/) -------------------------------------------------------------------------------


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _page_object(request: HttpRequest, url: str) -> tuple[Model, str] | None:
    """The published resource or offer a page address of this site names, and the page's language."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.get_host().lower():
        return None
    language = translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # i18n_patterns match the active language's prefix only
            match = resolve(parts.path)
    except Resolver404:
        return None
    models: dict[str, Any] = {"resources:detail": Resource, "offers:detail": SchoolOffer}
    if (model := models.get(match.view_name)) is None:
        return None
    found = model.objects.published().select_related("library").filter(slug=match.kwargs.get("slug")).first()
    return (found, language) if found is not None else None


def _size(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name) or ""
    if not raw:
        return default
    if not raw.isdigit() or int(raw) == 0:
        raise ValueError(
            _("%(name)s must be a whole number of pixels, not “%(value)s”.") % {"name": name, "value": raw}
        )
    return min(default, int(raw))


def _description(request: HttpRequest, obj: Any, language: str) -> dict[str, Any]:
    library = obj.library
    answer: dict[str, Any] = {
        "version": "1.0",
        "title": obj.title,
        "provider_name": PROVIDER_NAME,
        "provider_url": request.build_absolute_uri("/"),
        "author_name": library.name,
        "author_url": request.build_absolute_uri(library.get_absolute_url()),
    }
    if isinstance(obj, Resource):
        return {**answer, "type": "link"}
    width, height = _size(request, "maxwidth", OFFER_WIDTH), _size(request, "maxheight", OFFER_HEIGHT)
    src = request.build_absolute_uri(reverse("embed-offer", kwargs={"slug": obj.slug})) + f"?lang={language}"
    html = iframe_html(src, title=f"{obj.title} – {PROVIDER_NAME}", width=width, height=height)
    return {**answer, "type": "rich", "html": html, "width": width, "height": height}


def _xml(answer: dict[str, Any]) -> HttpResponse:
    root = ElementTree.Element("oembed")
    for key, value in answer.items():
        ElementTree.SubElement(root, key).text = str(value)
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """``/oembed?url=<a resource or offer page>&format=json`` (or ``xml``): "link" for a resource, "rich" (the
    embedded offer) for an offer. Another site's address, another page, or an unpublished one: 404."""
    output = request.GET.get("format") or "json"
    if output not in ("json", "xml"):
        return _plain(_("The format “%(format)s” is not supported; ask for json or xml.") % {"format": output}, 501)
    if not (url := request.GET.get("url", "").strip()):
        return _plain(_("Name the page to embed with ?url=."), 404)
    if (found := _page_object(request, url)) is None:
        return _plain(_("No published resource or school offer of this site has that address."), 404)
    obj, language = found
    with translation.override(language):
        try:
            answer = _description(request, obj, language)
        except ValueError as error:
            return _plain(str(error), 400)
    return _xml(answer) if output == "xml" else JsonResponse(answer)


def discovery_links(request: HttpRequest) -> list[dict[str, str]]:
    """The ``<link rel="alternate">`` that tell oEmbed consumers where this page's description is."""
    endpoint = request.build_absolute_uri(reverse("oembed"))
    page = request.build_absolute_uri(request.path)
    return [
        {"type": f"{kind}+oembed", "href": f"{endpoint}?{urlencode({'url': page, 'format': output})}"}
        for kind, output in (("application/json", "json"), ("text/xml", "xml"))
    ]
