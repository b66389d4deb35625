"""The metadata formats: oai_dc (required by the protocol) and oai_lom (IEEE LOM, what OER aggregators read).

Each writer adds one record's metadata to an ElementTree element; every term comes from resources.vocabularies
(HCRT, LOM's own vocabularies, licence URIs, BCP 47 languages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils import translation
from lxml.etree import Element, SubElement

from resources.models import AccessibilityFeature, AccessibilityHazard, AccessMode, KnowledgeArea, Resource
from resources.models.accessibility import labels_of
from resources.oai.protocol import clean
from resources.vocabularies import (
    HCRT,
    LOM_SOURCE,
    hcrt_term,
    license_uri,
    lom_end_user_role,
    lom_resource_type,
)

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
LOM = "http://ltsc.ieee.org/xsd/LOM"
INTERFACE_LANGUAGES = ["sv", "da", "nb", "en"]


@dataclass(frozen=True)
class Context:
    """What a record needs from the request: absolute addresses and the record's OAI identifier."""

    absolute: Callable[[str], str]
    identifier: Callable[[int], str]
    page_url: Callable[[Resource], str]


@dataclass(frozen=True)
class Format:
    prefix: str
    schema: str
    namespace: str
    write: Callable[[Element, Resource, list[KnowledgeArea], list[str], Context], None]


def _add(parent: Element, tag: str, text: str, **attributes: str) -> Element:
    element = SubElement(parent, tag, {key: clean(value) for key, value in attributes.items()})
    element.text = clean(text)
    return element


def _area_name(area: KnowledgeArea, language: str) -> tuple[str, str]:
    """The area's name in the language closest to the resource's (Nynorsk gets Bokmål), else Swedish: (code, name)."""
    code = {"nn": "nb"}.get(language, language)
    name = getattr(area, f"name_{code}", "") if code in INTERFACE_LANGUAGES[1:] else ""
    return (code, name) if name else ("sv", area.name)


def _resource_link(resource: Resource, context: Context) -> str:
    return context.absolute(resource.link) if resource.link else context.page_url(resource)


def write_dc(
    parent: Element, resource: Resource, areas: list[KnowledgeArea], tags: list[str], context: Context
) -> None:
    """Simple Dublin Core: title, creator, subjects (areas and tags), descriptions, publisher, date, HCRT type,
    identifiers (the resource itself and its page here), BCP 47 language, licence URI."""
    dc = SubElement(
        parent,
        f"{{{OAI_DC}}}dc",
        {f"{{{XSI}}}schemaLocation": f"{OAI_DC} {FORMATS['oai_dc'].schema}"},
        nsmap={"oai_dc": OAI_DC, "dc": DC},
    )
    language = resource.language
    _add(dc, f"{{{DC}}}title", resource.title, **{XML_LANG: language})
    if resource.creator:
        _add(dc, f"{{{DC}}}creator", resource.creator)
    for area in areas:
        name_language, name = _area_name(area, language)
        _add(dc, f"{{{DC}}}subject", name, **{XML_LANG: name_language})
    for tag in tags:
        _add(dc, f"{{{DC}}}subject", tag, **{XML_LANG: language})
    _add(dc, f"{{{DC}}}description", resource.summary, **{XML_LANG: language})
    if resource.description:
        _add(dc, f"{{{DC}}}description", resource.description, **{XML_LANG: language})
    _add(dc, f"{{{DC}}}publisher", resource.library.name)
    if resource.published_at:
        _add(dc, f"{{{DC}}}date", resource.published_at.date().isoformat())
    _add(dc, f"{{{DC}}}type", hcrt_term(resource.kind).id)
    _add(dc, f"{{{DC}}}identifier", _resource_link(resource, context))
    _add(dc, f"{{{DC}}}identifier", context.page_url(resource))
    _add(dc, f"{{{DC}}}language", language)
    _add(dc, f"{{{DC}}}rights", license_uri(resource.license) or resource.license)


def _lom(name: str) -> str:
    return f"{{{LOM}}}{name}"


def _lang_string(parent: Element, tag: str, texts: list[tuple[str, str]]) -> Element:
    element = SubElement(parent, tag)
    for language, text in texts:
        _add(element, _lom("string"), text, language=language)
    return element


def _vocabulary(parent: Element, tag: str, value: str, source: str = LOM_SOURCE) -> None:
    element = SubElement(parent, tag)
    _add(element, _lom("source"), source)
    _add(element, _lom("value"), value)


def _vcard(name: str, *, organisation: bool = False) -> str:
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", " ")
    return (
        "BEGIN:VCARD\nVERSION:3.0\n"
        + (f"FN:{escaped}\nORG:{escaped}\n" if organisation else f"FN:{escaped}\n")
        + "END:VCARD"
    )


def write_lom(
    parent: Element, resource: Resource, areas: list[KnowledgeArea], tags: list[str], context: Context
) -> None:
    """IEEE LOM (1484.12.3 XML binding): general, lifeCycle, metaMetadata, technical, educational (LOM's own
    learningResourceType where one fits and HCRT's always, intendedEndUserRole), rights, and a classification by
    knowledge area."""
    lom = SubElement(
        parent, _lom("lom"), {f"{{{XSI}}}schemaLocation": f"{LOM} {FORMATS['oai_lom'].schema}"}, nsmap={None: LOM}
    )
    language = resource.language
    general = SubElement(lom, _lom("general"))
    identifier = SubElement(general, _lom("identifier"))
    _add(identifier, _lom("catalog"), "URI")
    _add(identifier, _lom("entry"), context.page_url(resource))
    _lang_string(general, _lom("title"), [(language, resource.title)])
    _add(general, _lom("language"), language)
    _lang_string(general, _lom("description"), [(language, resource.summary)])
    if resource.description:
        _lang_string(general, _lom("description"), [(language, resource.description)])
    for tag in tags:
        _lang_string(general, _lom("keyword"), [(language, tag)])

    life_cycle = SubElement(lom, _lom("lifeCycle"))
    if resource.creator:
        contribute = SubElement(life_cycle, _lom("contribute"))
        _vocabulary(contribute, _lom("role"), "author")
        _add(contribute, _lom("entity"), _vcard(resource.creator))
    contribute = SubElement(life_cycle, _lom("contribute"))
    _vocabulary(contribute, _lom("role"), "publisher")
    _add(contribute, _lom("entity"), _vcard(resource.library.name, organisation=True))
    if resource.published_at:
        _add(SubElement(contribute, _lom("date")), _lom("dateTime"), resource.published_at.date().isoformat())

    meta = SubElement(lom, _lom("metaMetadata"))
    identifier = SubElement(meta, _lom("identifier"))
    _add(identifier, _lom("catalog"), "oai")
    _add(identifier, _lom("entry"), context.identifier(resource.pk))
    _add(meta, _lom("metadataSchema"), "LOMv1.0")

    technical = SubElement(lom, _lom("technical"))
    _add(technical, _lom("location"), _resource_link(resource, context))

    educational = SubElement(lom, _lom("educational"))
    if lom_type := lom_resource_type(resource.kind):
        _vocabulary(educational, _lom("learningResourceType"), lom_type)
    _vocabulary(educational, _lom("learningResourceType"), hcrt_term(resource.kind).id, source=f"{HCRT}scheme")
    for role in dict.fromkeys(lom_end_user_role(audience) for audience in resource.audiences):
        _vocabulary(educational, _lom("intendedEndUserRole"), role)
    _add(educational, _lom("language"), language)

    rights = SubElement(lom, _lom("rights"))
    _vocabulary(rights, _lom("cost"), "no")
    _vocabulary(rights, _lom("copyrightAndOtherRestrictions"), "yes")
    _lang_string(rights, _lom("description"), [("x-none", license_uri(resource.license) or resource.license)])

    if areas:
        classification = SubElement(lom, _lom("classification"))
        _vocabulary(classification, _lom("purpose"), "discipline")
        for area in areas:
            path = SubElement(classification, _lom("taxonPath"))
            _lang_string(path, _lom("source"), [("en", "Delarum knowledge areas")])
            taxon = SubElement(path, _lom("taxon"))
            _add(taxon, _lom("id"), context.absolute(area.get_absolute_url()))
            names = [(code, getattr(area, f"name_{code}", "")) for code in INTERFACE_LANGUAGES if code != "sv"]
            _lang_string(taxon, _lom("entry"), [("sv", area.name), *[(code, name) for code, name in names if name]])
    _write_lom_accessibility(lom, resource)


# LOM has no accessibility category; 9.1 Classification.Purpose's own vocabulary has "accessibility restrictions",
# the standard place. One taxon path per schema.org property, its taxa the vocabulary's terms.
A11Y_VOCABULARY = "https://www.w3.org/2021/a11y-discov-vocab/latest/"
A11Y_PROPERTIES: dict[str, tuple[type[TextChoices], str]] = {
    "accessibilityFeature": (AccessibilityFeature, "accessibility_features"),
    "accessibilityHazard": (AccessibilityHazard, "accessibility_hazards"),
    "accessMode": (AccessMode, "access_modes"),
}


def _write_lom_accessibility(lom: Element, resource: Resource) -> None:
    properties = [(name, choices, getattr(resource, field)) for name, (choices, field) in A11Y_PROPERTIES.items()]
    if not any(values for _name, _choices, values in properties):
        return
    classification = SubElement(lom, _lom("classification"))
    _vocabulary(classification, _lom("purpose"), "accessibility restrictions")
    for name, choices, values in properties:
        if not values:
            continue
        path = SubElement(classification, _lom("taxonPath"))
        _lang_string(path, _lom("source"), [("en", f"{A11Y_VOCABULARY}#{name}")])
        with translation.override("en"):
            labels = labels_of(choices, values)
        for value, label in zip(values, labels, strict=True):
            taxon = SubElement(path, _lom("taxon"))
            _add(taxon, _lom("id"), value)
            _lang_string(taxon, _lom("entry"), [("en", label)])


FORMATS = {
    "oai_dc": Format("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC, write_dc),
    "oai_lom": Format("oai_lom", "http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd", LOM, write_lom),
}
