"""Text that every part of the portal makes the same way."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

# Letters that Unicode does not decompose, so slugify() alone would drop them ("Læselyst" -> "lselyst").
FALLBACKS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"})


def slug_of(text: str) -> str:
    """An address-friendly form of a title or name: "Læselyst i København" -> "laeselyst-i-kobenhavn"."""
    return slugify(text.translate(FALLBACKS))


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject (``<template>_subject.txt``, on one line) and body (``<template>.txt``) of an e-mail."""
    subject = render_to_string(f"{template}_subject.txt", context)
    return " ".join(subject.split()), render_to_string(f"{template}.txt", context)
