"""Delarum's own values in the standard vocabularies that other systems understand.

Harvesters and search engines do not know what "guide" or "newcomers" means here; they know:

- HCRT, the resource-type scheme that the German AMB profile and OERSI use (``https://w3id.org/kim/hcrt/<term>``),
  beside LRMI's ``learningResourceType`` labels where LRMI has a fitting term;
- LRMI's educational audience roles (``audience.educationalRole``);
- ISCED 2011 levels for school years, as the KIM ``educationalLevel`` scheme names them;
- Creative Commons and SPDX URIs for licences (``resources.licenses``), BCP 47 tags for languages.

Every output (JSON-LD, OAI-PMH, feeds) and the import read these tables, so a term is written down once.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.utils import translation

from resources.languages import CONTENT_LANGUAGES
from resources.licenses import LICENSES
from resources.models import AccessibilityFeature, AccessibilityHazard, AccessMode, Audience, Kind

HCRT = "https://w3id.org/kim/hcrt/"
LRMI_ROLE = "http://purl.org/dcx/lrmi-vocabs/educationalAudienceRole/"
EDUCATIONAL_LEVEL_SCHEME = "https://w3id.org/kim/educationalLevel/"
EDUCATIONAL_LEVEL = EDUCATIONAL_LEVEL_SCHEME + "level_"


class Term(NamedTuple):
    """A concept of a published vocabulary: its URI and its English preferred label."""

    id: str
    label: str


# HCRT's concepts (https://w3id.org/kim/hcrt/scheme), by term.
HCRT_TERMS = {
    term: Term(HCRT + term, label)
    for term, label in [
        ("application", "Software Application"),
        ("assessment", "Assessment"),
        ("audio", "Audio Recording"),
        ("case_study", "Case Study"),
        ("course", "Course"),
        ("data", "Data"),
        ("diagram", "Diagram"),
        ("drill_and_practice", "Drill and Practice"),
        ("educational_game", "Game"),
        ("experiment", "Experiment"),
        ("image", "Image"),
        ("index", "Reference Work"),
        ("lesson_plan", "Lesson Plan"),
        ("map", "Map"),
        ("portal", "Web Portal"),
        ("questionnaire", "Questionnaire"),
        ("script", "Script"),
        ("sheet_music", "Sheet Music"),
        ("simulation", "Simulation"),
        ("slide", "Presentation"),
        ("text", "Text"),
        ("textbook", "Textbook"),
        ("video", "Video"),
        ("web_page", "Web Page"),
        ("worksheet", "Worksheet"),
        ("other", "Other"),
    ]
}

# Each kind's HCRT term, and its LRMI learningResourceType label where LRMI has one that fits.
KIND_TERMS: dict[str, tuple[str, str | None]] = {
    Kind.ARTICLE: ("text", "supporting document"),
    Kind.VIDEO: ("video", None),
    Kind.PODCAST: ("audio", None),
    Kind.AUDIO: ("audio", None),
    Kind.COURSE: ("course", None),
    Kind.LESSON_PLAN: ("lesson_plan", "lesson plan"),
    Kind.EXERCISE: ("drill_and_practice", "activity plan"),
    Kind.WORKSHEET: ("worksheet", "activity plan"),
    Kind.ASSESSMENT: ("assessment", "assessment"),
    Kind.GAME: ("educational_game", None),
    Kind.SIMULATION: ("simulation", None),
    Kind.GUIDE: ("text", "supporting document"),
    Kind.EBOOK: ("text", None),
    Kind.TEXT: ("text", "supporting document"),
    Kind.IMAGE: ("image", None),
    Kind.APPLICATION: ("application", None),
    Kind.TOOL: ("application", None),
    Kind.WEBSITE: ("web_page", None),
    Kind.OTHER: ("other", None),
}


# The schema.org type (among the CreativeWork subclasses AMB's ``type`` allows) that each HCRT term names, where
# one does: written beside ``LearningResource``.
SCHEMA_TYPES = {
    "application": "SoftwareApplication",
    "audio": "AudioObject",
    "course": "Course",
    "educational_game": "Game",
    "image": "ImageObject",
    "map": "Map",
    "sheet_music": "SheetMusic",
    "slide": "PresentationDigitalDocument",
    "text": "TextDigitalDocument",
    "textbook": "Book",
    "video": "VideoObject",
    "web_page": "WebPage",
}


def schema_types(kind: str) -> list[str]:
    """The resource's schema.org types: ``LearningResource``, and the one its HCRT term names, if any."""
    extra = SCHEMA_TYPES.get(KIND_TERMS[kind][0])
    return ["LearningResource", *([extra] if extra else [])]


def hcrt_term(kind: str) -> Term:
    """The HCRT concept for one of Delarum's kinds."""
    return HCRT_TERMS[KIND_TERMS[kind][0]]


def lrmi_type(kind: str) -> str | None:
    """LRMI's learningResourceType label for a kind, or None when LRMI has no term for it."""
    return KIND_TERMS[kind][1]


# Each audience's LRMI educational audience role, where one fits.
AUDIENCE_ROLES: dict[str, str | None] = {
    Audience.CHILDREN: "student",
    Audience.YOUTH: "student",
    Audience.ADULTS: "generalPublic",
    Audience.SENIORS: "generalPublic",
    Audience.NEWCOMERS: "generalPublic",
    Audience.TEACHERS: "teacher",
    Audience.LIBRARY_STAFF: "professional",
}
ROLE_LABELS = {
    "student": "student",
    "generalPublic": "general public",
    "teacher": "teacher",
    "professional": "professional",
}


def educational_role(audience: str) -> Term | None:
    """The LRMI educational audience role for one of Delarum's audiences."""
    role = AUDIENCE_ROLES.get(audience)
    return Term(LRMI_ROLE + role, ROLE_LABELS[role]) if role else None


# ISCED 2011 levels as the KIM educationalLevel scheme names them.
ISCED_LABELS = {
    0: "Early childhood education",
    1: "Primary education",
    2: "Lower secondary education",
    3: "Upper secondary education",
}


def educational_level(isced: int) -> Term:
    """The educationalLevel concept of an ISCED 2011 level (0–3 are the ones school offers reach)."""
    return Term(f"{EDUCATIONAL_LEVEL}{isced}", ISCED_LABELS[isced])


def license_uri(spdx_id: str) -> str | None:
    """The licence's canonical URI (Creative Commons' own for CC licences), or None for an unknown id."""
    license = LICENSES.get(spdx_id)
    return license.url if license else None


def _uri_key(value: str) -> str:
    """An address as people write it: with http or https, with or without the trailing slash."""
    return value.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")


LICENSE_SYNONYMS = {
    **{_uri_key(license.url): spdx_id for spdx_id, license in LICENSES.items()},
    **{spdx_id.lower(): spdx_id for spdx_id in LICENSES},
}


def license_from(value: str) -> str | None:
    """The SPDX id of an import's licence: an SPDX id (any case) or the licence's URI
    (``https://creativecommons.org/licenses/by/4.0/``, also http and without the trailing slash), or None."""
    return LICENSE_SYNONYMS.get(value.strip().lower()) or LICENSE_SYNONYMS.get(_uri_key(value))


CONTENT_LANGUAGE_CODES = {code for code, _name, _autonym in CONTENT_LANGUAGES}


def language_from(value: str) -> str | None:
    """One of the content languages for a BCP 47 tag, in any case: the tag itself (``nb``, ``se``), or its
    primary subtag when that is a content language (``nb-NO`` → ``nb``, ``sv_SE`` → ``sv``), or None."""
    tag = value.strip().lower().replace("_", "-")
    if tag in CONTENT_LANGUAGE_CODES:
        return tag
    primary = tag.split("-")[0]
    return primary if primary in CONTENT_LANGUAGE_CODES else None


# ISO 639-1, which AMB's @language and inLanguage take, has no code for these; their macrolanguage's is nearest.
ISO_639_1_MACROLANGUAGES = {"prs": "fa", "ckb": "ku"}


def two_letter_language(code: str) -> str:
    """The ISO 639-1 code of a content language, as AMB writes languages (Dari → ``fa``, Sorani → ``ku``)."""
    return ISO_639_1_MACROLANGUAGES.get(code, code)


def _key(value: str) -> str:
    return " ".join(value.casefold().replace("_", " ").replace("-", " ").split())


def _synonyms(table: dict[str, list[str]]) -> dict[str, str]:
    return {_key(word): value for value, words in table.items() for word in [value, *words]}


# What an import may say for a kind: our own values, HCRT terms, labels and URIs, LRMI labels, common words.
KIND_SYNONYMS = _synonyms(
    {
        Kind.ARTICLE: ["article", "artikel", "artikkel", "blog post"],
        Kind.VIDEO: ["film", "movie", "video recording", "recorded lesson"],
        Kind.PODCAST: ["podd", "podcast episode"],
        Kind.AUDIO: ["audio recording", "sound", "ljud", "lyd"],
        Kind.COURSE: ["online course", "mooc", "kurs", "e-learning"],
        Kind.LESSON_PLAN: ["lesson", "lektionsplanering", "undervisningsforløb", "undervisningsopplegg", "unit plan"],
        Kind.EXERCISE: ["drill and practice", "practice", "övning", "øvelse", "øving", "activity plan"],
        Kind.WORKSHEET: ["arbetsblad", "arbejdsark", "arbeidsark", "handout"],
        Kind.ASSESSMENT: ["quiz", "test", "exam", "assessment item", "questionnaire", "prov"],
        Kind.GAME: ["educational game", "game", "spel", "spil", "spill", "lernspiel"],
        Kind.SIMULATION: ["sim", "simulering"],
        Kind.GUIDE: ["how to", "tutorial", "guide", "vejledning", "veiledning", "handledning", "manual"],
        Kind.EBOOK: ["e-book", "ebook", "e bok", "book", "textbook", "bok", "bog"],
        Kind.TEXT: ["text", "document", "supporting document", "script", "tekst"],
        Kind.IMAGE: ["picture", "photo", "illustration", "diagram", "map", "bild", "billede", "bilde"],
        Kind.APPLICATION: ["software application", "software", "app", "application", "program"],
        Kind.TOOL: ["tool", "verktyg", "værktøj", "verktøy"],
        Kind.WEBSITE: [
            "web page",
            "website",
            "web site",
            "web portal",
            "portal",
            "webbplats",
            "hjemmeside",
            "nettside",
        ],
        Kind.OTHER: ["other", "annat", "andet", "annet", "misc"],
    }
)
for _kind, (_term, _lrmi) in KIND_TERMS.items():
    # HCRT terms and URIs of the kinds that are the one natural choice for that term.
    KIND_SYNONYMS.setdefault(_key(_term), _kind)
    KIND_SYNONYMS.setdefault(_key(HCRT + _term), _kind)
    KIND_SYNONYMS.setdefault(_key(HCRT_TERMS[_term].label), _kind)

AUDIENCE_SYNONYMS = _synonyms(
    {
        Audience.CHILDREN: ["kids", "barn", "børn", "pupils", "elever", "elevar", "primary school"],
        Audience.YOUTH: [
            "young people",
            "teens",
            "teenagers",
            "youth",
            "unga",
            "ungdom",
            "unge",
            "student",
            "students",
        ],
        Audience.ADULTS: ["adult", "vuxna", "voksne", "general public", "adult learners"],
        Audience.SENIORS: ["senior", "elderly", "äldre", "ældre", "eldre", "pensionärer"],
        Audience.NEWCOMERS: ["newcomer", "immigrants", "nyanlända", "nyankomne", "nyankomne", "refugees"],
        Audience.TEACHERS: ["teacher", "lärare", "lærere", "lærarar", "educators", "educator"],
        Audience.LIBRARY_STAFF: [
            "library staff",
            "librarians",
            "librarian",
            "bibliotekarier",
            "bibliotekarer",
            "professional",
        ],
    }
)
for _role, _label in ROLE_LABELS.items():
    AUDIENCE_SYNONYMS.setdefault(_key(LRMI_ROLE + _role), AUDIENCE_SYNONYMS.get(_key(_label), ""))


def kind_from(value: str) -> str | None:
    """One of Delarum's kinds for an import's value (our own, an HCRT or LRMI term, a common word), or None."""
    return KIND_SYNONYMS.get(_key(value)) or None


def audience_from(value: str) -> str | None:
    """One of Delarum's audiences for an import's value (our own, an LRMI role, a common word), or None."""
    return AUDIENCE_SYNONYMS.get(_key(value)) or None


# IEEE LOM's own vocabularies (source "LOMv1.0"), for the oai_lom format: 5.2 learningResourceType, where one
# of its terms fits the kind (HCRT is given beside it for every kind), and 5.5 intendedEndUserRole.
LOM_SOURCE = "LOMv1.0"
LOM_RESOURCE_TYPES: dict[str, str] = {
    Kind.ARTICLE: "narrative text",
    Kind.EXERCISE: "exercise",
    Kind.WORKSHEET: "exercise",
    Kind.ASSESSMENT: "self assessment",
    Kind.SIMULATION: "simulation",
    Kind.GUIDE: "narrative text",
    Kind.EBOOK: "narrative text",
    Kind.TEXT: "narrative text",
    Kind.IMAGE: "figure",
}
# Patrons learn; teachers teach; library staff use what is made for them to guide patrons.
LOM_END_USER_ROLES: dict[str, str] = {
    Audience.CHILDREN: "learner",
    Audience.YOUTH: "learner",
    Audience.ADULTS: "learner",
    Audience.SENIORS: "learner",
    Audience.NEWCOMERS: "learner",
    Audience.TEACHERS: "teacher",
    Audience.LIBRARY_STAFF: "teacher",
}


def lom_resource_type(kind: str) -> str | None:
    """LOM's learningResourceType value for a kind, or None when LOM has no term that fits."""
    return LOM_RESOURCE_TYPES.get(kind)


def lom_end_user_role(audience: str) -> str:
    """LOM's intendedEndUserRole value for one of Delarum's audiences."""
    return LOM_END_USER_ROLES[audience]


# What an import may say for the accessibility metadata: the vocabulary's own terms (in any case, or as words:
# "closed captions"), our labels, and common words in the Scandinavian languages. The vocabulary's deprecated
# "captions" is read as closed captions, what captions on the web nearly always are (the report says so).
FEATURE_SYNONYMS = _synonyms(
    {
        AccessibilityFeature.CLOSED_CAPTIONS: ["closed captions", "captions", "cc", "textning", "tekstning"],
        AccessibilityFeature.OPEN_CAPTIONS: ["open captions", "burned in captions", "inbränd textning"],
        AccessibilityFeature.TRANSCRIPT: ["transkription", "transskription", "transkripsjon", "utskrift"],
        AccessibilityFeature.AUDIO_DESCRIPTION: ["audio description", "syntolkning", "synstolkning"],
        AccessibilityFeature.SIGN_LANGUAGE: ["sign language", "teckenspråk", "tegnsprog", "tegnspråk"],
        AccessibilityFeature.EASY_TO_READ: [
            "easy to read",
            "easy read",
            "lättläst",
            "lättläst svenska",
            "let læst",
            "letlæst",
            "lettlest",
            "lettlest norsk",
        ],
        AccessibilityFeature.LARGE_PRINT: ["large print", "storstil", "stor skrift"],
        AccessibilityFeature.TTS_MARKUP: ["tts markup", "text to speech"],
        AccessibilityFeature.ALTERNATIVE_TEXT: ["alternative text", "alt text"],
        AccessibilityFeature.SYNCHRONIZED_AUDIO_TEXT: ["synchronized audio text", "read along"],
    }
)
HAZARD_SYNONYMS = _synonyms(
    {
        AccessibilityHazard.NONE: ["no hazards", "inga risker", "ingen risici", "ingen risikoer"],
        AccessibilityHazard.FLASHING: ["flashing hazard", "blinkande ljus", "blinkende lys"],
        AccessibilityHazard.MOTION_SIMULATION: ["motion simulation", "motion simulation hazard"],
        AccessibilityHazard.SOUND: ["sound hazard"],
        AccessibilityHazard.NO_FLASHING: ["no flashing hazard", "no flashing"],
        AccessibilityHazard.NO_MOTION_SIMULATION: ["no motion simulation hazard", "no motion simulation"],
        AccessibilityHazard.NO_SOUND: ["no sound hazard"],
    }
)
ACCESS_MODE_SYNONYMS = _synonyms(
    {
        AccessMode.TEXTUAL: ["text", "textual"],
        AccessMode.VISUAL: ["visual", "video", "images"],
        AccessMode.AUDITORY: ["auditory", "audio", "sound"],
    }
)
_ACCESSIBILITY_TABLES: list[tuple[dict[str, str], list[tuple[str, Any]]]] = [
    (FEATURE_SYNONYMS, AccessibilityFeature.choices),
    (HAZARD_SYNONYMS, AccessibilityHazard.choices),
    (ACCESS_MODE_SYNONYMS, AccessMode.choices),
]
for _table, _pairs in _ACCESSIBILITY_TABLES:
    # The terms as the vocabulary spells them, in any case ("closedcaptions"), and our English labels.
    for _term, _label in _pairs:
        _table.setdefault(_key(_term), _term)
        with translation.override("en"):
            _table.setdefault(_key(str(_label)), _term)


def feature_from(value: str) -> str | None:
    """An accessibility feature for an import's value (the vocabulary's term, a label, a common word), or None."""
    return FEATURE_SYNONYMS.get(_key(value))


def hazard_from(value: str) -> str | None:
    """An accessibility hazard value for an import's value, or None."""
    return HAZARD_SYNONYMS.get(_key(value))


def access_mode_from(value: str) -> str | None:
    """An access mode for an import's value, or None."""
    return ACCESS_MODE_SYNONYMS.get(_key(value))
