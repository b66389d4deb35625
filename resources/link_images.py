"""Pictures for resources that have none: the image a resource's web page names for sharing (``og:image``).

The nightly link check (``check_published_links``) asks, for each published resource without an image whose
address works, for the start of the page (``PAGE_BYTES``), reads its ``og:image`` (and ``og:image:alt``), and
fetches that picture with the same checker: the same timeout, host limits and address rules (never a private
network), at most ``UPLOAD_MAX_MB``. What arrives must be a picture by its content (``teams.images``) and is
stored as a WebP like an upload. An image already there, uploaded or fetched, is never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError

from resources.links import LinkChecker
from teams.images import store_unless_present

# How much of a page is read to find its og:image: the head of any real page fits.
PAGE_BYTES = 512 * 1024


@dataclass(frozen=True)
class LinkImage:
    data: bytes
    alt: str


class _SharingTags(HTMLParser):
    """The first og:image (or og:image:url / og:image:secure_url) and og:image:alt of a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.image = ""
        self.alt = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta":
            return
        values = dict(attrs)
        name = (values.get("property") or values.get("name") or "").strip().lower()
        content = (values.get("content") or "").strip()
        if name in ("og:image", "og:image:url", "og:image:secure_url") and not self.image:
            self.image = content
        elif name == "og:image:alt" and not self.alt:
            self.alt = content


def sharing_image(html: str, *, base: str) -> tuple[str, str]:
    """The absolute address of the page's og:image and its alt text; ("", "") when it names none."""
    parser = _SharingTags()
    parser.feed(html)
    parser.close()
    return (urljoin(base, parser.image), parser.alt) if parser.image else ("", "")


def link_image(checker: LinkChecker, url: str) -> LinkImage | None:
    """The og:image of the page at ``url``, if it names one that can be fetched whole."""
    page = checker.get(url, limit=PAGE_BYTES)
    if page is None or "html" not in page.content_type.lower():
        return None
    address, alt = sharing_image(page.body.decode("utf-8", "replace"), base=page.url)
    if not address:
        return None
    picture = checker.get(address, limit=settings.UPLOAD_MAX_MB * 1024 * 1024)
    if picture is None or not picture.complete:
        return None
    return LinkImage(picture.body, alt)


def store_link_image(*, resource_id: int, slug: str, image: LinkImage) -> bool:
    """Store ``image`` as the resource's picture unless it has one by now; whether it was stored.

    Like link health, this is the checker's state, not an edit: no new version or history entry.
    """
    from resources.models import Resource

    try:
        return store_unless_present(
            Resource.objects.filter(pk=resource_id),
            field="image",
            data=image.data,
            name=slug,
            image_alt=image.alt[:250],
        )
    except ValidationError:
        return False
