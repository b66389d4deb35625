from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from resources.models import (
    Term,
    TermGroup,
)


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
