"""Languages that content is written in, as BCP-47 codes, with their names and writing direction."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (code, name in the visitor's language, the language's own name)
CONTENT_LANGUAGES = [
    ("sv", _("Swedish"), "svenska"),
    ("da", _("Danish"), "dansk"),
    ("nb", _("Norwegian Bokmål"), "norsk bokmål"),
    ("nn", _("Norwegian Nynorsk"), "norsk nynorsk"),
    ("en", _("English"), "English"),
    ("fi", _("Finnish"), "suomi"),
    ("se", _("Northern Sami"), "davvisámegiella"),
    ("ar", _("Arabic"), "العربية"),
    ("fa", _("Persian"), "فارسی"),
    ("prs", _("Dari"), "دری"),
    ("ckb", _("Central Kurdish (Sorani)"), "کوردی"),
    ("so", _("Somali"), "Soomaali"),
    ("ti", _("Tigrinya"), "ትግርኛ"),
    ("uk", _("Ukrainian"), "українська"),
    ("pl", _("Polish"), "polski"),
    ("de", _("German"), "Deutsch"),
]

LANGUAGE_CHOICES = [(code, name) for code, name, _autonym in CONTENT_LANGUAGES]
AUTONYMS = {code: autonym for code, _name, autonym in CONTENT_LANGUAGES}

# Scripts written right to left, by primary language subtag.
RIGHT_TO_LEFT = {"ar", "fa", "prs", "ckb", "he", "ur", "ps", "yi", "dv", "sd", "ug"}


def text_direction(code: str) -> str:
    """ "rtl" or "ltr" for a BCP-47 language tag, judged by its primary subtag."""
    return "rtl" if code.split("-")[0].lower() in RIGHT_TO_LEFT else "ltr"


class WrittenInALanguage:
    """For models whose ``language`` field holds the BCP-47 code their text is written in."""

    language: str

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    @property
    def language_autonym(self) -> str:
        return AUTONYMS.get(self.language, self.language)
