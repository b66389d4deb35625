"""Patrons report a problem with a resource: a short form, rate limited, landing in the owning team's queue."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from resources import services
from resources.models import ProblemKind, ProblemReport, Resource
from resources.ratelimit import over_limit


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


@never_cache
@require_http_methods(["GET", "POST"])
def report_problem(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.published().select_related("library"), slug=slug)
    if request.GET.get("sent"):
        return render(request, "resources/report_problem.html", {"resource": resource, "sent": True})
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if over_limit(request, scope="problem-report", limit=settings.PROBLEM_REPORTS_PER_HOUR):
            context = {"resource": resource, "form": form, "limited": True}
            return render(request, "resources/report_problem.html", context, status=429)
        services.problem_report_create(
            resource=resource, kind=form.cleaned_data["kind"], message=form.cleaned_data["message"]
        )
        return redirect(f"{request.path}?sent=1")
    status = 400 if form.is_bound else 200
    return render(request, "resources/report_problem.html", {"resource": resource, "form": form}, status=status)
