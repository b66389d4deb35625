from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

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
