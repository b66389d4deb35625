"""Text that every part of the portal makes the same way."""

from __future__ import annotations

from django.utils.text import slugify

# Letters that Unicode does not decompose, so slugify() alone would drop them ("Læselyst" -> "lselyst").
FALLBACKS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"})


def slug_of(text: str) -> str:
    """An address-friendly form of a title or name: "Læselyst i København" -> "laeselyst-i-kobenhavn"."""
    return slugify(text.translate(FALLBACKS))
