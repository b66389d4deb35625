"""Pictures on public pages: a resource's image, a library's logo.

Whatever arrives (an upload in the admin, or the ``og:image`` the link checker found) passes the upload checks
of ``teams.uploads`` (its content, its name, ``UPLOAD_MAX_MB``), must be a PNG, JPEG, GIF or WebP that Pillow
can read, and is stored as a WebP of a set width with the height kept in proportion. Only the WebP is kept, so
no uploaded bytes are ever served again. The stored width and height are model fields, so pages give every
``<img>`` its size and nothing moves while pictures load.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from teams.uploads import GIF, JPEG, PNG, WEBP, FileKind, MarkupError, sniff, validate_upload

IMAGE_KINDS = (PNG, JPEG, GIF, WEBP)
WEBP_QUALITY = 80
# Larger pictures are refused before they are decoded (a small file can unpack to gigabytes).
MAX_PIXELS = 40_000_000
# Taller than this many widths is a strip, not a picture for a card.
MAX_TALLNESS = 3


@dataclass(frozen=True)
class WebP:
    content: ContentFile
    width: int
    height: int


def not_an_image() -> ValidationError:
    return ValidationError(
        _("This is not a picture we can show. Use a PNG, JPEG, GIF or WebP image."), code="image_kind"
    )


def webp_of(file: IO[bytes], *, width: int, name: str = "image") -> WebP:
    """The picture in ``file`` as a WebP ``width`` pixels wide; ValidationError if it is not one we take."""
    if sniff_image(file) is None:
        raise not_an_image()
    try:
        with Image.open(file) as opened:
            if opened.width * opened.height > MAX_PIXELS or opened.height > MAX_TALLNESS * opened.width:
                raise ValidationError(
                    _(
                        "The picture is %(width)s × %(height)s pixels; pictures may have at most 40 million "
                        "pixels and be at most three times as tall as they are wide."
                    ),
                    code="image_size",
                    params={"width": opened.width, "height": opened.height},
                )
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image() from None
    finally:
        file.seek(0)
    picture = picture.convert("RGBA" if picture.has_transparency_data else "RGB")
    height = max(1, round(picture.height * width / picture.width))
    picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    stem = PurePosixPath(name).stem or "image"
    return WebP(ContentFile(buffer.getvalue(), name=f"{stem}.webp"), width, height)


def sniff_image(file: IO[bytes]) -> FileKind | None:
    """The image kind the content is (PNG, JPEG, GIF, WebP), or None for anything else, markup included."""
    try:
        kind = sniff(file)
    except MarkupError:  # an SVG or a web page
        return None
    return kind if kind in IMAGE_KINDS else None


def store_unless_present(rows: models.QuerySet[Any], *, field: str, data: bytes, name: str, **values: Any) -> bool:
    """Store the picture in ``data`` as the WebP of ``field`` on the row of ``rows`` that has none yet (with
    ``values`` beside it), without a new version or history entry; whether it was stored.

    An image already there, uploaded meanwhile too, wins: the update is conditional. ValidationError when
    ``data`` is not a picture we take.
    """
    target = cast(WebPImageField, rows.model._meta.get_field(field))
    webp = webp_of(io.BytesIO(data), width=target.webp_width, name=name)
    stored = default_storage.save(target.generate_filename(None, webp.content.name or "image.webp"), webp.content)
    size = {target.width_field: webp.width, target.height_field: webp.height}  # type: ignore[attr-defined]
    changed = rows.filter(**{field: ""}).update(**{field: stored, **size}, **values)
    if not changed:
        default_storage.delete(stored)
    return bool(changed)


class WebPFormField(forms.FileField):
    """An upload that leaves the form as a WebP of the model field's width, after the upload checks."""

    def __init__(self, *, width: int, **kwargs: Any) -> None:
        self.width = width
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"})
        )
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        upload = super().to_python(data)
        if upload is None:
            return None
        validate_upload(upload)  # size first, before anything is decoded; then content and name
        return webp_of(upload, width=self.width, name=upload.name or "image").content


class WebPImageField(models.ImageField):
    """An optional picture stored as a WebP ``width`` pixels wide, with its stored size in two fields."""

    def __init__(self, *args: Any, width: int = 640, **kwargs: Any) -> None:
        self.webp_width = width
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["width"] = self.webp_width
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(**{"form_class": WebPFormField, "width": self.webp_width, **kwargs})
