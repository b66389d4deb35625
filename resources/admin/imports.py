from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from resources import imports
from resources.models import (
    Resource,
)
from teams.access import can_publish, own_libraries, own_teams
from teams.admin import ScopedAdmin
from teams.models import LearningTeam, Library


class ImportForm(forms.Form):
    """Upload a CSV or JSON file of resources; the next page shows what would happen."""

    file = forms.FileField(
        label=_("file"), help_text=_("CSV (UTF-8, with a header row) or JSON; the columns are listed below.")
    )
    library = forms.ModelChoiceField(Library.objects.none(), label=_("library"))
    team = forms.ModelChoiceField(LearningTeam.objects.none(), label=_("learning team"), required=False)
    publish = forms.BooleanField(label=_("publish at once"), required=False)
    skip_invalid = forms.BooleanField(label=_("import the valid rows even if some are not"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        libraries = own_libraries(user)
        self.fields["library"].queryset = libraries  # type: ignore[attr-defined]
        self.fields["team"].queryset = own_teams(user)  # type: ignore[attr-defined]
        if len(first_two := list(libraries[:2])) == 1:
            self.fields["library"].initial = first_two[0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 10 MB; split it, or use manage.py import_resources.")
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_owners(
            self,
            cleaned,
            user=self.user,
            not_lead=_("Only the team's leads publish; import as drafts and send them for review."),
        )
        return cleaned


def check_owners(form: forms.BaseForm, cleaned: dict[str, Any], *, user: Any, not_lead: Any) -> None:
    """The form's errors for a library and team that do not go together, or a ``publish`` its user may not."""
    library, team = cleaned.get("library"), cleaned.get("team")
    if library and team and not team.libraries.filter(pk=library.pk).exists():
        form.add_error("team", _("Choose a learning team that the library belongs to."))
    elif library and cleaned.get("publish") and not can_publish(user, Resource(library=library, team=team)):
        form.add_error("publish", not_lead)


IMPORT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_CACHE_SECONDS = 3600


if TYPE_CHECKING:
    _AdminBase = ScopedAdmin
else:
    _AdminBase = object


class ResourceImportMixin(_AdminBase):
    """Adds the import page (upload, preview, confirm) to the resource admin."""

    def get_urls(self) -> list[Any]:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="resources_resource_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload, preview (nothing written), confirm: the same import as manage.py import_resources."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import resources"),
            "columns": imports.COLUMNS,
            "required": imports.REQUIRED,
        }
        if request.method == "POST" and "token" in request.POST:
            return self._import_confirm(request, context)
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                rows, warnings = imports.read_rows(form.cleaned_data["file"].name, data)
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                plan = imports.plan_import(rows, publish=form.cleaned_data["publish"], user=request.user)
                # Kept in the shared cache between preview and confirm: no instance's disk holds it.
                token = secrets.token_urlsafe(16)
                options = {
                    "name": form.cleaned_data["file"].name,
                    "data": data,
                    "library": form.cleaned_data["library"].pk,
                    "team": form.cleaned_data["team"].pk if form.cleaned_data["team"] else None,
                    "publish": form.cleaned_data["publish"],
                    "skip_invalid": form.cleaned_data["skip_invalid"],
                    "user": request.user.pk,
                }
                cache.set(f"resources:import:{token}", options, IMPORT_CACHE_SECONDS)
                can_write = bool(plan.rows) and (not plan.errors or form.cleaned_data["skip_invalid"])
                context.update(plan=plan, warnings=warnings, token=token, can_write=can_write,
                               preview=plan.rows[:20], options=form.cleaned_data)  # fmt: skip
                return TemplateResponse(request, "admin/resources/resource/import.html", context)
        context["form"] = form
        return TemplateResponse(request, "admin/resources/resource/import.html", context)

    def _import_confirm(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        options = cache.get(f"resources:import:{request.POST['token']}")
        if not options or options["user"] != request.user.pk:
            self.message_user(request, _("The preview has expired; upload the file again."), messages.ERROR)
            return redirect("admin:resources_resource_import")
        rows, _warnings = imports.read_rows(options["name"], options["data"])
        plan = imports.plan_import(rows, publish=options["publish"], user=request.user)
        if plan.errors and not options["skip_invalid"]:
            self.message_user(request, _("Nothing was imported: some rows are not valid."), messages.ERROR)
            return redirect("admin:resources_resource_import")
        library = Library.objects.get(pk=options["library"])
        team = LearningTeam.objects.filter(pk=options["team"]).first()
        outcome = imports.apply_import(plan, library=library, team=team, publish=options["publish"], user=request.user)
        cache.delete(f"resources:import:{request.POST['token']}")
        self.message_user(
            request,
            _("Imported: %(created)d new resources, %(updated)d updated, %(skipped)d invalid rows skipped.")
            % {"created": outcome.created, "updated": outcome.updated, "skipped": plan.invalid_rows},
        )
        return redirect("admin:resources_resource_changelist")
