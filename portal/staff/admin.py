"""Admin for staff sharing: activities and sign-ups, reflections, the exchange bank, self-assessments.

Here rather than in teams because exchange-bank entries and dimensions are linked to knowledge areas
(declared on ``resources.KnowledgeArea``), which teams may not import.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from resources.models import KnowledgeArea
from teams.admin import ScopedAdmin, SlugFromTitleAdmin
from teams.models import (
    Activity,
    Answer,
    Assessment,
    Dimension,
    Experience,
    Library,
    Participation,
    Questionnaire,
    Reflection,
    Statement,
    TriedToo,
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["signed_up_at", "reminded_at"]


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ["title", "kind", "team", "starts_at", "host_library", "participant_count"]
    list_filter = ["kind", "team"]
    list_select_related = ["team", "host_library"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_at"
    inlines = [ParticipationInline]
    exclude = ["created_by"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "host_library":
            # A study visit goes to another library: any library may host it, not only the person's own.
            kwargs["queryset"] = Library.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(participant_count=Count("participations", distinct=True))

    @admin.display(description=_("signed up"), ordering="participant_count")
    def participant_count(self, activity: Any) -> int:
        return int(activity.participant_count)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Reflection)
class ReflectionAdmin(ScopedAdmin):
    """Coordinators only (authors write and edit their reflections on the staff pages)."""

    list_display = ["activity", "author", "visibility", "created_at"]
    list_filter = ["visibility"]
    list_select_related = ["activity", "author"]
    search_fields = ["saw", "will_try", "would_share", "author__username"]
    autocomplete_fields = ["activity", "author"]


class ExperienceAreaInline(admin.TabularInline):
    model = KnowledgeArea.experiences.through
    extra = 1
    verbose_name = _("knowledge area")
    verbose_name_plural = _("knowledge areas")
    autocomplete_fields = ["knowledgearea"]


class TriedTooInline(admin.TabularInline):
    model = TriedToo
    extra = 0
    readonly_fields = ["user", "note", "created_at"]
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # The row's title (its __str__) names the entry too.
        return super().get_queryset(request).select_related("user", "experience")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Experience)
class ExperienceAdmin(SlugFromTitleAdmin, ScopedAdmin):
    list_display = ["title", "kind", "status", "library", "is_public", "tried_count", "created_at"]
    list_filter = ["kind", "status", "is_public", "library__country"]
    list_select_related = ["library"]
    search_fields = ["title", "summary", "what_we_did"]
    autocomplete_fields = ["library", "author"]
    inlines = [ExperienceAreaInline, TriedTooInline]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "language", "library", "author", "summary", "status",
                           "is_public"]}),
        (_("What and why"), {"fields": ["what_we_did", "why", "result", "differently", "effort"]}),
        (_("Period and people"), {"fields": ["period_start", "period_end", "partners", "funding", "contact_name",
                                              "contact_email", "links", "tags"]}),
        (_("Development project"), {"fields": ["coordinator", "funder", "grant", "goals"]}),
    ]  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(tried_count=Count("tried_too", distinct=True))

    @admin.display(description=_("tried too"), ordering="tried_count")
    def tried_count(self, entry: Any) -> int:
        return int(entry.tried_count)

    def view_on_site(self, entry: Experience) -> str:
        return entry.get_absolute_url()


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 1
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(SlugFromTitleAdmin, admin.ModelAdmin):
    list_display = ["title", "is_active"]
    search_fields = ["title"]
    inlines = [DimensionInline]


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 2


class DimensionAreaInline(admin.TabularInline):
    model = KnowledgeArea.dimensions.through
    extra = 1
    verbose_name = _("knowledge area")
    verbose_name_plural = _("knowledge areas")
    autocomplete_fields = ["knowledgearea"]


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "questionnaire", "position"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    search_fields = ["name"]
    inlines = [StatementInline, DimensionAreaInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["statement", "value"]
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("statement")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ["questionnaire", "team", "filled_in_by", "created_at"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire", "team", "filled_in_by"]
    readonly_fields = ["questionnaire", "team", "filled_in_by"]
    inlines = [AnswerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rounds are filled in on the staff pages
