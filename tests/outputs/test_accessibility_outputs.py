"""Accessibility metadata as other systems read it: the resource page's JSON-LD (extruct, AMB's JSON schema, every
term checked against the W3C vocabulary), and OAI-PMH records (harvested with Sickle, validated by the schemas)."""

from __future__ import annotations

import pytest
from lxml import etree

from resources.models import Resource
from tests.factories import ResourceFactory
from tests.outputs.test_jsonld import amb_validator, json_ld, page_path
from tests.outputs.test_oai import LOM, PREFIX, Harvester, schema  # noqa: F401  (schema is a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

# The terms of the W3C vocabulary (https://www.w3.org/2021/a11y-discov-vocab/latest/, version 1.1, 2026-03-26),
# copied from it here rather than from Delarum's code, so that a misspelt term fails.
W3C_FEATURES = {
    "annotations", "ARIA", "bookmarks", "index", "pageBreakMarkers", "printPageNumbers", "pageNavigation",
    "readingOrder", "structuralNavigation", "tableOfContents", "taggedPDF", "alternativeText", "audioDescription",
    "captions", "closedCaptions", "describedMath", "longDescription", "openCaptions", "signLanguage", "transcript",
    "displayTransformability", "synchronizedAudioText", "timingControl", "unlocked", "ChemML", "latex", "MathML",
    "ttsMarkup", "highContrastAudio", "highContrastDisplay", "largePrint", "braille", "tactileGraphic",
    "tactileObject", "fullRubyAnnotations", "horizontalWriting", "rubyAnnotations", "verticalWriting",
    "withAdditionalWordSegmentation", "withoutAdditionalWordSegmentation", "none", "unknown",
}  # fmt: skip
W3C_HAZARDS = {
    "flashing", "motionSimulation", "sound", "none", "noFlashingHazard", "noMotionSimulationHazard", "noSoundHazard",
    "unknown", "unknownFlashingHazard", "unknownMotionSimulationHazard", "unknownSoundHazard",
}  # fmt: skip
W3C_ACCESS_MODES = {"auditory", "tactile", "textual", "visual"}
# Deprecated by the vocabulary: never written.
DEPRECATED = {"captions", "annotations"}


def described() -> Resource:
    return ResourceFactory(
        kind="video",
        accessibility_features=["closedCaptions", "transcript", "easyToRead", "signLanguage"],
        accessibility_hazards=["noFlashingHazard", "noSoundHazard"],
        access_modes=["visual", "auditory"],
    )


def test_json_ld_writes_the_vocabulary_terms(live_server):
    resource = described()
    (data,) = json_ld(live_server, page_path("resources:detail", slug=resource.slug))

    assert list(amb_validator(german_subject_in_about=False).iter_errors(data)) == []
    assert data["accessibilityFeature"] == ["closedCaptions", "transcript", "signLanguage"]
    assert set(data["accessibilityFeature"]) <= W3C_FEATURES - DEPRECATED
    assert data["accessibilityHazard"] == ["noFlashingHazard", "noSoundHazard"]
    assert set(data["accessibilityHazard"]) <= W3C_HAZARDS
    assert data["accessMode"] == ["visual", "auditory"]
    assert set(data["accessMode"]) <= W3C_ACCESS_MODES
    # Easy-to-read has no term in the vocabulary: it is said in words.
    assert "easy-to-read" in data["accessibilitySummary"]


def test_json_ld_without_metadata_says_nothing_about_accessibility(live_server):
    resource = ResourceFactory()
    (data,) = json_ld(live_server, page_path("resources:detail", slug=resource.slug))

    assert list(amb_validator(german_subject_in_about=False).iter_errors(data)) == []
    for name in ["accessibilityFeature", "accessibilityHazard", "accessMode", "accessibilitySummary"]:
        assert name not in data


def test_oai_lom_classifies_by_accessibility_restrictions(live_server, schema):  # noqa: F811
    resource = described()
    plain = ResourceFactory()
    harvester = Harvester(live_server, schema)  # every reply validated against the OAI-PMH schemas

    record = harvester.GetRecord(identifier=f"{PREFIX}{resource.pk}", metadataPrefix="oai_lom")
    lom = etree.fromstring(etree.tostring(record.xml))
    classifications = {
        item.findtext(f"{LOM}purpose/{LOM}value"): item for item in lom.iterfind(f".//{LOM}classification")
    }
    accessibility = classifications["accessibility restrictions"]  # LOM 9.1's own purpose vocabulary
    assert accessibility.findtext(f"{LOM}purpose/{LOM}source") == "LOMv1.0"
    paths = {
        path.findtext(f"{LOM}source/{LOM}string").rpartition("#")[2]: [
            taxon.findtext(f"{LOM}id") for taxon in path.iterfind(f"{LOM}taxon")
        ]
        for path in accessibility.iterfind(f"{LOM}taxonPath")
    }
    assert paths == {
        "accessibilityFeature": ["closedCaptions", "transcript", "easyToRead", "signLanguage"],
        "accessibilityHazard": ["noFlashingHazard", "noSoundHazard"],
        "accessMode": ["visual", "auditory"],
    }
    assert set(paths["accessibilityFeature"]) - {"easyToRead"} <= W3C_FEATURES - DEPRECATED
    labels = [entry.findtext(f"{LOM}string") for entry in accessibility.iterfind(f".//{LOM}taxon/{LOM}entry")]
    assert labels[:2] == ["captions (can be turned off)", "transcript"]

    other = harvester.GetRecord(identifier=f"{PREFIX}{plain.pk}", metadataPrefix="oai_lom")
    assert b"accessibility restrictions" not in etree.tostring(other.xml)
    # Dublin Core has no element for it: oai_dc stays as it was (and valid).
    dc = harvester.GetRecord(identifier=f"{PREFIX}{resource.pk}", metadataPrefix="oai_dc")
    assert "closedCaptions" not in etree.tostring(dc.xml).decode()


def test_a_change_of_accessibility_moves_the_datestamp(db):
    resource = described()
    before = Resource.objects.values_list("harvest_changed_at", flat=True).get(pk=resource.pk)
    Resource.objects.filter(pk=resource.pk).update(access_modes=["textual"])
    after = Resource.objects.values_list("harvest_changed_at", flat=True).get(pk=resource.pk)
    assert after > before
