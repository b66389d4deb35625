"""What harvesters (OAI-PMH) are told about resources that were public and no longer are."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


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
