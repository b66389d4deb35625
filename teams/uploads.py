"""What may be uploaded, told by the file's content and never by its name, and how it is served again.

A small allow-list: PDF, PNG, JPEG, GIF and WebP images, UTF-8 text (CSV too), OpenDocument and Office
documents, EPUB, and MP3, MP4, Ogg and WebM audio and video. SVG and HTML are refused whatever they are
called, because a browser runs the scripts inside them. A file's name must end as its content says, so a
PNG called ``page.html`` is refused too. ``UPLOAD_MAX_MB`` caps the size, checked before anything is read.

Only images, PDF, audio and video are shown in the browser (``FileKind.inline``); everything else is
served as a download (portal/media.py).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SNIFF_BYTES = 2048


@dataclass(frozen=True)
class FileKind:
    label: str | Promise
    content_type: str
    extensions: tuple[str, ...]
    inline: bool = False


PDF = FileKind("PDF", "application/pdf", (".pdf",), inline=True)
PNG = FileKind("PNG", "image/png", (".png",), inline=True)
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"), inline=True)
GIF = FileKind("GIF", "image/gif", (".gif",), inline=True)
WEBP = FileKind("WebP", "image/webp", (".webp",), inline=True)
MP3 = FileKind("MP3", "audio/mpeg", (".mp3",), inline=True)
MP4 = FileKind("MP4", "video/mp4", (".mp4", ".m4a", ".m4v"), inline=True)
OGG = FileKind("Ogg", "audio/ogg", (".ogg", ".oga", ".ogv", ".opus"), inline=True)
WEBM = FileKind("WebM", "video/webm", (".webm",), inline=True)
TEXT = FileKind(_("plain text"), "text/plain; charset=utf-8", (".txt", ".csv", ".tsv", ".md"))
EPUB = FileKind("EPUB", "application/epub+zip", (".epub",))
# OpenDocument files name their type in a first, uncompressed entry called "mimetype".
OPENDOCUMENT = {
    kind.content_type: kind
    for kind in [
        FileKind("OpenDocument", "application/vnd.oasis.opendocument.text", (".odt",)),
        FileKind("OpenDocument", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
        FileKind("OpenDocument", "application/vnd.oasis.opendocument.presentation", (".odp",)),
        EPUB,
    ]
}
# Office Open XML files hold [Content_Types].xml and their parts in a folder named for the program.
OFFICE = {
    "word/": FileKind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xl/": FileKind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "ppt/": FileKind(
        "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)
    ),
}
# How a browser recognises markup (the WHATWG MIME sniffing standard), plus SVG and XML.
MARKUP_STARTS = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div", b"<font", b"<table", b"<a",
    b"<style", b"<title", b"<b", b"<body", b"<br", b"<p", b"<!--", b"<?xml", b"<svg",
)  # fmt: skip
MARKUP_ANYWHERE = (b"<script", b"<svg", b"<html", b"<iframe")


class MarkupError(ValueError):
    """The file is a web page, an SVG image or other markup a browser would run."""


def _sniff_bytes(head: bytes) -> FileKind | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    # An ID3 tag, or straight away an MPEG layer III frame (11 sync bits, then a version that is not reserved).
    if head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE6 == 0xE2 and head[1] & 0x18 != 0x08
    ):
        return MP3
    if head[4:8] == b"ftyp":
        return MP4
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    return None


def _sniff_zip(file: IO[bytes]) -> FileKind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return OPENDOCUMENT.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                return next((kind for folder, kind in OFFICE.items() if any(n.startswith(folder) for n in names)), None)
    except (zipfile.BadZipFile, OSError, RuntimeError):  # RuntimeError: an encrypted entry
        return None
    return None


def _sniff_text(head: bytes, complete: bool) -> FileKind | None:
    if b"\0" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a character; anything before its last three bytes must be UTF-8.
        if complete or error.start < len(head) - 3:
            return None
    lowered = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    starts_as_markup = any(
        lowered.startswith(start) and lowered[len(start) : len(start) + 1] in (b" ", b">", b"\t", b"\n", b"\r", b"")
        for start in MARKUP_STARTS
    )
    if starts_as_markup or any(marker in lowered for marker in MARKUP_ANYWHERE):
        raise MarkupError
    return TEXT


def sniff(file: IO[bytes]) -> FileKind | None:
    """The allowed kind the content is, or None; the file is read from the start and left there.

    Raises MarkupError for HTML, SVG and other markup.
    """
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    complete = len(head) < SNIFF_BYTES
    try:
        if head.startswith(b"PK\x03\x04"):
            file.seek(0)
            return _sniff_zip(file)
        return _sniff_bytes(head) or _sniff_text(head, complete)
    finally:
        file.seek(0)


def served_as(file: IO[bytes]) -> FileKind | None:
    """The kind to serve a stored file as; None (a download of unknown bytes) for anything not allowed."""
    try:
        return sniff(file)
    except MarkupError:
        return None


ALLOWED = _(
    "Allowed are PDF, images (PNG, JPEG, GIF, WebP), plain text and CSV in UTF-8, office documents "
    "(OpenDocument, Word, Excel, PowerPoint), EPUB, and audio or video (MP3, MP4, Ogg, WebM)."
)


def validate_upload(value: Any) -> None:
    """Refuses an upload that is too large, not on the allow-list, or named for another kind than it is.

    Files already stored are not checked again, so an older file does not block editing its resource.
    """

    if getattr(value, "_committed", False):
        return
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if value.size > limit:
        raise ValidationError(
            _("The file is %(size)s; uploads may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(value.size), "limit": filesizeformat(limit)},
        )
    try:
        kind = sniff(value)
    except MarkupError:
        raise ValidationError(
            _("Web pages, SVG images and other files a browser would run cannot be uploaded, whatever their name."),
            code="file_markup",
        ) from None
    if kind is None:
        raise ValidationError(
            _("This kind of file cannot be uploaded. %(allowed)s"), code="file_kind", params={"allowed": ALLOWED}
        )
    extension = PurePosixPath(value.name).suffix.lower()
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "The file's content is %(kind)s, but its name ends in “%(extension)s”; "
                "rename it to end in %(expected)s."
            ),
            code="file_name",
            params={"kind": kind.label, "extension": extension, "expected": " / ".join(kind.extensions)},
        )
