"""Pictures made with Pillow for the tests (nothing is downloaded)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture(width: int = 1200, height: int = 800, kind: str = "PNG", colour: str = "#2a7f62") -> bytes:
    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 40):  # some stripes, so that the encoder has something to keep
        image.paste("#f2c14e", (x, 0, min(width, x + 20), height))
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def upload(name: str = "bild.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture() if content is None else content)


def opened(data: bytes) -> Image.Image:
    """The stored bytes as Pillow reads them (the format and size are read from the content)."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def give_picture(obj, field: str = "image", *, alt: str = "", **size) -> None:
    """Store a picture on ``obj`` as the admin would: a WebP of the field's width, with its size."""
    from teams.images import webp_of

    width = obj._meta.get_field(field).webp_width
    setattr(obj, field, webp_of(io.BytesIO(picture(**size)), width=width, name=f"{obj.slug}.png").content)
    if alt:
        obj.image_alt = alt
    obj.save()
