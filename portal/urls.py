from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import views
from resources.oai import views as oai

admin.site.site_header = _("Delarum for library staff")
admin.site.site_title = _("Delarum for staff")
admin.site.index_title = _("What would you like to work on?")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("oai/", oai.endpoint, name="oai"),
]

# Public pages carry their language in the path: /sv/resources/, /en/areas/<slug>/ ...
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("resources.urls")),
    path("", include("resources.offers.urls")),
    path("", include("teams.urls")),
    path("staff/", include("portal.staff.urls")),
    path("", include("portal.staff.public_urls")),
    # Staff sign in, sign out and reset their password by e-mail (django.contrib.auth's views).
    path("accounts/", include("django.contrib.auth.urls")),
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
