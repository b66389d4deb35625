"""Organisations and people: libraries, the learning teams that span them, and their staff."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    SWEDEN = "SE", _("Sweden")
    DENMARK = "DK", _("Denmark")
    NORWAY = "NO", _("Norway")


# The language people in each country read Delarum in: staff e-mail, school-year words.
COUNTRY_LANGUAGES = {Country.SWEDEN: "sv", Country.DENMARK: "da", Country.NORWAY: "nb"}


class Library(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in web addresses."))
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(
        _("region"), max_length=100, help_text=_("County (län, region, fylke) the library belongs to.")
    )
    municipality = models.CharField(_("municipality"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Shown to the public."))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(country__in=Country.values), name="teams_library_country_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:library", kwargs={"slug": self.slug})

    @property
    def address_lines(self) -> list[str]:
        """The visiting address as it is written on an envelope: street, then postal code and city."""
        return [line for line in [self.street_address, f"{self.postal_code} {self.city}".strip()] if line]

    @property
    def language(self) -> str:
        """The language the library's staff read Delarum in, by its country."""
        return COUNTRY_LANGUAGES[Country(self.country)]


class User(AbstractUser):
    """A staff member (or coordinator) who signs in; patrons browse without an account."""

    library = models.ForeignKey(
        Library,
        verbose_name=_("library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("The library this person works at. Staff see and change their own library's things."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        ordering = ["username"]


class LearningTeamQuerySet(models.QuerySet["LearningTeam"]):
    def for_listing(self) -> LearningTeamQuerySet:
        return self.prefetch_related(
            models.Prefetch("libraries", queryset=Library.objects.only("name", "slug", "country"))
        )


class LearningTeam(models.Model):
    """Staff from one or more libraries who look after knowledge areas and curate resources together."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in web addresses."))
    description = models.TextField(_("description"), blank=True, help_text=_("Shown on the public team page."))
    libraries = models.ManyToManyField(Library, verbose_name=_("libraries"), related_name="learning_teams", blank=True)
    members: models.ManyToManyField[User, Membership] = models.ManyToManyField(
        User, verbose_name=_("members"), through="Membership", related_name="learning_teams", blank=True
    )

    objects = LearningTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning team")
        verbose_name_plural = _("learning teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="teams_learningteam_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    """A member's role in a learning team."""

    LEAD = "lead", _("team lead")
    CURATOR = "curator", _("curator")


class Membership(models.Model):
    team = models.ForeignKey(
        LearningTeam, verbose_name=_("learning team"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.CURATOR,
        help_text=_("Curators prepare resources; team leads review and publish them."),
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="teams_membership_once_per_team"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="teams_membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_role_display()})"
