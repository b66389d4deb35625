from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit import admin as taggit_admin
from taggit.models import Tag
from taggit.utils import parse_tags

from resources import semantic, services
from resources.admin.imports import ResourceImportMixin
from resources.models import (
    Audience,
    KnowledgeArea,
    Resource,
    Status,
)
from resources.models.catalogue import BROKEN_AFTER_FAILURES, LINK_HEALTH_FIELDS, REVIEW_WAIT_DAYS
from teams.access import can_change, can_publish, changeable_by, is_coordinator, publishable_by
from teams.admin import ScopedAdmin, SlugFromTitleAdmin, VersionedModelForm


@admin.register(KnowledgeArea)
class KnowledgeAreaAdmin(SlugFromTitleAdmin, admin.ModelAdmin):
    list_display = ["name", "name_da", "name_nb", "name_en", "parent", "slug"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_da", "name_nb", "name_en", "slug"]
    slug_source = "name"
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


class LinkHealthFilter(admin.SimpleListFilter):
    title = _("link health")
    parameter_name = "link"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("broken", str(_("broken"))),
            ("failing", str(_("failed recently"))),
            ("unchecked", str(_("not checked"))),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "broken":
            return queryset.with_broken_link()  # type: ignore[attr-defined]
        if self.value() == "failing":
            return queryset.filter(link_failures__gt=0, link_failures__lt=BROKEN_AFTER_FAILURES)
        if self.value() == "unchecked":
            return queryset.filter(link_checked_at__isnull=True).exclude(url="")
        return queryset


class WaitingForReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "waiting"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        label = ngettext(
            "waiting for review for more than %(days)d day",
            "waiting for review for more than %(days)d days",
            REVIEW_WAIT_DAYS,
        )
        return [("1", label % {"days": REVIEW_WAIT_DAYS})]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "1":
            return queryset.waiting_for_review()  # type: ignore[attr-defined]
        return queryset


class ResourceAdminForm(VersionedModelForm):
    """The resource form; "send back" needs a note for the curator."""

    workflow_action: str | None = None
    # Restoring an old version: its tags are those it had then, not those the resource has now.
    restoring: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.restoring and "tags" in self.fields:
            self.initial["tags"] = [Tag(name=name) for name in parse_tags(self.instance.tags_text)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.workflow_action == "_send_back" and not (cleaned.get("review_note") or "").strip():
            self.add_error("review_note", _("Write what the curator should change before sending it back."))
        if self.workflow_action == "_submit_for_review" and "library" in cleaned and "team" in cleaned:
            library, team = cleaned["library"], cleaned["team"]
            ids = {"library_id": library.pk if library else None, "team_id": team.pk if team else None}
            if problem := services.no_reviewer_problem(**ids):
                self.add_error("team", problem)
        return cleaned


class ResourceActionForm(helpers.ActionForm):
    """The action bar, with the knowledge area or tag that "add to area" and "add tag" use."""

    area = forms.ModelChoiceField(
        KnowledgeArea.objects.order_by("name"), required=False, label=_("area"), empty_label=_("(area)")
    )
    tag = forms.CharField(required=False, label=_("tag"), max_length=100)


# The buttons under a resource's form: (POST name, label, who may press it).
WORKFLOW_BUTTONS = [
    ("_submit_for_review", _("Save and send for review"), "change"),
    ("_publish", _("Save and publish"), "publish"),
    ("_send_back", _("Save and send back to the curator"), "publish"),
    ("_archive", _("Save and archive"), "publish"),
]


@admin.register(Resource)
class ResourceAdmin(SlugFromTitleAdmin, ResourceImportMixin, ScopedAdmin):
    form = ResourceAdminForm
    action_form = ResourceActionForm
    concurrency_field = "version"
    history_name_lists = ("tags_text",)
    list_display = ["title", "status", "kind", "language", "library", "team", "link_state", "updated_at"]
    list_filter = [
        "status",
        "kind",
        "language",
        AudienceFilter,
        "license",
        "library__country",
        LinkHealthFilter,
        WaitingForReviewFilter,
    ]
    list_select_related = ["library", "team"]
    # Tens of thousands of rows: no second COUNT(*) of the unfiltered table on every page.
    show_full_result_count = False
    search_fields = ["title", "summary", "creator", "url"]
    date_hierarchy = "updated_at"
    autocomplete_fields = ["library", "team", "areas"]
    readonly_fields = ["published_at", "created_at", "updated_at", *LINK_HEALTH_FIELDS]
    actions = ["submit_for_review", "publish", "archive", "add_to_area", "add_tag"]
    # The export has the import's columns, so an exported file can be edited and imported again.
    csv_fields = [
        "title", "url", "language", "summary", "description", "kind", "tags", "audiences", "license", "creator",
        "areas", "accessibility_features", "accessibility_hazards", "access_modes", "status", "library", "team",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description"]}),
        (_("Where to find it"), {"fields": ["url", "file"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Describe it"), {"fields": ["kind", "language", "audiences", "license", "creator", "areas", "tags"]}),
        (_("Accessibility"), {"fields": ["accessibility_features", "accessibility_hazards", "access_modes"]}),
        (
            _("Responsibility and status"),
            {"fields": ["library", "team", "status", "review_note", "published_at", "created_at", "updated_at"]},
        ),
        (_("Link health"), {"fields": [*LINK_HEALTH_FIELDS], "classes": ["collapse"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        # The status moves with the review buttons; only coordinators set it by hand.
        if not is_coordinator(request.user):
            readonly.append("status")
        if obj is None or not can_publish(request.user, obj):
            readonly.append("review_note")
        return readonly

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.restoring = getattr(request, "restoring_version", False)
        form.workflow_action = next((name for name, *_rest in WORKFLOW_BUTTONS if name in request.POST), None)
        return form

    def workflow_buttons(self, request: HttpRequest, obj: Resource | None) -> list[tuple[str, str]]:
        """The review buttons this person may press for this resource in its status."""
        if obj is None:
            return [(name, str(label)) for name, label, rule in WORKFLOW_BUTTONS if name == "_submit_for_review"]
        allowed = {"change": can_change(request.user, obj), "publish": can_publish(request.user, obj)}
        return [
            (name, str(label))
            for name, label, rule in WORKFLOW_BUTTONS
            if allowed[rule] and obj.status in services.STARTS_FROM[name.removeprefix("_")]
        ]

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        obj = kwargs.get("obj")
        context["workflow_buttons"] = self.workflow_buttons(request, obj)
        if obj is not None and obj.status == Status.DRAFT and obj.review_note:
            context["review_note"] = obj.review_note
        return super().render_change_form(request, context, *args, **kwargs)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        request.restoring_version = True  # type: ignore[attr-defined]
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The save a moment ago wrote this change's line in the history; the tags join it there.
        services.resource_record_tags(resource=form.instance, user=request.user, amend_latest=True)
        semantic.embed_later([form.instance.pk])
        # The review step comes after everything typed is saved, so it is a separate line in the history.
        resource, user, action = form.instance, request.user, form.workflow_action
        if action == "_submit_for_review":
            services.resource_submit_for_review(resource=resource, user=user)
            names = services.review_names(library_id=resource.library_id, team_id=resource.team_id)
            self.message_user(
                request,
                _("Sent for review: %(reviewers)s will publish it or send it back.") % {"reviewers": ", ".join(names)},
            )
        elif action == "_publish":
            services.resource_publish(resource=resource, user=user)
            self.message_user(request, _("Published: patrons can find it now."))
        elif action == "_send_back":
            services.resource_send_back(resource=resource, user=user, note=resource.review_note)
            self.message_user(request, _("Sent back to the curator with your note."))
        elif action == "_archive":
            services.resource_archive(resource=resource, user=user)
            self.message_user(request, _("Archived: patrons no longer see it."))

    @admin.display(description=_("link"), ordering="link_failures")
    def link_state(self, resource: Resource) -> str:
        if resource.link_is_broken:
            return str(_("broken"))
        if resource.link_checked_at is None:
            return str(_("not checked"))
        return str(_("works")) if resource.link_failures == 0 else str(_("failed recently"))

    def csv_tags(self, resource: Resource) -> str:
        return ";".join(sorted(tag.name for tag in resource.tags.all()))

    def csv_areas(self, resource: Resource) -> str:
        return ";".join(area.slug for area in resource.areas.all())

    def csv_audiences(self, resource: Resource) -> str:
        return ";".join(resource.audiences)

    def csv_accessibility_features(self, resource: Resource) -> str:
        return ";".join(resource.accessibility_features)

    def csv_accessibility_hazards(self, resource: Resource) -> str:
        return ";".join(resource.accessibility_hazards)

    def csv_access_modes(self, resource: Resource) -> str:
        return ";".join(resource.access_modes)

    def csv_status(self, resource: Resource) -> str:
        return resource.status

    def csv_kind(self, resource: Resource) -> str:
        return resource.kind

    def csv_language(self, resource: Resource) -> str:
        return resource.language

    def csv_license(self, resource: Resource) -> str:
        return resource.license

    def csv_library(self, resource: Resource) -> str:
        return resource.library.slug

    def csv_team(self, resource: Resource) -> str:
        return resource.team.slug if resource.team else ""

    def get_export_queryset(self, queryset: QuerySet[Resource]) -> QuerySet[Resource]:
        return queryset.prefetch_related("areas", "tags")  # type: ignore[misc]  # taggit's manager

    # Bulk actions: each applies to the selected rows the person may change, and says what it refused.

    @admin.action(description=_("Send selected for review"), permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Resource]) -> None:
        self.bulk(
            request,
            queryset,
            allowed=changeable_by(queryset, request.user).filter(status__in=services.STARTS_FROM["submit_for_review"]),
            apply=lambda resource: bool(services.resource_submit_for_review(resource=resource, user=request.user)),
        )

    @admin.action(description=_("Publish selected"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Resource]) -> None:
        def apply(resource: Resource) -> bool:
            if resource.status == Status.PUBLISHED:
                return False
            services.resource_publish(resource=resource, user=request.user)
            return True

        self.bulk(request, queryset, allowed=publishable_by(queryset, request.user), apply=apply)

    @admin.action(description=_("Archive selected"), permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Resource]) -> None:
        def apply(resource: Resource) -> bool:
            if resource.status == Status.ARCHIVED:
                return False
            services.resource_archive(resource=resource, user=request.user)
            return True

        self.bulk(request, queryset, allowed=publishable_by(queryset, request.user), apply=apply)

    @admin.action(description=_("Add selected to the chosen area"), permissions=["change"])
    def add_to_area(self, request: HttpRequest, queryset: QuerySet[Resource]) -> None:
        area = self._action_value(request, "area")
        if area is None:
            self.message_user(request, _("Choose a knowledge area next to the action first."), messages.ERROR)
            return
        self.bulk(
            request,
            queryset,
            allowed=changeable_by(queryset, request.user),
            apply=lambda resource: services.resource_add_area(resource=resource, area=area, user=request.user),
        )

    @admin.action(description=_("Add the typed tag to selected"), permissions=["change"])
    def add_tag(self, request: HttpRequest, queryset: QuerySet[Resource]) -> None:
        tag = (self._action_value(request, "tag") or "").strip()
        if not tag:
            self.message_user(request, _("Type a tag next to the action first."), messages.ERROR)
            return
        self.bulk(
            request,
            queryset,
            allowed=changeable_by(queryset, request.user),
            apply=lambda resource: services.resource_add_tag(resource=resource, tag=tag, user=request.user),
        )

    def _action_value(self, request: HttpRequest, name: str) -> Any:
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)  # type: ignore[attr-defined]
        return form.cleaned_data.get(name) if form.is_valid() else None


class TagAdmin(taggit_admin.TagAdmin):
    """taggit's tag admin, but merging tags (which changes every library's resources) needs the right to change tags."""

    def merge_tags_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return super().merge_tags_view(request)


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
