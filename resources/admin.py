from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from resources.models import Audience, KnowledgeArea, Resource, Term, TermGroup
from teams.admin import ScopedAdmin


@admin.register(KnowledgeArea)
class KnowledgeAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_da", "name_nb", "name_en", "parent", "slug"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_da", "name_nb", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "teams"]
    fields = ["name", "name_da", "name_nb", "name_en", "slug", "description", "parent", "teams"]


class AudienceFilter(admin.SimpleListFilter):
    title = _("audience")
    parameter_name = "audience"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Audience.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value():
            return queryset.filter(audiences__contains=[self.value()])
        return queryset


@admin.register(Resource)
class ResourceAdmin(ScopedAdmin):
    list_display = ["title", "status", "kind", "language", "library", "team", "updated_at"]
    list_filter = ["status", "kind", "language", AudienceFilter, "license", "library__country"]
    list_select_related = ["library", "team"]
    # Tens of thousands of rows: no second COUNT(*) of the unfiltered table on every page.
    show_full_result_count = False
    search_fields = ["title", "summary", "creator", "url"]
    date_hierarchy = "updated_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["library", "team", "areas"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description"]}),
        (_("Where to find it"), {"fields": ["url", "file"]}),
        (_("Describe it"), {"fields": ["kind", "language", "audiences", "license", "creator", "areas", "tags"]}),
        (
            _("Responsibility and status"),
            {"fields": ["library", "team", "status", "published_at", "created_at", "updated_at"]},
        ),
    ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        library_id = getattr(request.user, "library_id", None)
        if library_id:
            initial.setdefault("library", str(library_id))
        return initial


class TermInline(admin.TabularInline):
    model = Term
    extra = 3


@admin.register(TermGroup)
class TermGroupAdmin(admin.ModelAdmin):
    """Equivalent words across the languages: a query for one also finds resources using the others."""

    list_display = ["concept", "term_list"]
    search_fields = ["concept", "terms__text"]
    list_filter = ["terms__language"]
    inlines = [TermInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("terms")

    @admin.display(description=_("terms"))
    def term_list(self, group: TermGroup) -> str:
        return ", ".join(f"{term.text} ({term.language})" for term in group.terms.all())
