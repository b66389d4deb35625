from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
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
