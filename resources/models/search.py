"""What search knows besides the resources themselves: equivalent terms across languages, and the vocabulary."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class TermLanguage(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    DANISH = "da", _("Danish")
    BOKMAL = "nb", _("Norwegian Bokmål")
    NYNORSK = "nn", _("Norwegian Nynorsk")
    ENGLISH = "en", _("English")


class TermGroup(models.Model):
    """Words that mean the same in the Scandinavian languages and English (källkritik, kildekritik, ...).

    A query containing one of them also finds resources that use the others.
    """

    concept = models.CharField(
        _("concept"),
        max_length=120,
        unique=True,
        help_text=_("A short name for what the terms mean, for staff (usually the English term)."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Anything other curators should know."))

    class Meta:
        verbose_name = _("term group")
        verbose_name_plural = _("term groups")
        ordering = ["concept"]

    def __str__(self) -> str:
        return self.concept


class Term(models.Model):
    group = models.ForeignKey(TermGroup, verbose_name=_("term group"), on_delete=models.CASCADE, related_name="terms")
    language = models.CharField(_("language"), max_length=2, choices=TermLanguage.choices)
    text = models.CharField(
        _("term"), max_length=120, help_text=_("In its basic form, lower case: “källkritik”, “jobbsøknad”.")
    )

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["group", "language", "text"]
        constraints = [
            models.UniqueConstraint("group", "language", Lower("text"), name="resources_term_once_per_group"),
            models.CheckConstraint(
                condition=models.Q(language__in=TermLanguage.values), name="resources_term_language_valid"
            ),
        ]
        indexes = [models.Index(Lower("text"), name="resources_term_text_lower")]

    def __str__(self) -> str:
        return f"{self.text} ({self.language})"


class SearchWord(models.Model):
    """A word that occurs in published or draft resources, kept by database triggers.

    Search uses it to correct typos ("progamering"), to join split compounds ("släkt forskning") and to
    tell which language a query is written in ("bibliotekerne" occurs in Danish records only).
    """

    word = models.CharField(max_length=100, primary_key=True)
    languages = ArrayField(models.CharField(max_length=20), default=list, blank=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        ordering = ["word"]
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="resources_searchword_trgm")]

    def __str__(self) -> str:
        return self.word


class ResourceTerm(models.Model):
    """One lexeme of a published resource's title, tags, knowledge areas or summary, with the rank that lexeme
    alone gives the resource: per lexeme, the resources that rank best for it, read from an index in order.

    Kept by database triggers on the resources (migration ``resources.0026``), never written from Python. A broad
    search ranks the best of these for its words rather than every hit (``resources.selectors``).
    """

    lexeme = models.TextField(db_collation="C")
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    weight = models.FloatField()
    # The rank of the lexeme as a prefix (*bibliotek:\**: every lexeme it begins, as a query's long words match).
    prefix_weight = models.FloatField()
    published_at = models.DateTimeField(null=True)
    # The resource's language: a search written in it ranks the resource higher.
    language = models.CharField(max_length=20)

    class Meta:
        ordering = ["lexeme", "-weight"]
        indexes = [
            models.Index(fields=["lexeme", "-weight", "-published_at", "-resource"], name="resources_term_best_first"),
            models.Index(
                fields=["lexeme", "-prefix_weight", "-published_at", "-resource"], name="resources_term_best_prefixed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lexeme} ({self.resource_id}: {self.weight:.3f})"
