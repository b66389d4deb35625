"""Harvesting both ways: what OAI-PMH harvesters are told about resources that were public and no longer are,
and the other repositories (OAI-PMH) whose records become resources here, with what each gave."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from resources.models.catalogue import Resource
from teams.models import LearningTeam, Library


class DeletedRecord(models.Model):
    """A resource that was published and then archived, sent back to draft or review, or deleted.

    Harvesters keep what they harvested until told otherwise, so OAI-PMH lists these as deleted records
    (``deletedRecord`` is ``persistent``). The rows are written and removed by database triggers (migration
    0021) whichever way the status changes or the row goes, and removed again when the resource is republished;
    the resource is named by its id alone, so the row outlives it.
    """

    resource_id = models.BigIntegerField(_("resource id"), primary_key=True)
    deleted_at = models.DateTimeField(_("withdrawn"))
    # The OAI-PMH sets the resource was in when it was withdrawn (library:…, team:…, area:…).
    set_specs = ArrayField(models.CharField(max_length=250), verbose_name=_("sets"), default=list)

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        ordering = ["deleted_at", "resource_id"]
        indexes = [models.Index(fields=["deleted_at", "resource_id"], name="resources_deleted_keyset")]

    def __str__(self) -> str:
        return f"resource {self.resource_id} (withdrawn {self.deleted_at:%Y-%m-%d})"


class HarvestSource(models.Model):
    """An OAI-PMH repository harvested into the catalogue for a library (``manage.py harvest --all``).

    Between runs it remembers the repository's date of the last complete harvest, so the next asks only for what
    changed since; during a run, the resumption token after the last page written, so a harvest stopped by an
    error goes on from there.
    """

    url = models.URLField(
        _("base URL"), max_length=500, help_text=_("The repository's OAI-PMH address, without ?verb=.")
    )
    set_spec = models.CharField(
        _("set"), max_length=200, blank=True, help_text=_("Harvest only this set (its setSpec); empty for all.")
    )
    metadata_prefix = models.CharField(
        _("metadata prefix"), max_length=50, default="oai_dc", help_text=_("The record format to ask for.")
    )
    library = models.ForeignKey(
        Library, verbose_name=_("library"), on_delete=models.PROTECT, related_name="harvest_sources"
    )
    team = models.ForeignKey(
        LearningTeam,
        verbose_name=_("learning team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="harvest_sources",
    )
    publish = models.BooleanField(
        _("publish at once"),
        default=False,
        help_text=_("Otherwise new resources are sent for review to the team's leads."),
    )
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True, editable=False)
    last_datestamp = models.CharField(
        _("last datestamp"),
        max_length=30,
        blank=True,
        editable=False,
        help_text=_("The repository's date of the last complete harvest: the next one asks only for what changed."),
    )
    last_summary = models.TextField(_("summary of the last run"), blank=True, editable=False)
    # An unfinished run: the repository's date when it began, and the token that asks for its next page.
    run_datestamp = models.CharField(max_length=30, blank=True, editable=False)
    resumption_token = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        ordering = ["url", "set_spec", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["url", "set_spec", "metadata_prefix"], name="resources_harvestsource_unique_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.set_spec})" if self.set_spec else self.url


class HarvestedRecord(models.Model):
    """One record a source gave, and the resource it became (or updated, when the catalogue had its address)."""

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="records")
    identifier = models.CharField(max_length=500)
    datestamp = models.CharField(max_length=30)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="harvested_records")
    # The harvest added the resource (rather than finding its address in the catalogue): a deletion archives it.
    created = models.BooleanField(default=False)

    class Meta:
        ordering = ["source", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["source", "identifier"], name="resources_harvestedrecord_unique"),
        ]

    def __str__(self) -> str:
        return self.identifier
