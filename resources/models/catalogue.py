"""The catalogue: knowledge areas and the open learning resources curated in them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from resources.languages import LANGUAGE_CHOICES, WrittenInALanguage
from resources.licenses import LICENSE_CHOICES, LICENSES, License
from resources.models.accessibility import (
    AccessibilityFeature,
    AccessibilityHazard,
    AccessMode,
    hazard_conflicts,
    labels_of,
)
from teams.images import WebPImageField
from teams.models import LearningTeam, Library
from teams.uploads import validate_upload

# A link that failed this many checks in a row is flagged broken (manage.py check_links).
BROKEN_AFTER_FAILURES = 3
LINK_HEALTH_FIELDS = ["link_status", "link_error", "link_final_url", "link_checked_at", "link_failures"]
# Resource images are stored this many pixels wide, the height in proportion (teams/images.py).
IMAGE_WIDTH = 640
IMAGE_FIELDS = ["image", "image_width", "image_height", "image_alt"]
ACCESSIBILITY_FIELDS = ["accessibility_features", "accessibility_hazards", "access_modes"]


class Status(models.TextChoices):
    """Where a resource is in its life: only published ones reach the public."""

    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class Audience(models.TextChoices):
    CHILDREN = "children", _("children")
    YOUTH = "youth", _("young people")
    ADULTS = "adults", _("adults")
    SENIORS = "seniors", _("seniors")
    NEWCOMERS = "newcomers", _("newcomers")
    TEACHERS = "teachers", _("teachers")
    LIBRARY_STAFF = "library_staff", _("library staff")


class Kind(models.TextChoices):
    """What sort of thing a resource is; each maps to the HCRT and LRMI vocabularies (resources/vocabularies.py)."""

    ARTICLE = "article", _("article")
    VIDEO = "video", _("video")
    PODCAST = "podcast", _("podcast")
    AUDIO = "audio", _("audio recording")
    COURSE = "course", _("online course")
    LESSON_PLAN = "lesson_plan", _("lesson plan")
    EXERCISE = "exercise", _("exercise")
    WORKSHEET = "worksheet", _("worksheet")
    ASSESSMENT = "assessment", _("assessment")
    GAME = "game", _("educational game")
    SIMULATION = "simulation", _("simulation")
    GUIDE = "guide", _("guide")
    EBOOK = "ebook", _("e-book")
    TEXT = "text", _("text")
    IMAGE = "image", _("image")
    APPLICATION = "application", _("application")
    TOOL = "tool", _("tool")
    WEBSITE = "website", _("website")
    OTHER = "other", _("other")


class ChoiceArrayField(ArrayField):
    """An array of choices, edited as a set of checkboxes."""

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        defaults: dict[str, Any] = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        # Skip ArrayField.formfield, which would build a comma-separated text field.
        return super(ArrayField, self).formfield(**defaults)


class NamedInEachLanguage(models.Model):
    """A name staff give in each interface language (knowledge areas, school subjects), and a slug."""

    name = models.CharField(_("name (Swedish)"), max_length=120)
    name_da = models.CharField(_("name (Danish)"), max_length=120, blank=True)
    name_nb = models.CharField(_("name (Norwegian Bokmål)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("Used in web addresses."))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active interface language, falling back to Swedish."""
        language = translation.get_language() or "sv"
        return getattr(self, f"name_{language}", "") or self.name


class KnowledgeArea(NamedInEachLanguage):
    """A subject field patrons browse by, looked after by one or more learning teams."""

    description = models.TextField(
        _("description"), blank=True, help_text=_("A sentence or two shown on the area's page.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Leave empty for a top-level area."),
    )
    teams = models.ManyToManyField(
        LearningTeam,
        verbose_name=_("responsible learning teams"),
        related_name="knowledge_areas",
        blank=True,
    )
    # Staff sharing (teams) in this area: declared here because teams never imports resources.
    experiences = models.ManyToManyField(
        "teams.Experience", verbose_name=_("exchange-bank entries"), related_name="knowledge_areas", blank=True
    )
    dimensions = models.ManyToManyField(
        "teams.Dimension",
        verbose_name=_("self-assessment dimensions"),
        related_name="knowledge_areas",
        blank=True,
        help_text=_("A team weak in these dimensions is recommended this area's resources."),
    )

    class Meta:
        verbose_name = _("knowledge area")
        verbose_name_plural = _("knowledge areas")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="resources_area_not_own_parent"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("resources:area", kwargs={"slug": self.slug})


# Days a resource may wait in review before the staff home and the admin point at it.
REVIEW_WAIT_DAYS = 7


class ResourceQuerySet(models.QuerySet["Resource"]):
    def published(self) -> ResourceQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def in_area(self, area: KnowledgeArea) -> ResourceQuerySet:
        return self.filter(areas=area)

    def newest_first(self) -> ResourceQuerySet:
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-pk")

    def for_listing(self) -> ResourceQuerySet:
        """What a list of resource cards shows: the curating library and the areas."""
        return self.select_related("library").prefetch_related(
            models.Prefetch("areas", queryset=KnowledgeArea.objects.order_by("name"))
        )

    def with_broken_link(self) -> ResourceQuerySet:
        return self.filter(link_failures__gte=BROKEN_AFTER_FAILURES)

    def waiting_for_review(self) -> ResourceQuerySet:
        """In review and untouched for more than REVIEW_WAIT_DAYS: someone should look at them."""
        since = timezone.now() - timedelta(days=REVIEW_WAIT_DAYS)
        return self.filter(status=Status.IN_REVIEW, updated_at__lt=since)

    def for_detail(self) -> ResourceQuerySet:
        return self.select_related("library", "team").prefetch_related(
            models.Prefetch("areas", queryset=KnowledgeArea.objects.order_by("name")),
            "tags",  # type: ignore[misc]  # django-stubs does not know taggit's manager
        )


class Resource(WrittenInALanguage, models.Model):
    """An open learning resource, curated by a library (and usually one of its learning teams)."""

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True, help_text=_("Used in web addresses."))
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in lists and search results.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the resource offers and how to use it.")
    )
    url = models.URLField(
        _("web address"),
        max_length=500,
        blank=True,
        help_text=_("Where the resource lives. Give a web address or a file."),
    )
    file = models.FileField(
        _("file"),
        upload_to="resources/%Y/",
        blank=True,
        validators=[validate_upload],
        help_text=_("Upload the resource itself if it has no web address."),
    )
    image = WebPImageField(
        _("image"),
        upload_to="images/%Y/",
        width=IMAGE_WIDTH,
        width_field="image_width",
        height_field="image_height",
        blank=True,
        help_text=_(
            "Shown on the resource's card and page. PNG, JPEG, GIF or WebP; stored as a WebP 640 pixels wide. "
            "Left empty, the link check takes the picture the web page names for sharing (og:image)."
        ),
    )
    image_width = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("image text"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it. Leave empty when it only decorates: "
            "screen readers then skip it."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WEBSITE)
    language = models.CharField(
        _("language"),
        max_length=20,
        choices=LANGUAGE_CHOICES,
        help_text=_("The language the resource itself is written or spoken in."),
    )
    audiences = ChoiceArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("audiences"),
        default=list,
        blank=True,
        help_text=_("Who the resource is made for."),
    )
    # Accessibility metadata in schema.org's terms (resources/models/accessibility.py).
    accessibility_features = ChoiceArrayField(
        models.CharField(max_length=30, choices=AccessibilityFeature.choices),
        verbose_name=_("accessibility features"),
        default=list,
        blank=True,
        help_text=_("What the resource offers people who need it. Leave empty when you do not know."),
    )
    accessibility_hazards = ChoiceArrayField(
        models.CharField(max_length=30, choices=AccessibilityHazard.choices),
        verbose_name=_("accessibility hazards"),
        default=list,
        blank=True,
        help_text=_(
            "What may harm some people (flashing can cause seizures), or that it is not there. "
            "Choose “no hazards” only when you have checked all three."
        ),
    )
    access_modes = ChoiceArrayField(
        models.CharField(max_length=30, choices=AccessMode.choices),
        verbose_name=_("access modes"),
        default=list,
        blank=True,
        help_text=_("How the content is perceived: by reading text, by seeing pictures or video, by hearing sound."),
    )
    license = models.CharField(
        _("licence"),
        max_length=40,
        choices=LICENSE_CHOICES,
        help_text=_("The resource's licence, as an SPDX identifier."),
    )
    creator = models.CharField(_("creator"), max_length=200, blank=True, help_text=_("Who made the resource."))
    library = models.ForeignKey(Library, verbose_name=_("library"), on_delete=models.PROTECT, related_name="resources")
    team = models.ForeignKey(
        LearningTeam,
        verbose_name=_("learning team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    areas = models.ManyToManyField(
        KnowledgeArea, verbose_name=_("knowledge areas"), related_name="resources", blank=True
    )
    tags = TaggableManager(_("tags"), blank=True, help_text=_("Comma-separated keywords."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_note = models.TextField(
        _("review note"),
        blank=True,
        help_text=_("Written by the team lead who sent the resource back: what to change before it is published."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Counts saves, so that a save based on an older copy is refused instead of overwriting (the admin).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The tags as text, kept by database triggers (migration 0012) so that the history records tag changes
    # and restoring an old version brings its tags back.
    tags_text = models.TextField(_("tags"), blank=True, editable=False)
    # Link health, kept by manage.py check_links; never edited by hand.
    link_status = models.PositiveSmallIntegerField(
        _("last link status"), null=True, blank=True, editable=False, help_text=_("The HTTP status of the last check.")
    )
    link_error = models.CharField(_("last link error"), max_length=300, blank=True, editable=False)
    link_final_url = models.URLField(
        _("redirects to"), max_length=500, blank=True, editable=False, help_text=_("Where the web address led.")
    )
    link_checked_at = models.DateTimeField(_("link checked"), null=True, blank=True, editable=False)
    link_failures = models.PositiveSmallIntegerField(_("failed link checks in a row"), default=0, editable=False)
    # Kept by database triggers (migration 0002) from the title, tags, areas, summary and description,
    # stemmed in the resource's own language; never written by Python.
    search_vector = SearchVectorField(null=True, editable=False)
    # The ids of the resource's knowledge areas and tags, kept by database triggers (migration 0013) so that
    # search filters and counts them without joins; never written by Python.
    area_ids = ArrayField(models.BigIntegerField(), verbose_name=_("knowledge area ids"), default=list, editable=False)
    tag_ids = ArrayField(models.IntegerField(), verbose_name=_("tag ids"), default=list, editable=False)
    # When the resource last changed for a harvester (OAI-PMH's datestamp): its status or any field the
    # harvesters receive, including its areas and tags. Kept by database triggers (migration 0021); link
    # checks, search-vector rewrites and review notes leave it alone. Never written by Python.
    harvest_changed_at = models.DateTimeField(_("changed for harvesters"), default=timezone.now, editable=False)

    objects = ResourceQuerySet.as_manager()
    # Every change, with who made it and the old values; restored from the admin's history page.
    history = HistoricalRecords(
        verbose_name=_("historical resource"),
        m2m_fields=["areas"],
        excluded_fields=[
            "search_vector",
            "area_ids",
            "tag_ids",
            "updated_at",
            "harvest_changed_at",
            *LINK_HEALTH_FIELDS,
        ],
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        # Unpublished resources have no date; they come last, after the newest published ones.
        ordering = [models.F("published_at").desc(nulls_last=True), "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="resources_resource_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="resources_resource_kind_valid"),
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="resources_resource_has_url_or_file"),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="resources_resource_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="resources_status_published"),
            GinIndex(fields=["audiences"], name="resources_audiences_gin"),
            # The accessibility filters: array overlap (&&) and containment (@>) on a GIN index.
            GinIndex(fields=["accessibility_features"], name="resources_a11y_features_gin"),
            GinIndex(fields=["accessibility_hazards"], name="resources_a11y_hazards_gin"),
            GinIndex(fields=["access_modes"], name="resources_access_modes_gin"),
            GinIndex(fields=["search_vector"], name="resources_search_vector_gin"),
            GinIndex(fields=["area_ids"], name="resources_area_ids_gin"),
            GinIndex(fields=["tag_ids"], name="resources_tag_ids_gin"),
            # The search filters, combined by bitmap scans with each other and with the search-vector index.
            *(
                models.Index(fields=[name], condition=Q(status=Status.PUBLISHED), name=f"resources_published_{name}")
                for name in ["kind", "language", "license"]
            ),
            # OAI-PMH's pages: published resources in datestamp order, resumed after the last one sent.
            models.Index(
                fields=["harvest_changed_at", "id"],
                condition=Q(status=Status.PUBLISHED),
                name="resources_harvest_keyset",
            ),
            models.Index(
                fields=["link_failures"],
                condition=Q(link_failures__gte=BROKEN_AFTER_FAILURES),
                name="resources_broken_links",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The first publication is dated here so the invariant above always holds.
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        # Every save is a new version: the admin refuses a save based on an older one.
        if self.pk is not None:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not self.url and not self.file:
            raise ValidationError({"url": _("Give a web address or upload a file.")})
        team = self.team if self.team_id else None
        if team and self.library_id and not team.libraries.filter(pk=self.library_id).exists():
            raise ValidationError({"team": _("Choose a learning team that the library belongs to.")})
        if conflicts := hazard_conflicts(self.accessibility_hazards):
            message = _("These hazard values contradict each other: %(values)s.")
            raise ValidationError({"accessibility_hazards": message % {"values": ", ".join(conflicts)}})

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(audience, audience)) for audience in self.audiences]

    @property
    def accessibility_labels(self) -> dict[str, list[str]]:
        """The accessibility metadata in the active language: features, hazards and access modes."""
        return {
            "features": labels_of(AccessibilityFeature, self.accessibility_features),
            "hazards": labels_of(AccessibilityHazard, self.accessibility_hazards),
            "modes": labels_of(AccessMode, self.access_modes),
        }

    @property
    def license_info(self) -> License | None:
        return LICENSES.get(self.license)

    @property
    def link_is_broken(self) -> bool:
        return self.link_failures >= BROKEN_AFTER_FAILURES

    @property
    def archived_copy_url(self) -> str:
        """The Internet Archive's latest copy of the web address, for when the address no longer works."""
        return f"https://web.archive.org/web/{self.url}" if self.url else ""

    @property
    def link(self) -> str:
        """Where "open the resource" goes: the web address, or the uploaded file."""
        return self.url or (self.file.url if self.file else "")

    def related(self, limit: int = 4) -> ResourceQuerySet:
        """Other published resources sharing a knowledge area, most recent first."""
        return (
            Resource.objects.published()
            .filter(areas__in=self.areas.all())
            .exclude(pk=self.pk)
            .distinct()
            .newest_first()
            .select_related("library")[:limit]
        )
