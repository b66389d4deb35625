"""Text that every part of the portal makes the same way."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from slugify import slugify

# Ukrainian as Ukraine romanises it (the national system of 2010: Київ -> Kyiv, Харків -> Kharkiv); the general
# tables would write Russian sounds ("Kiiv"). Є, Ї, Й, Ю, Я begin a word as ye, yi, y, yu, ya.
UKRAINIAN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
UKRAINIAN_ONLY = re.compile("[ґєіїҐЄІЇ]")
WORD_START = re.compile(r"(?<![^\W\d_])([єїйюя])", re.IGNORECASE)


def _romanised_ukrainian(text: str) -> str:
    text = WORD_START.sub(lambda match: UKRAINIAN_INITIAL[match.group(1).lower()], text.lower())
    return "".join(UKRAINIAN.get(letter, letter) for letter in text)


def slug_of(text: str, *, language: str = "") -> str:
    """The one address-friendly form of a title or name, wherever the portal makes slugs.

    Every script is transliterated (python-slugify): "Læselyst i København" -> "laeselyst-i-kobenhavn",
    "Straße" -> "strasse", Arabic, Persian and Tigrinya titles into Latin letters. Ukrainian (``language="uk"``,
    or a text with letters only Ukrainian has) the Ukrainian way: "Київ" -> "kyiv". A text with no letter that
    can be written in Latin ones (emoji) gets a short stable code made from it, never an empty slug.
    """
    if language == "uk" or UKRAINIAN_ONLY.search(text):
        text = _romanised_ukrainian(text)
    slug = slugify(text)
    if not slug and text.strip():
        slug = hashlib.blake2s(text.strip().encode(), digest_size=4).hexdigest()
    return slug


def unique_slug(text: str, *, taken: Callable[[str], bool], language: str = "", max_length: int = 200) -> str:
    """``slug_of(text)``, cut to ``max_length``, with -2, -3 ... added until ``taken`` says it is free."""
    base = slug_of(text, language=language)[: max_length - 4].strip("-") or "item"
    slug, number = base, 2
    while taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject (``<template>_subject.txt``, on one line) and body (``<template>.txt``) of an e-mail."""
    subject = render_to_string(f"{template}_subject.txt", context)
    return " ".join(subject.split()), render_to_string(f"{template}.txt", context)
