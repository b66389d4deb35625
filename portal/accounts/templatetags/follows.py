"""``{% follow_button "area" area %}``: the button that follows a thing (POST, no JavaScript needed).

Signed out, it is a link to the sign-in page that comes back here: the anonymous page stays the same for everyone,
so the page cache may keep it, and it holds no CSRF token. Signed in, one query asks whether the person follows.
"""

from __future__ import annotations

from typing import Any

from django import template

from portal.accounts.kinds import KINDS
from portal.accounts.selectors import is_following

register = template.Library()


@register.inclusion_tag("accounts/_follow_button.html", takes_context=True)
def follow_button(context: Any, kind_key: str, target: Any = None, query: str = "") -> dict[str, Any]:
    request = context["request"]
    kind = KINDS[kind_key]
    user = request.user
    shown = not kind.staff_only or (user.is_authenticated and kind.may_follow(user, target))
    target_id = getattr(target, "pk", None)
    return {
        "shown": shown,
        "signed_in": user.is_authenticated,
        "kind": kind,
        "target_id": target_id,
        "query": query,
        "following": shown and is_following(user, kind=kind.key, target_id=target_id, query=query) is not None,
        "next": request.get_full_path(),
    }
