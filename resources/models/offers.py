"""School offers: what libraries offer to school classes, the sessions they schedule, and teachers' requests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.languages import LANGUAGE_CHOICES, WrittenInALanguage
from resources.models.catalogue import KnowledgeArea, NamedInEachLanguage, Resource, Status
from resources.school_years import FIRST, LAST, range_label, year_label
from teams.models import Country, LearningTeam, Library

YEAR_VALIDATORS = [MinValueValidator(FIRST), MaxValueValidator(LAST)]
MAX_PROPOSED_DATES = 3
CURRENCIES = {Country.SWEDEN: "SEK", Country.DENMARK: "DKK", Country.NORWAY: "NOK"}


class Subject(NamedInEachLanguage):
    """A school subject offers are made for, named in each interface language."""

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]


class OfferFormat(models.TextChoices):
    """Where an offer happens."""

    AT_LIBRARY = "library", _("at the library")
    AT_SCHOOL = "school", _("at the school")
    ONLINE = "online", _("online")


class Booking(models.TextChoices):
    """How an offer is booked."""

    SESSIONS = "sessions", _("in sessions the library schedules")
    ON_REQUEST = "request", _("on request, on dates the teacher proposes")


class SchoolOfferQuerySet(models.QuerySet["SchoolOffer"]):
    def published(self) -> SchoolOfferQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def for_year(self, year: int) -> SchoolOfferQuerySet:
        """Offers whose range of school years covers the year."""
        return self.for_years(year, year)

    def for_years(self, first: int, last: int) -> SchoolOfferQuerySet:
        """Offers for any school year of the band first–last: their range and the band overlap."""
        return self.filter(year_from__lte=last, year_to__gte=first)

    def newest_first(self) -> SchoolOfferQuerySet:
        return self.order_by(F("published_at").desc(nulls_last=True), "-pk")

    def for_listing(self) -> SchoolOfferQuerySet:
        return self.select_related("library")

    def for_feed(self) -> SchoolOfferQuerySet:
        """What a feed entry says: the library, the knowledge areas and the subjects."""
        return self.select_related("library").prefetch_related(
            models.Prefetch("areas", queryset=KnowledgeArea.objects.order_by("name")),
            models.Prefetch("subjects", queryset=Subject.objects.order_by("name")),
        )

    def for_detail(self) -> SchoolOfferQuerySet:
        """Everything the offer's page shows, in a fixed number of queries."""
        return self.select_related("library").prefetch_related(
            models.Prefetch("areas", queryset=KnowledgeArea.objects.order_by("name")),
            models.Prefetch("subjects", queryset=Subject.objects.order_by("name")),
            models.Prefetch("preparation", queryset=Resource.objects.published().order_by("title")),
            models.Prefetch(
                "sessions",
                queryset=OfferSession.objects.upcoming().order_by("starts_at"),
                to_attr="upcoming_sessions",
            ),
        )


class SchoolOffer(WrittenInALanguage, models.Model):
    """Something a library offers school classes: a workshop, a book talk, a club, a guided visit."""

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True, help_text=_("Used in web addresses."))
    summary = models.CharField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in lists and search results.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the class does and learns, and how the visit goes.")
    )
    areas = models.ManyToManyField(
        KnowledgeArea, verbose_name=_("knowledge areas"), related_name="school_offers", blank=True
    )
    subjects = models.ManyToManyField(Subject, verbose_name=_("subjects"), related_name="school_offers", blank=True)
    year_from = models.PositiveSmallIntegerField(
        _("from school year"),
        validators=YEAR_VALIDATORS,
        help_text=_(
            "On the shared scale, by the pupils' age: 0 is förskoleklass / 0. klasse / 1. trinn, 1–9 are åk 1–9 / "
            "1.–9. klasse / 2.–10. trinn, 10–12 upper secondary (gymnasiet år 1–3 / 10. klasse and 1.–3.g / vg1–vg3)."
        ),
    )
    year_to = models.PositiveSmallIntegerField(_("to school year"), validators=YEAR_VALIDATORS)
    format = models.CharField(_("where"), max_length=20, choices=OfferFormat.choices, default=OfferFormat.AT_LIBRARY)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1)], help_text=_("How long one visit lasts.")
    )
    max_pupils = models.PositiveIntegerField(
        _("maximum pupils per group"), validators=[MinValueValidator(1)], help_text=_("The most one group may have.")
    )
    price = models.DecimalField(
        _("price"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Per group, in the library's currency (kronor or kroner). 0 means free."),
    )
    language = models.CharField(
        _("language"), max_length=20, choices=LANGUAGE_CHOICES, help_text=_("The language the offer is given in.")
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, quiet room, material in other languages ..."),
    )
    preparation = models.ManyToManyField(
        Resource,
        verbose_name=_("preparation material"),
        related_name="school_offers",
        blank=True,
        limit_choices_to={"status": Status.PUBLISHED},
        help_text=_("Published resources the class can use before or after the visit."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("Booking requests are sent here. Shown to teachers.")
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    booking = models.CharField(_("booking"), max_length=20, choices=Booking.choices, default=Booking.SESSIONS)
    season_start = models.DateField(
        _("season starts"),
        null=True,
        blank=True,
        help_text=_("For offers booked on request: the first day a teacher may propose."),
    )
    season_end = models.DateField(
        _("season ends"), null=True, blank=True, help_text=_("For offers booked on request: the last day.")
    )
    library = models.ForeignKey(
        Library, verbose_name=_("library"), on_delete=models.PROTECT, related_name="school_offers"
    )
    team = models.ForeignKey(
        LearningTeam,
        verbose_name=_("learning team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="school_offers",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Kept by database triggers (migration offer_search_triggers) from the title, subjects, areas, summary,
    # description and the library's name and place, stemmed in the offer's own language; never written by Python.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SchoolOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("school offer")
        verbose_name_plural = _("school offers")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="resources_offer_status_valid"),
            models.CheckConstraint(condition=Q(format__in=OfferFormat.values), name="resources_offer_format_valid"),
            models.CheckConstraint(condition=Q(booking__in=Booking.values), name="resources_offer_booking_valid"),
            models.CheckConstraint(
                condition=Q(year_from__gte=FIRST, year_to__lte=LAST, year_from__lte=F("year_to")),
                name="resources_offer_years_in_order",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, max_pupils__gte=1, price__gte=0),
                name="resources_offer_sizes_positive",
            ),
            models.CheckConstraint(
                condition=~Q(booking=Booking.ON_REQUEST) | Q(season_start__isnull=False, season_end__isnull=False),
                name="resources_offer_on_request_has_season",
            ),
            models.CheckConstraint(
                condition=Q(season_start__isnull=True)
                | Q(season_end__isnull=True)
                | Q(season_start__lte=F("season_end")),
                name="resources_offer_season_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="resources_offer_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "year_from", "year_to"], name="resources_offer_status_years"),
            GinIndex(fields=["search_vector"], name="resources_offer_search_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The first publication is dated here so the invariant above always holds.
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("offers:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            errors.setdefault("year_to", []).append(_("The last school year cannot come before the first."))
        if self.booking == Booking.ON_REQUEST and not (self.season_start and self.season_end):
            errors.setdefault("season_start", []).append(
                _("Offers booked on request need a season: the first and last day teachers may propose.")
            )
        if self.season_start and self.season_end and self.season_start > self.season_end:
            errors.setdefault("season_end", []).append(_("The season cannot end before it starts."))
        library = self.library if self.library_id else None
        team = self.team if self.team_id else None
        if team and library and not team.libraries.filter(pk=library.pk).exists():
            errors.setdefault("team", []).append(_("Choose a learning team that the library belongs to."))
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def country(self) -> str:
        return self.library.country

    @property
    def years_label(self) -> str:
        """The school years in the library's country's words: 'åk 7–9', '7.–9. klasse', '8.–10. trinn'."""
        return range_label(self.library.country, self.year_from, self.year_to)

    @property
    def years_language(self) -> str:
        """The language the school-year labels are written in: the library's country's."""
        return self.library.language

    @property
    def year_choices(self) -> list[tuple[int, str]]:
        return [(year, year_label(self.library.country, year)) for year in range(self.year_from, self.year_to + 1)]

    @property
    def is_free(self) -> bool:
        return not self.price

    @property
    def currency(self) -> str:
        return CURRENCIES[Country(self.library.country)]

    @property
    def books_sessions(self) -> bool:
        return self.booking == Booking.SESSIONS

    @property
    def notification_email(self) -> str:
        """Where the library hears of new requests: the offer's contact, else the library's address."""
        return self.contact_email or self.library.email


class OfferSessionQuerySet(models.QuerySet["OfferSession"]):
    def upcoming(self) -> OfferSessionQuerySet:
        return self.filter(starts_at__gt=timezone.now())

    def with_places(self) -> OfferSessionQuerySet:
        return self.filter(groups_booked__lt=F("capacity"))


class OfferSession(models.Model):
    """A date and time the library has set aside for an offer, for a number of groups."""

    offer = models.ForeignKey(
        SchoolOffer, verbose_name=_("school offer"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    capacity = models.PositiveSmallIntegerField(
        _("groups"), default=1, validators=[MinValueValidator(1)], help_text=_("How many groups (classes) it takes.")
    )
    # Claimed and released only by the booking services, with the row locked; never edited by hand.
    groups_booked = models.PositiveSmallIntegerField(_("groups booked"), default=0, editable=False)

    objects = OfferSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "starts_at"], name="resources_session_once_per_time"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="resources_session_takes_a_group"),
            models.CheckConstraint(
                condition=Q(groups_booked__gte=0, groups_booked__lte=F("capacity")),
                name="resources_session_not_overbooked",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.offer} – {local:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.capacity is not None and self.capacity < self.groups_booked:
            raise ValidationError(
                {"capacity": _("%(count)s groups have booked this session already.") % {"count": self.groups_booked}}
            )

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.groups_booked, 0)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.offer.duration_minutes)

    @property
    def date(self) -> date:
        return timezone.localdate(self.starts_at)


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("received")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled by the teacher")


# Requests in these states hold their place in a session.
ACTIVE_STATUSES = [BookingStatus.PENDING, BookingStatus.CONFIRMED]


class BookingRequestQuerySet(models.QuerySet["BookingRequest"]):
    def active(self) -> BookingRequestQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def for_listing(self) -> BookingRequestQuerySet:
        return self.select_related("offer", "offer__library", "session")


class BookingRequest(models.Model):
    """A teacher's request to bring a class to an offer: a session, or dates they propose."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    offer = models.ForeignKey(
        SchoolOffer, verbose_name=_("school offer"), on_delete=models.PROTECT, related_name="booking_requests"
    )
    session = models.ForeignKey(
        OfferSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booking_requests",
    )
    proposed_dates = ArrayField(
        models.DateField(),
        verbose_name=_("proposed dates"),
        default=list,
        blank=True,
        help_text=_("For offers booked on request: up to three dates the teacher proposed."),
    )
    visit_date = models.DateField(
        _("date of the visit"),
        help_text=_("The session's date, or for offers booked on request the date agreed with the teacher."),
    )
    teacher_name = models.CharField(_("teacher"), max_length=200, blank=True)
    school = models.CharField(_("school"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    school_year = models.PositiveSmallIntegerField(_("school year"), validators=YEAR_VALIDATORS)
    pupils = models.PositiveSmallIntegerField(_("pupils"), validators=[MinValueValidator(1)])
    message = models.TextField(_("message from the teacher"), blank=True)
    language = models.CharField(
        _("language of the teacher"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("E-mails to the teacher are written in this language."),
    )
    consented_at = models.DateTimeField(_("consent given"))
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.PENDING)
    staff_message = models.TextField(_("message sent to the teacher"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    # One per rendered form: a double-click or a re-posted form finds the request it already made.
    form_token = models.UUIDField(_("form token"), editable=False)
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BookingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking request")
        verbose_name_plural = _("booking requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["form_token"], name="resources_booking_form_token_once"),
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="resources_booking_status_valid"),
            models.CheckConstraint(
                condition=Q(school_year__gte=FIRST, school_year__lte=LAST, pupils__gte=1),
                name="resources_booking_year_and_pupils_valid",
            ),
            models.CheckConstraint(
                condition=Q(proposed_dates__len__lte=MAX_PROPOSED_DATES), name="resources_booking_three_dates"
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=False) | Q(proposed_dates__len__gte=1),
                name="resources_booking_session_or_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["visit_date"], name="resources_booking_visit_date"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def can_be_cancelled(self) -> bool:
        return self.is_active and self.visit_date >= timezone.localdate()

    @property
    def school_year_label(self) -> str:
        return year_label(self.offer.library.country, self.school_year)
