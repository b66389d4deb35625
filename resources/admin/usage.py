"""The usage statistics page in the admin (Learning resources → Usage statistics) and its CSV downloads.

Staff see their own library's and learning teams' figures, or one library's or team's of theirs; coordinators
everyone's (resources.usage). The page is the model's list: nothing here is added, changed or deleted.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources import usage
from resources.models import ResourceUsage
from resources.usage_chart import SERIES, usage_chart


class _Echo:
    """A file that hands back what is written, so that csv.writer feeds a streamed response."""

    def write(self, value: str) -> str:
        return value


@admin.register(ResourceUsage)
class UsageStatisticsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="resources_resourceusage_changelist"),
            path("csv/", view(self.csv_view), name="resources_resourceusage_csv"),
        ]

    def _scope_form(self, request: HttpRequest) -> usage.UsageScopeForm:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return usage.UsageScopeForm(request.GET or None, user=request.user)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "POST" and request.POST.get("action") == "export_as_csv":
            # Every admin list exports to CSV (teams.admin.export_as_csv); this one, its resources' figures.
            response = self.csv_view(request)
            return HttpResponse(b"".join(response), headers=dict(response.items()))
        form = self._scope_form(request)
        figures = usage.figures(request.user, form.chosen, today=timezone.localdate())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Usage statistics"),
            "form": form,
            "figures": figures,
            "months": figures.months,
            "chart": usage_chart(figures.months),
            "series": [str(label) for _name, label, *_rest in SERIES],
            "csv_tables": usage.CSV_TABLES,
            "may_add_terms": request.user.has_perm("resources.add_termgroup"),
            "may_add_resources": request.user.has_perm("resources.add_resource"),
        }
        return TemplateResponse(request, "admin/resources/resourceusage/statistics.html", context)

    def csv_view(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        form = self._scope_form(request)
        table = request.GET.get("table") or "resources"
        if table not in usage.CSV_TABLES:
            return HttpResponse(
                _("Choose one of the tables: %(tables)s.") % {"tables": ", ".join(usage.CSV_TABLES)},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        writer = csv.writer(_Echo())
        rows = usage.csv_rows(request.user, form.chosen, table, today=timezone.localdate())
        # A byte-order mark first, so that spreadsheets read the file as UTF-8.
        response = StreamingHttpResponse(
            ("\ufeff" if number == 0 else "") + writer.writerow(row) for number, row in enumerate(rows)
        )
        response["Content-Type"] = "text/csv; charset=utf-8"
        response["Content-Disposition"] = f'attachment; filename="usage-{table}-{timezone.localdate()}.csv"'
        return response
