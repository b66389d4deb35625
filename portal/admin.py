"""The project's own admin pages: staff sharing (their classes live with the staff pages) and sign-in lockouts."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
from procrastinate.contrib.django.models import ProcrastinateJob

from portal.staff import admin as staff_admin  # noqa: F401  (registers the sharing admins)

# django-axes has no Scandinavian translations. These of its strings appear on the lockout pages below (the
# model's and its fields' names); marking them here puts them in our catalogues, which Django reads first.
AXES_STRINGS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Username"),
    gettext_noop("IP Address"),
    gettext_noop("Path"),
    gettext_noop("Failed Logins"),
    gettext_noop("Attempt Time"),
    gettext_noop("User Agent"),
]

# Successful sign-ins are not logged (AXES_DISABLE_ACCESS_LOG) and failures are counted on the attempts, so
# the attempts are the one list to show.
admin.site.unregister([AccessLog, AccessFailureLog, AccessAttempt])


class LockedOutFilter(admin.SimpleListFilter):
    title = _("locked out")
    parameter_name = "locked_out"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", str(_("locked out"))), ("no", str(_("not locked out")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        if self.value() == "no":
            return queryset.filter(failures_since_start__lt=settings.AXES_FAILURE_LIMIT)
        return queryset


@admin.register(AccessAttempt)
class SignInAttemptAdmin(AccessAttemptAdmin):
    """Failed sign-ins by username and address; coordinators lift a lockout by deleting its row."""

    list_display = ["attempt_time", "username", "ip_address", "path_info", "failures_since_start", "locked_out"]
    list_filter = [LockedOutFilter, "path_info"]
    fieldsets = [(None, {"fields": ["username", "ip_address", "path_info", "failures_since_start", "user_agent"]})]
    actions: list[Any] = []

    @admin.display(description=_("locked out"), boolean=True)
    def locked_out(self, attempt: AccessAttempt) -> bool:
        return attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a record of what happened; deleting it is the only change


# Procrastinate's job list filters by a PostgreSQL enum: a status the enum does not hold (?status=%) would end
# in a database error, so it is refused before the query as Django refuses any other wrong filter (?e=1).
admin.site.unregister(ProcrastinateJob)


@admin.register(ProcrastinateJob)
class JobAdmin(ProcrastinateJobAdmin):
    def get_changelist_instance(self, request: HttpRequest) -> Any:
        statuses = {str(status) for status, _label in ProcrastinateJob._meta.get_field("status").choices or []}
        for name, values in request.GET.lists():
            if name.split("__")[0] == "status" and not {v for value in values for v in value.split(",")} <= statuses:
                raise IncorrectLookupParameters(name)
        return super().get_changelist_instance(request)
