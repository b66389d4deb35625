from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from resources import services
from resources.links import describe_error
from resources.models import (
    BrokenLink,
    ProblemReport,
    ReportStatus,
    Resource,
)
from teams.access import changeable_by
from teams.admin import ScopedAdmin


@admin.register(BrokenLink)
class BrokenLinkAdmin(ScopedAdmin):
    """The curators' work queue: resources of their library and teams whose web address stopped working."""

    list_display = [
        "title",
        "fix_link",
        "url",
        "link_status",
        "link_problem",
        "link_failures",
        "link_checked_at",
        "team",
    ]
    list_display_links = None
    list_select_related = ["library", "team"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter), "status"]
    search_fields = ["title", "url"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).with_broken_link()  # type: ignore[attr-defined]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # fixed on the resource's own page, with its history and review

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("last link error"), ordering="link_error")
    def link_problem(self, resource: Resource) -> str:
        return describe_error(resource.link_error)

    @admin.display(description=_("fix"))
    def fix_link(self, resource: Resource) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:resources_resource_change", args=[resource.pk]), _("Edit resource")
        )


@admin.register(ProblemReport)
class ProblemReportAdmin(ScopedAdmin):
    """What patrons reported about the resources of the person's library and teams."""

    list_display = ["created_at", "kind", "resource_link", "short_message", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["resource"]
    search_fields = ["message", "resource__title"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = ["resource", "kind", "message", "created_at", "resolved_at", "resolved_by"]
    fields = ["resource", "kind", "message", "status", "created_at", "resolved_at", "resolved_by"]
    actions = ["resolve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # patrons report from the resource's page

    def save_model(self, request: HttpRequest, obj: ProblemReport, form: Any, change: bool) -> None:
        # The status is all there is to change here; the service records who resolved it and when.
        services.problem_report_set_status(report=obj, status=obj.status, user=request.user)

    @admin.display(description=_("resource"), ordering="resource__title")
    def resource_link(self, report: ProblemReport) -> str:
        url = reverse("admin:resources_resource_change", args=[report.resource_id])
        return format_html('<a href="{}">{}</a>', url, report.resource.title)

    @admin.display(description=_("message"))
    def short_message(self, report: ProblemReport) -> str:
        return Truncator(report.message).chars(80)

    @admin.action(description=_("Mark selected as resolved"), permissions=["change"])
    def resolve(self, request: HttpRequest, queryset: QuerySet[ProblemReport]) -> None:
        self.bulk(
            request,
            queryset,
            allowed=changeable_by(queryset, request.user),
            apply=lambda report: services.problem_report_set_status(
                report=report, status=ReportStatus.RESOLVED, user=request.user
            ),
        )
