from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count, ForeignKey, QuerySet, URLField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from teams.access import is_coordinator, team_ids, visible_to
from teams.models import LearningTeam, Library, Membership, User


class ScopedAdmin(admin.ModelAdmin):
    """Limits rows and foreign-key choices to the signed-in person's library and teams.

    Subclasses name the fields that tie a row to a library and a learning team.
    """

    library_field: str | None = "library"
    team_field: str | None = "team"
    # A web address typed without a scheme means https (Django 6's default).
    formfield_overrides = {URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return visible_to(
            super().get_queryset(request), request.user, library_field=self.library_field, team_field=self.team_field
        )

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        user = request.user
        if not is_coordinator(user):
            if db_field.name == self.library_field:
                kwargs["queryset"] = Library.objects.filter(pk__in=[getattr(user, "library_id", None)])
            elif db_field.name == self.team_field:
                kwargs["queryset"] = LearningTeam.objects.filter(pk__in=team_ids(user))  # type: ignore[arg-type]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Library)
class LibraryAdmin(ScopedAdmin):
    library_field = "pk"
    team_field = None
    list_display = ["name", "country", "region", "municipality", "email"]
    list_filter = ["country", "region"]
    search_fields = ["name", "municipality", "region", "city"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "country", "region", "municipality"]}),
        (_("Visiting address"), {"fields": ["street_address", "postal_code", "city"]}),
        (_("Contact"), {"fields": ["email", "phone", "website"]}),
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(LearningTeam)
class LearningTeamAdmin(ScopedAdmin):
    library_field = "libraries"
    team_field = "pk"
    list_display = ["name", "slug", "member_count"]
    search_fields = ["name", "description"]
    list_filter = ["libraries__country"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["libraries"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(member_count=Count("memberships", distinct=True))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, team: Any) -> int:
        return int(team.member_count)

    def view_on_site(self, team: LearningTeam) -> str:
        return team.get_absolute_url()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "library", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "library__country"]
    list_select_related = ["library"]
    autocomplete_fields = ["library"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Library"), {"fields": ["library"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Staff find their own library's colleagues (for team memberships); coordinators find everyone.
        return visible_to(super().get_queryset(request), request.user, library_field="library", team_field=None)
