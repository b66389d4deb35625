from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from resources.models import Resource
from resources.selectors import areas_with_counts

NEWEST_ON_HOME = 6


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            areas=areas_with_counts(),
            newest=Resource.objects.published().for_listing().newest_first()[:NEWEST_ON_HOME],
            **kwargs,
        )


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Kept out of search engines: the admin, and in every language the staff pages, sign-in, teachers' bookings
# (signed links) and the forms that post (booking requests, problem reports). The wildcard lines are for
# crawlers that read them (Google, Bing, Scrapy); the others are plain prefixes every crawler understands.
ROBOTS_DISALLOWED = ["staff/", "accounts/", "offers/bookings/", "offers/*/request/", "resources/*/report/"]
ROBOTS_DISALLOWED += ["resources/*/go/"]  # the counting redirect to a resource's address (resources.usage)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: /{code}/{path}" for code, _name in settings.LANGUAGES for path in ROBOTS_DISALLOWED]
    lines += ["Allow: /", "", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
