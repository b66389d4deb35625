from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
]

# Public pages carry their language in the path: /sv/resources/, /en/areas/<slug>/ ...
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("resources.urls")),
    path("", include("teams.urls")),
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
