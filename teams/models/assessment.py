"""Digital-maturity self-assessment: questionnaires of dimensions and statements, rounds a team fills in."""

from __future__ import annotations

from django.db import models
from django.db.models import Avg, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from teams.models.organisations import LearningTeam, User

# The answer scale, 1–4, as staff read it.
SCALE = [
    (1, _("1 – not started")),
    (2, _("2 – getting started")),
    (3, _("3 – established")),
    (4, _("4 – leading the way")),
]


class DimensionFocus(models.TextChoices):
    """Whom a dimension is about, and so what its recommendations are for."""

    STAFF = "staff", _("the library's staff and organisation")
    PATRONS = "patrons", _("the people the library serves")


class Questionnaire(models.Model):
    """A self-assessment coordinators define: dimensions, each with statements answered on a 1–4 scale."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in web addresses."))
    description = models.TextField(_("description"), blank=True, help_text=_("Shown before the statements."))
    is_active = models.BooleanField(_("open for answers"), default=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("staff:questionnaire", kwargs={"slug": self.slug})


class Dimension(models.Model):
    """One side of digital maturity (leadership, skills, tools ...), linked to knowledge areas."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="dimensions"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    focus = models.CharField(
        _("who it is about"),
        max_length=10,
        choices=DimensionFocus.choices,
        default=DimensionFocus.STAFF,
        help_text=_(
            "A team weak in a staff dimension (leadership, skills) is recommended material for library staff; "
            "in a patron dimension, any resource of its areas."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="statements"
    )
    text = models.CharField(_("statement"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["dimension", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_listing(self) -> AssessmentQuerySet:
        return self.select_related("questionnaire", "team").annotate(average=Avg("answers__value"))


class Assessment(models.Model):
    """One round of a questionnaire filled in by a learning team (a library's or a school's)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="assessments"
    )
    team = models.ForeignKey(
        LearningTeam, verbose_name=_("learning team"), on_delete=models.CASCADE, related_name="assessments"
    )
    filled_in_by = models.ForeignKey(
        User, verbose_name=_("filled in by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("filled in"), auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.questionnaire} – {self.team} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("staff:assessment", kwargs={"pk": self.pk})


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("self-assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(_("answer"), choices=SCALE)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["assessment", "statement"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "statement"], name="teams_answer_once"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=4), name="teams_answer_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.value}"
