"""Pictures for the demo data, drawn with Pillow when ``seed_demo`` runs (nothing is downloaded).

A few resources get a cover and every library a logo: a coloured field with shapes and the initials, so that
``make run`` shows cards, resource pages, library pages and offers with pictures. A rerun keeps what is there.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from PIL import Image, ImageDraw, ImageFont

from resources.models import Resource
from teams.images import store_unless_present
from teams.models import Library

# Muted colours that keep white text readable (contrast above 4.5:1).
PALETTE = ["#1f5f8b", "#2a6f4f", "#8a3b12", "#5b3f8c", "#7a2e4d", "#3d5a1e"]
DEMO_RESOURCE_IMAGES = 8


def initials(name: str) -> str:
    """Up to two initials in Latin letters (the drawing font has no others); "D" for Delarum otherwise."""
    return "".join(word[0] for word in name.split()[:2] if word[:1].isascii() and word[:1].isalnum()).upper() or "D"


def drawn(name: str, *, number: int, size: tuple[int, int]) -> bytes:
    """A PNG of ``size``: a field in the palette's ``number``-th colour, three circles, the name's initials."""
    width, height = size
    colour = PALETTE[number % len(PALETTE)]
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for step in range(3):
        radius = height // (2 + step)
        x, y = width * (step + 1) // 4, height // 2 + (step - 1) * height // 6
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline="#ffffff", width=max(2, height // 60))
    font = ImageFont.load_default(size=height // 3)
    draw.text((width // 2, height // 2), initials(name), fill="#ffffff", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def give_demo_pictures(*, resources: Iterable[Resource], libraries: Iterable[Library]) -> int:
    """Covers for the first published resources and logos for the libraries that have none; how many were drawn."""
    count = 0
    covers = [resource for resource in resources if resource.status == "published"][:DEMO_RESOURCE_IMAGES]
    for number, resource in enumerate(covers):
        if not resource.image:
            count += store_unless_present(
                Resource.objects.filter(pk=resource.pk),
                field="image",
                data=drawn(resource.title, number=number, size=(1200, 675)),
                name=resource.slug,
                # Decorative: the title beside it says everything the picture does.
                image_alt="",
            )
    for number, library in enumerate(libraries):
        if not library.logo:
            count += store_unless_present(
                Library.objects.filter(pk=library.pk),
                field="logo",
                data=drawn(library.name, number=number + 3, size=(640, 320)),
                name=library.slug,
            )
    return count
