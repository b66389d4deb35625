from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import MAXYEAR, datetime
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, ForeignKey, Q, QuerySet, URLField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.admin import SimpleHistoryAdmin

from teams.access import (
    Scope,
    can_change,
    can_view,
    has_scope,
    is_coordinator,
    own_libraries,
    own_teams,
    scope_for,
    visible_to,
)
from teams.models import LearningTeam, Library, Membership, User

# django-simple-history's history pages come without Swedish and Danish; its words are marked here so that
# they are extracted into Delarum's catalogues, which Django consults before the library's own.
HISTORY_PAGE_WORDS = (
    gettext_noop("Changed by"),
    gettext_noop("Changes"),
    gettext_noop("Change reason"),
    gettext_noop("Object"),
    gettext_noop("Revert"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("View %(verbose_name)s"),
)


# Concurrent edits ------------------------------------------------------------------------------------------


class VersionedModelForm(forms.ModelForm):
    """Refuses a save based on an older copy than the one stored now, instead of overwriting it.

    The admin names a field that changes on every save (``concurrency_field``: a version number, or an
    ``auto_now`` time). The form carries the value the person opened; on saving, the stored row is locked
    and compared. When someone else saved in between, the form says who, when and what they changed, keeps
    what this person typed, and a second save (after they have looked) replaces the other version.
    """

    concurrency_field: ClassVar[str | None] = None
    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.concurrency_field and self.instance.pk is not None and not self.is_bound:
            # From the database, not the instance: a restored old version is based on what is stored now.
            self.fields["opened_version"].initial = str(self._stored_version(lock=False))

    def _stored_version(self, *, lock: bool) -> Any:
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock:
            rows = rows.select_for_update(of=("self",))
        return rows.values_list(str(self.concurrency_field), flat=True).first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.concurrency_field and self.instance.pk is not None:
            stored = self._stored_version(lock=True)  # held until the admin's transaction ends
            opened = self.cleaned_data.get("opened_version") or ""
            if opened != str(stored):
                data = self.data.copy()  # type: ignore[attr-defined]
                data["opened_version"] = str(stored)
                self.data = data
                raise ValidationError(self._conflict_message(opened), code="conflict")
            # Saved versions only move forward, also when an old version is restored.
            setattr(self.instance, self.concurrency_field, stored)
        return cleaned

    def _conflict_message(self, opened: str) -> str:
        model = type(self.instance)
        opts = model._meta
        history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.instance.pk])
        changes = ""
        who: Any = _("someone else")
        history = getattr(model, "history", None)
        if history is not None:
            records = history.filter(**{opts.pk.attname: self.instance.pk}).select_related("history_user")
            latest = records.first()
            opened_record = records.filter(**{self.concurrency_field: opened}).first() if opened.isdigit() else None
            if latest is not None:
                author = latest.history_user or _("someone else")
                who = f"{author} ({timezone.localtime(latest.history_date):%Y-%m-%d %H:%M})"
            if latest is not None and opened_record is not None:
                delta = latest.diff_against(opened_record, excluded_fields=[self.concurrency_field])
                changes = format_html_join(
                    "",
                    "<li>{}: “{}”</li>",
                    (
                        (opts.get_field(change.field).verbose_name, Truncator(str(change.new)).chars(120))
                        for change in delta.changes
                    ),
                )
        return format_html(
            '{} {}{}<p>{} <a href="{}">{}</a> {}</p>',
            _("%(who)s changed this since you opened it, so your changes were not saved.") % {"who": who},
            _("What they changed:") if changes else "",
            format_html("<ul>{}</ul>", changes) if changes else "",
            _("Your version is kept in the form below; theirs is the newest on the"),
            history_url,
            _("history page"),
            _("To keep your version anyway, save again."),
        )


# Bulk actions ----------------------------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    """How a bulk action went: rows changed, rows already so, rows the person may not change."""

    changed: int = 0
    unchanged: int = 0
    refused: int = 0


def run_bulk_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    allowed: QuerySet[Any],
    apply: Callable[[Any], bool],
) -> BulkOutcome:
    """Apply ``apply`` to the selected rows that are in ``allowed``; count and report the rest as refused.

    ``apply`` returns whether it changed the row (False: it was already so), or raises ``ValidationError``
    or ``PermissionDenied`` to refuse it. Each row is changed in its own transaction.
    """
    # What the person ticked, including rows they may not see (they are refused, not silently dropped).
    selected: list[Any] = list(queryset.values_list("pk", flat=True))
    if not request.POST.get("select_across"):
        ticked = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
        selected += [pk for pk in ticked if pk not in {str(pk) for pk in selected}]
    outcome = BulkOutcome(refused=len(selected))
    for obj in allowed.filter(pk__in=selected):
        try:
            with transaction.atomic():
                changed = apply(obj)
        except (ValidationError, PermissionDenied):
            continue
        outcome.refused -= 1
        if changed:
            outcome.changed += 1
        else:
            outcome.unchanged += 1
    level = messages.WARNING if outcome.refused else messages.SUCCESS
    text = _("Changed: %(changed)d. Already so: %(unchanged)d. Refused: %(refused)d.") % vars(outcome)
    if outcome.refused:
        text = format_html("{} {}", text, _("Refused rows are not yours to change, or their status does not allow it."))
    modeladmin.message_user(request, text, level)
    return outcome


# CSV export ------------------------------------------------------------------------------------------------


def csv_rows(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> Iterable[list[str]]:
    """The changelist's columns as the list shows them, or the admin's ``csv_fields`` under their own names."""
    if columns := getattr(modeladmin, "csv_fields", None):
        yield list(columns)  # a machine-readable file: the field names head the columns
    else:
        columns = [name for name in modeladmin.get_list_display(request) if name != "action_checkbox"]
        yield [str(label_for_field(name, modeladmin.model, modeladmin)) for name in columns]
    related = getattr(modeladmin, "list_select_related", None)
    if isinstance(related, list | tuple) and related:
        queryset = queryset.select_related(*related)
    if prepare := getattr(modeladmin, "get_export_queryset", None):
        queryset = prepare(queryset)
    for obj in queryset.iterator(chunk_size=2000):
        row = []
        for name in columns:
            csv_value = getattr(modeladmin, f"csv_{name}", None)
            if csv_value is not None:
                row.append(str(csv_value(obj)))
                continue
            field, _attr, value = lookup_field(name, obj, modeladmin)
            if field is not None and getattr(field, "flatchoices", None):
                value = dict(field.flatchoices).get(value, value)
            row.append("" if value is None else str(value))
        yield row


@admin.action(description=_("Export selected to CSV"), permissions=["view"])
def export_as_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
    opts = modeladmin.model._meta
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{opts.model_name}-{timezone.localdate()}.csv"'
    response.write("\ufeff")  # spreadsheets open UTF-8 correctly with a byte-order mark
    writer = csv.writer(response)
    writer.writerows(csv_rows(modeladmin, request, queryset))
    return response


# Every list in the admin exports what it shows (and what the person may see) to CSV.
admin.site.add_action(export_as_csv, "export_as_csv")  # type: ignore[arg-type]


# Scoped admin ----------------------------------------------------------------------------------------------


class DateBoundChangeList(ChangeList):
    """A change list whose date hierarchy refuses dates it cannot count to, as the admin refuses any bad filter.

    Django turns ``?created_at__year=2147483648`` (OverflowError) or the end of year 9999 (a year 10000) into a
    server error; here they send the person back to the unfiltered list with ``?e=1``.
    """

    def get_filters(self, request: HttpRequest) -> Any:
        if self.date_hierarchy:
            parts = [self.params.get(f"{self.date_hierarchy}__{part}") for part in ("year", "month", "day")]
            if parts[0] is not None:
                try:
                    year, month, day_of_month = (int(part) if part is not None else 1 for part in parts)
                    day = datetime(year, month, day_of_month)
                except (ValueError, OverflowError) as error:
                    raise IncorrectLookupParameters(error) from error
                if day.year == MAXYEAR:
                    raise IncorrectLookupParameters(f"{day.year} has no next year to end the range")
        return super().get_filters(request)


class ScopedAdmin(SimpleHistoryAdmin):
    """Limits rows, objects, foreign-key choices and autocomplete to what the signed-in person may see.

    Which fields tie a row to a library and a learning team is registered once per model in
    ``teams.access`` (``register_scope``); the rules themselves live there too. A subclass may name a
    ``concurrency_field`` to refuse saves based on an outdated copy (see ``VersionedModelForm``).

    When the model keeps a history (django-simple-history), its history page lists every version with
    who, when and the changed fields' old and new values, and any version can be restored with one button.
    """

    form: type[forms.ModelForm[Any]] = VersionedModelForm
    concurrency_field: str | None = None
    # A web address typed without a scheme means https (Django 6's default).
    formfield_overrides = {URLField: {"assume_scheme": "https"}}

    # The model's registered scope, unless a subclass names other fields here.
    library_field: str | None
    team_field: str | None

    @property
    def scope(self) -> Scope:
        registered = scope_for(self.model)
        return Scope(
            self.__dict__.get("library_field", getattr(type(self), "library_field", registered.library_field)),
            self.__dict__.get("team_field", getattr(type(self), "team_field", registered.team_field)),
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return visible_to(super().get_queryset(request), request.user, scope=self.scope)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return DateBoundChangeList

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new row of a model that names its library starts in the person's own."""
        initial = super().get_changeform_initial_data(request)
        name, library_id = self.scope.library_field, getattr(request.user, "library_id", None)
        if library_id and name and "__" not in name and name != "pk" and self.opts.get_field(name).many_to_one:
            initial.setdefault(name, str(library_id))
        return initial

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        user = request.user
        if not is_coordinator(user) and "queryset" not in kwargs:  # a subclass may have chosen the choices
            related = db_field.related_model
            if db_field.name == self.scope.library_field:
                kwargs["queryset"] = own_libraries(user)
            elif db_field.name == self.scope.team_field:
                kwargs["queryset"] = own_teams(user)
            elif isinstance(related, type) and issubclass(related, models.Model) and has_scope(related):
                kwargs["queryset"] = visible_to(related._default_manager.all(), user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = obj is None or can_view(request.user, obj, scope=self.scope)
        return super().has_view_permission(request, obj) and allowed

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = obj is None or can_change(request.user, obj, scope=self.scope)
        return super().has_change_permission(request, obj) and allowed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = obj is None or can_change(request.user, obj, scope=self.scope)
        return super().has_delete_permission(request, obj) and allowed

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.concurrency_field = self.concurrency_field
        if obj is not None:
            self._keep_current_choices(form, obj)
        return form

    def _keep_current_choices(self, form: Any, obj: Any) -> None:
        """The library and team choices hold what the person may pick and, always, the object's current value,
        so that a team member of another library can save (and a lead review) the team's object unchanged."""
        for name in [self.scope.library_field, self.scope.team_field]:
            field = form.base_fields.get(name) if name else None
            current = getattr(obj, f"{name}_id", None)
            if isinstance(field, forms.ModelChoiceField) and current is not None and field.queryset is not None:
                model = field.queryset.model
                field.queryset = model._default_manager.filter(Q(pk__in=field.queryset.values("pk")) | Q(pk=current))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        names = {name for _title, options in fieldsets for name in forms_fields(dict(options))}
        versioned = issubclass(self.form, VersionedModelForm)
        if self.concurrency_field and versioned and "opened_version" not in names:
            fieldsets.append((None, {"fields": ["opened_version"], "classes": ["hidden"]}))
        return fieldsets

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and not can_change(request.user, obj, scope=self.scope):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    # History: django-simple-history's pages for models that keep one, Django's log for the others.

    @property
    def keeps_history(self) -> bool:
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    @property
    def object_history_template(self) -> str | None:
        return "simple_history/object_history.html" if self.keeps_history else None

    def get_urls(self) -> list[Any]:
        return super().get_urls() if self.keeps_history else admin.ModelAdmin.get_urls(self)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        if not self.keeps_history:
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        # As on the change page: another library's object, even a deleted one, "does not exist".
        if not is_coordinator(request.user) and not self.get_queryset(request).filter(pk=object_id).exists():
            return redirect("admin:index")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Only objects the person may see today, whatever an old version says; one transaction, so that the
        # restored version is checked against the stored one under a lock.
        if self.get_queryset(request).filter(pk=object_id).first() is None:
            return redirect("admin:index")
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def bulk(self, request: HttpRequest, queryset: QuerySet[Any], *, allowed: QuerySet[Any], apply: Any) -> BulkOutcome:
        return run_bulk_action(self, request, queryset, allowed=allowed, apply=apply)


def forms_fields(options: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for item in options.get("fields", []):
        names.extend(item if isinstance(item, list | tuple) else [item])
    return names


@admin.register(Library)
class LibraryAdmin(ScopedAdmin):
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
        return visible_to(super().get_queryset(request), request.user, scope=scope_for(User))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or can_change(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or can_change(request.user, obj))
