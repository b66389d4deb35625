"""Usage statistics: how often resource and offer pages are read, resources opened, added to collections, and
what people search for. Daily sums only: no visitor, address, cookie or browser is ever stored (resources/usage.py
writes them, one upsert per counted event)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from resources.models.catalogue import Resource
from resources.models.offers import SchoolOffer


class UsageKind(models.TextChoices):
    """What was counted."""

    VIEW = "view", _("page views")
    OPEN = "open", _("clicks through")  # to the resource's own address (resources:go)
    COLLECTION_ADD = "collection_add", _("collection adds")


class DailyCount(models.Model):
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20, choices=UsageKind.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        abstract = True


class ResourceUsage(DailyCount):
    """How often one resource was used on one day, one row per kind."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="usage_days"
    )

    class Meta:
        # The admin lists this model as the statistics page.
        verbose_name = _("usage statistics")
        verbose_name_plural = _("usage statistics")
        ordering = ["-day", "resource"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "kind", "day"], name="resources_resource_usage_one_a_day"),
            models.CheckConstraint(condition=Q(kind__in=UsageKind.values), name="resources_resource_usage_kind"),
        ]
        indexes = [models.Index(fields=["day"], name="resources_resource_usage_day")]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.kind} {self.day}: {self.count}"


class OfferUsage(DailyCount):
    """How often one school offer's page was read (or the offer added to a collection) on one day.

    Booking requests are not counted here: they are read from the booking requests themselves."""

    offer = models.ForeignKey(
        SchoolOffer, verbose_name=_("school offer"), on_delete=models.CASCADE, related_name="usage_days"
    )

    class Meta:
        verbose_name = _("school offer use on a day")
        verbose_name_plural = _("school offer use by day")
        ordering = ["-day", "offer"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "kind", "day"], name="resources_offer_usage_one_a_day"),
            models.CheckConstraint(
                condition=Q(kind__in=[UsageKind.VIEW, UsageKind.COLLECTION_ADD]), name="resources_offer_usage_kind"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="resources_offer_usage_day")]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.kind} {self.day}: {self.count}"


class SearchUsage(models.Model):
    """One search text on one day: how often it was asked, how often it found nothing, and what it found last.

    The text is normalised (resources.usage.normalise_query); texts that look like an e-mail address or a
    number a person could be known by are never stored."""

    day = models.DateField(_("day"))
    query = models.CharField(_("search"), max_length=100)
    count = models.PositiveIntegerField(_("searches"), default=0)
    empty = models.PositiveIntegerField(_("searches that found nothing"), default=0)
    hits = models.PositiveIntegerField(_("hits of the last search"), default=0)

    class Meta:
        verbose_name = _("search on a day")
        verbose_name_plural = _("searches by day")
        ordering = ["-day", "query"]
        constraints = [models.UniqueConstraint(fields=["query", "day"], name="resources_search_usage_one_a_day")]
        indexes = [models.Index(fields=["day"], name="resources_search_usage_day")]

    def __str__(self) -> str:
        return f"{self.query!r} {self.day}: {self.count}"
