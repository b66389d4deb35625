"""Collections: ordered lists of resources and school offers that a person or a learning team gathers and shares.

A collection is private (its owners only), shared by a secret link (anyone holding the unguessable token), or
public. A public collection reaches public pages only once it has gone through the same review as a resource
(``status`` published, ``resources.services``): drafts and collections in review are seen by their owners and
reviewers only. Deleting a user deletes their collections.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from resources.languages import LANGUAGE_CHOICES, WrittenInALanguage
from resources.models.catalogue import Resource, Status
from resources.models.offers import SchoolOffer
from teams.models import LearningTeam


def new_token() -> str:
    """An unguessable secret for a collection's shared link (256 bits)."""
    return secrets.token_urlsafe(32)


class CollectionVisibility(models.TextChoices):
    PRIVATE = "private", _("private: only you")
    SECRET = "secret", _("shared by a secret link")
    PUBLIC = "public", _("public, after review by the library")


class CollectionQuerySet(models.QuerySet["Collection"]):
    def listed(self) -> CollectionQuerySet:
        """Public and approved: what public pages, search, feeds and the sitemap show."""
        return self.filter(visibility=CollectionVisibility.PUBLIC, status=Status.PUBLISHED)

    def editable_by(self, user: object) -> CollectionQuerySet:
        """The collections a signed-in person owns or shares through a learning team they are a member of."""
        from teams.access import team_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(owner=user) | Q(team__in=team_ids(user)))  # type: ignore[arg-type]


class Collection(WrittenInALanguage, models.Model):
    """A titled, ordered list of resources and school offers, owned by a person or by a learning team."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in web addresses."))
    text = models.TextField(_("short text"), max_length=2000, blank=True, help_text=_("What the collection is for."))
    language = models.CharField(
        _("language"), max_length=20, choices=LANGUAGE_CHOICES, default="sv", help_text=_("The language of the text.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="collections",
    )
    team = models.ForeignKey(
        LearningTeam,
        verbose_name=_("learning team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="collections",
        help_text=_("A team's collection is edited by all its members."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=CollectionVisibility.choices, default=CollectionVisibility.PRIVATE
    )
    token = models.CharField(_("secret link"), max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(_("review status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("Written by the team lead who sent the collection back.")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, team__isnull=True) | Q(owner__isnull=True, team__isnull=False),
                name="resources_collection_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=CollectionVisibility.values), name="resources_collection_visibility_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="resources_collection_status_valid"),
        ]
        indexes = [models.Index(fields=["visibility", "status"], name="resources_collection_listed")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        from django.utils import timezone

        # Dated at its first publication, as resources are.
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("collections:detail", kwargs={"slug": self.slug})

    def get_shared_url(self) -> str:
        return reverse("collections:shared", kwargs={"token": self.token})

    @property
    def library_id(self) -> int | None:
        """The library whose team leads review a personal collection (the owner's); None for a team's."""
        return self.owner.library_id if self.owner_id and self.owner else None

    @property
    def is_listed(self) -> bool:
        return self.visibility == CollectionVisibility.PUBLIC and self.status == Status.PUBLISHED


class CollectionItem(models.Model):
    """One resource or school offer in a collection, at a position, with an optional note."""

    collection = models.ForeignKey(
        Collection, verbose_name=_("collection"), on_delete=models.CASCADE, related_name="items"
    )
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    offer = models.ForeignKey(
        SchoolOffer, verbose_name=_("school offer"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    note = models.CharField(
        _("note"), max_length=500, blank=True, help_text=_("For example: use this before the visit.")
    )
    # The problem (archived, broken link) the owners were last told about, so each is told once.
    notified_problem = models.CharField(max_length=20, blank=True, editable=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__isnull=False, offer__isnull=True) | Q(resource__isnull=True, offer__isnull=False),
                name="resources_collectionitem_one_thing",
            ),
            models.UniqueConstraint(
                fields=["collection", "resource"],
                condition=Q(resource__isnull=False),
                name="resources_item_resource_once",
            ),
            models.UniqueConstraint(
                fields=["collection", "offer"], condition=Q(offer__isnull=False), name="resources_item_offer_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.thing)

    @property
    def thing(self) -> Resource | SchoolOffer:
        return self.resource if self.resource_id else self.offer  # type: ignore[return-value]

    @property
    def problem(self) -> str:
        """ "archived" when the resource or offer is no longer shown, "broken" when its link broke; else ""."""
        thing = self.thing
        if thing.status != Status.PUBLISHED:
            return "archived"
        if isinstance(thing, Resource) and thing.url and thing.link_is_broken:
            return "broken"
        return ""


def new_items_since(collection: Collection, since: datetime) -> models.QuerySet[CollectionItem]:
    """The items added to a collection after ``since`` whose resource or offer is published (for follows)."""
    return (
        collection.items.filter(added_at__gt=since)
        .filter(Q(resource__status=Status.PUBLISHED) | Q(offer__status=Status.PUBLISHED))
        .select_related("resource", "offer")
    )
