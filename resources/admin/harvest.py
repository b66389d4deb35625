"""Harvest sources: the OAI-PMH repositories ``manage.py harvest --all`` gathers resources from."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from resources.admin.imports import check_owners
from resources.models import HarvestSource
from teams.admin import ScopedAdmin, VersionedModelForm


class HarvestSourceForm(VersionedModelForm):
    user: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        not_lead = _("Only the team's leads publish; let the harvest send resources for review.")
        check_owners(self, cleaned, user=self.user, not_lead=not_lead)
        return cleaned


@admin.register(HarvestSource)
class HarvestSourceAdmin(ScopedAdmin):
    """The repositories the person's library harvests; ``manage.py harvest --all`` (daily) runs them."""

    form = HarvestSourceForm
    list_display = ["__str__", "metadata_prefix", "library", "team", "publish", "last_run_at", "short_summary"]
    list_select_related = ["library", "team"]
    list_filter = ["publish", ("team", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["url", "set_spec"]
    show_full_result_count = False
    fields = ["url", "set_spec", "metadata_prefix", "library", "team", "publish",
              "last_run_at", "last_datestamp", "last_summary"]  # fmt: skip
    readonly_fields = ["last_run_at", "last_datestamp", "last_summary"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    @admin.display(description=_("summary of the last run"))
    def short_summary(self, source: HarvestSource) -> str:
        return Truncator(source.last_summary).chars(120)
