from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_info, gettext, gettext_noop

SITE_DESCRIPTION = gettext_noop(
    "Open learning resources, gathered and curated by public and school libraries in Sweden, Denmark and Norway."
)

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context: dict[str, Any]) -> list[dict[str, str]]:
    """The current page in every interface language: for the switcher and hreflang links."""
    request = context.get("request")
    if request is None:
        return []
    path = request.get_full_path()
    alternates = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        alternates.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
            }
        )
    return alternates


@register.simple_tag
def active_filter_count(facets: list[Any]) -> int:
    """How many filters the visitor has chosen among the facets: "Filter (3)"."""
    return sum(value.selected for group in facets for value in group.values)


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: Any = None) -> dict[str, Any]:
    """The GOV.UK error summary for a form sent back with errors: one link per field, to the field itself.

    ``base.html`` shows it at the top of every page for the page's ``form``, so no form template repeats it.
    """
    if form is None or not getattr(form, "errors", None):
        return {"errors": []}
    errors = [{"message": message, "target": ""} for message in form.non_field_errors()]
    for field in form.hidden_fields():
        errors += [{"message": message, "target": ""} for message in field.errors]
    for field in form.visible_fields():
        # A field of radios or checkboxes has no element of its own to focus: its first choice stands for it.
        target = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
        errors += [{"message": message, "target": target} for message in field.errors]
    return {"errors": errors}


# The territory each interface language is read in, as Open Graph writes a locale (sv_SE).
OG_LOCALES = {"sv": "sv_SE", "da": "da_DK", "nb": "nb_NO", "en": "en_GB"}


@register.inclusion_tag("includes/share.html", takes_context=True)
def share_tags(
    context: dict[str, Any],
    title: str = "",
    description: str = "",
    image: Any = None,
    width: int | None = None,
    height: int | None = None,
    alt: str = "",
    kind: str = "website",
) -> dict[str, Any]:
    """Open Graph and Twitter card tags for the page: what a shared link's preview shows.

    Pages give their own title, description and picture (a stored image with its size); the others share the
    site's. The address is the page's canonical one: no query string.
    """
    request = context.get("request")
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "title": title or "Delarum",
        "description": description or gettext(SITE_DESCRIPTION),
        "url": request.build_absolute_uri(request.path) if request else "",
        "kind": kind,
        "image": request.build_absolute_uri(image.url) if image and request else "",
        "width": width,
        "height": height,
        "alt": alt,
        "locale": OG_LOCALES.get(language, OG_LOCALES["sv"]),
        "alternates": [locale for code, locale in OG_LOCALES.items() if code != language],
    }
