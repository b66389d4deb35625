"""Patrons report a problem with a resource: a short form, rate limited, landing in the owning team's queue."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from resources import services
from resources.models import ProblemKind, ProblemReport, Resource


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["kind", "message"]
        labels = {"kind": _("What is wrong?"), "message": _("Tell us more (optional)")}
        help_texts = {"message": _("No personal details, please. At most 1,000 characters.")}
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = ProblemKind.choices  # type: ignore[attr-defined]  # no empty choice


def _client_key(request: HttpRequest) -> str:
    # The address is hashed: the cache never holds patrons' IP addresses.
    address = request.META.get("REMOTE_ADDR", "")
    hour = timezone.now().strftime("%Y%m%d%H")
    return "reports:" + hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32] + f":{hour}"


def _over_limit(request: HttpRequest) -> bool:
    """True when this address has sent PROBLEM_REPORTS_PER_HOUR reports this hour already (counts this one)."""
    key = _client_key(request)
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.PROBLEM_REPORTS_PER_HOUR


@never_cache
@require_http_methods(["GET", "POST"])
def report_problem(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.published().select_related("library"), slug=slug)
    if request.GET.get("sent"):
        return render(request, "resources/report_problem.html", {"resource": resource, "sent": True})
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _over_limit(request):
            context = {"resource": resource, "form": form, "limited": True}
            return render(request, "resources/report_problem.html", context, status=429)
        services.problem_report_create(
            resource=resource, kind=form.cleaned_data["kind"], message=form.cleaned_data["message"]
        )
        return redirect(f"{request.path}?sent=1")
    status = 400 if form.is_bound else 200
    return render(request, "resources/report_problem.html", {"resource": resource, "form": form}, status=status)
