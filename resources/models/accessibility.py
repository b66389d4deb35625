"""Accessibility metadata of a resource, in schema.org's terms.

The values are the terms of the W3C community group's vocabulary for schema.org's accessibility properties
(https://www.w3.org/2021/a11y-discov-vocab/latest/, version 1.1 of 2026-03-26), spelled exactly as it spells
them, so that JSON-LD and OAI-PMH write them as they are stored. One value is Delarum's own: ``easyToRead``
(lättläst, let læst, lettlest), which the vocabulary has no term for; outputs write it as words in
``accessibilitySummary`` instead (``resources.accessibility``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessibilityFeature(models.TextChoices):
    """``accessibilityFeature``: what the resource offers people who need it."""

    # The vocabulary deprecated "captions" for these two: closed captions can be turned off, open ones cannot.
    CLOSED_CAPTIONS = "closedCaptions", _("captions (can be turned off)")
    OPEN_CAPTIONS = "openCaptions", _("captions (always shown)")
    TRANSCRIPT = "transcript", _("transcript")
    AUDIO_DESCRIPTION = "audioDescription", _("audio description")
    SIGN_LANGUAGE = "signLanguage", _("sign language")
    EASY_TO_READ = "easyToRead", _("easy to read")
    LARGE_PRINT = "largePrint", _("large print")
    TTS_MARKUP = "ttsMarkup", _("made for text-to-speech")
    ALTERNATIVE_TEXT = "alternativeText", _("images described in text")
    SYNCHRONIZED_AUDIO_TEXT = "synchronizedAudioText", _("text read aloud in step")


class AccessibilityHazard(models.TextChoices):
    """``accessibilityHazard``: what may harm some people, or the assurance that it is not there."""

    NONE = "none", _("no hazards")
    FLASHING = "flashing", _("flashing")
    MOTION_SIMULATION = "motionSimulation", _("motion simulation")
    SOUND = "sound", _("sudden or loud sound")
    NO_FLASHING = "noFlashingHazard", _("no flashing")
    NO_MOTION_SIMULATION = "noMotionSimulationHazard", _("no motion simulation")
    NO_SOUND = "noSoundHazard", _("no sound hazard")


class AccessMode(models.TextChoices):
    """``accessMode``: the senses the content is perceived through."""

    TEXTUAL = "textual", _("text")
    VISUAL = "visual", _("pictures or video")
    AUDITORY = "auditory", _("sound")


# Each hazard and the value that says it is absent; "none" says all are.
HAZARD_ABSENT = {
    AccessibilityHazard.FLASHING: AccessibilityHazard.NO_FLASHING,
    AccessibilityHazard.MOTION_SIMULATION: AccessibilityHazard.NO_MOTION_SIMULATION,
    AccessibilityHazard.SOUND: AccessibilityHazard.NO_SOUND,
}


def hazard_conflicts(values: Iterable[str]) -> list[str]:
    """Hazard values that contradict each other, as the vocabulary forbids: "none" with anything else, or a hazard
    with its absence. Empty when they agree."""
    chosen = set(values)
    conflicts = []
    if AccessibilityHazard.NONE in chosen and len(chosen) > 1:
        conflicts.append(str(AccessibilityHazard.NONE.label))
    for hazard, absent in HAZARD_ABSENT.items():
        if {hazard, absent} <= chosen:
            conflicts.append(f"{hazard.label} / {absent.label}")
    return conflicts


def labels_of(choices: type[models.TextChoices], values: Iterable[str]) -> list[str]:
    """The labels of stored values in the active language, in the order given; an unknown value as it is."""
    named = dict(choices.choices)
    return [str(named.get(value, value)) for value in values]
