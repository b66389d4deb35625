"""Staff learning from each other: activities with sign-ups, reflections afterwards, the exchange bank."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models.organisations import LearningTeam, Library, User

EXPERIENCE_LANGUAGES = [
    ("sv", _("Swedish")),
    ("da", _("Danish")),
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("workshop")
    STUDY_VISIT = "study_visit", _("study visit")
    NETWORK_MEETING = "network_meeting", _("network meeting")
    COURSE = "course", _("course")


class Visibility(models.TextChoices):
    """Who may read a reflection, chosen by its author."""

    TEAM = "team", _("the activity's learning team")
    STAFF = "staff", _("all library staff")
    PUBLIC = "public", _("everyone (public)")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def upcoming(self) -> ActivityQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self) -> ActivityQuerySet:
        return self.filter(ends_at__lt=timezone.now())

    def for_listing(self) -> ActivityQuerySet:
        return self.select_related("team", "host_library").annotate(
            participant_count=Count("participations", distinct=True)
        )


class Activity(models.Model):
    """Something a learning team does to learn: a workshop, a study visit, a network meeting, a course."""

    team = models.ForeignKey(
        LearningTeam, verbose_name=_("learning team"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.WORKSHOP)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("What will happen, and for whom."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    host_library = models.ForeignKey(
        Library,
        verbose_name=_("host library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_activities",
        help_text=_("For a study visit: the library the staff visit."),
    )
    focus_questions = models.TextField(
        _("focus questions"), blank=True, help_text=_("For a study visit: what to look for, one question a line.")
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="teams_activity_ends_after"),
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="teams_activity_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("staff:activity", kwargs={"pk": self.pk})

    @property
    def is_over(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def focus_question_list(self) -> list[str]:
        return [line.strip() for line in self.focus_questions.splitlines() if line.strip()]


class ParticipationQuerySet(models.QuerySet["Participation"]):
    def without_reflection(self) -> ParticipationQuerySet:
        """The sign-ups whose participant has not written their reflection on the activity."""
        written = Reflection.objects.filter(activity_id=OuterRef("activity_id"), author_id=OuterRef("user_id"))
        return self.exclude(Exists(written))


class Participation(models.Model):
    """A staff member signed up for an activity (for a study visit: one of the visiting staff)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+")
    signed_up_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    reminded_at = models.DateTimeField(
        _("reminded"), null=True, blank=True, help_text=_("When the one reminder to write a reflection was sent.")
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["activity", "signed_up_at"]
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="teams_participation_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.activity}"


class ReflectionQuerySet(models.QuerySet["Reflection"]):
    def public(self) -> ReflectionQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)


class Reflection(models.Model):
    """What one participant took home from an activity; the author chooses who may read it."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="reflections"
    )
    author = models.ForeignKey(User, verbose_name=_("author"), on_delete=models.CASCADE, related_name="reflections")
    saw = models.TextField(_("what I saw"))
    will_try = models.TextField(_("what we will try"), blank=True)
    would_share = models.TextField(_("what I would share"), blank=True)
    visibility = models.CharField(
        _("who may read it"), max_length=10, choices=Visibility.choices, default=Visibility.TEAM
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "author"], name="teams_reflection_one_per_participant"),
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values), name="teams_reflection_visibility"),
        ]

    def __str__(self) -> str:
        return f"{self.author} – {self.activity}"

    def get_absolute_url(self) -> str:
        return reverse("staff:reflection", kwargs={"pk": self.pk})


class ExperienceKind(models.TextChoices):
    EXPERIENCE = "experience", _("experience")
    IDEA = "idea", _("idea")
    INITIATIVE = "initiative", _("initiative")
    PROJECT = "project", _("development project")


class ExperienceStatus(models.TextChoices):
    IDEA = "idea", _("idea")
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")


class Effort(models.TextChoices):
    SMALL = "small", _("small: a few hours")
    MEDIUM = "medium", _("medium: some days")
    LARGE = "large", _("large: weeks or a project")


class ExperienceQuerySet(models.QuerySet["Experience"]):
    def public(self) -> ExperienceQuerySet:
        return self.filter(is_public=True)

    def for_listing(self) -> ExperienceQuerySet:
        return self.select_related("library").annotate(tried_count=Count("tried_too", distinct=True))


class Experience(models.Model):
    """An exchange-bank entry: an experience, idea or initiative (or a finished development project),
    written so that another library can reuse it."""

    kind = models.CharField(_("kind"), max_length=20, choices=ExperienceKind.choices, default=ExperienceKind.EXPERIENCE)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in web addresses."))
    language = models.CharField(
        _("language"), max_length=5, choices=EXPERIENCE_LANGUAGES, default="sv", help_text=_("The text's language.")
    )
    library = models.ForeignKey(
        Library, verbose_name=_("library"), on_delete=models.CASCADE, related_name="experiences"
    )
    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True, related_name="experiences"
    )
    summary = models.CharField(_("in short"), max_length=300, help_text=_("One or two sentences shown in lists."))
    what_we_did = models.TextField(_("what we did"), blank=True)
    why = models.TextField(_("why"), blank=True)
    result = models.TextField(_("result"), blank=True)
    differently = models.TextField(_("what we would do differently"), blank=True)
    effort = models.CharField(_("effort"), max_length=10, choices=Effort.choices, blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExperienceStatus.choices, default=ExperienceStatus.RUNNING
    )
    partners = models.TextField(_("partners"), blank=True)
    funding = models.CharField(_("funding"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    links = models.TextField(_("links"), blank=True, help_text=_("Web addresses, one a line."))
    tags = ArrayField(models.CharField(max_length=60), verbose_name=_("tags"), default=list, blank=True)
    # Development projects.
    coordinator = models.CharField(_("project coordinator"), max_length=200, blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    grant = models.CharField(_("grant"), max_length=100, blank=True, help_text=_("Amount and currency."))
    goals = models.TextField(_("goals"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public entries can be read by anyone; others by staff only.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # Kept by database triggers (migration resources.0011): title, tags, areas, texts, library.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange-bank entry")
        verbose_name_plural = _("exchange-bank entries")
        ordering = ["-created_at"]
        indexes = [GinIndex(fields=["search_vector"], name="teams_experience_search")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ExperienceKind.values), name="teams_experience_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ExperienceStatus.values), name="teams_experience_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="teams_experience_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("staff:experience", kwargs={"slug": self.slug})

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class TriedToo(models.Model):
    """ "We tried this too": another library's short note on an exchange-bank entry, shown to its author."""

    experience = models.ForeignKey(
        Experience, verbose_name=_("exchange-bank entry"), on_delete=models.CASCADE, related_name="tried_too"
    )
    user = models.ForeignKey(User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("“we tried this too”")
        verbose_name_plural = _("“we tried this too”")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["experience", "user"], name="teams_triedtoo_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.experience}"
