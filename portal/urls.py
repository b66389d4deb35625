from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import sitemaps, views
from portal.media import media
from resources import embeds
from resources.api.endpoints import api
from resources.oai import views as oai
from teams.forms import QueuedPasswordResetForm

admin.site.site_header = _("Delarum for library staff")
admin.site.site_title = _("Delarum for staff")
admin.site.index_title = _("What would you like to work on?")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    # The read-only JSON API, its OpenAPI document and docs (no language prefix: ?lang= or Accept-Language).
    path("api/v1/", api.urls),
    path("oai/", oai.endpoint, name="oai"),
    # Uploaded files, in production too, with headers that keep them from running on the site (portal/media.py).
    path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media, name="media"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    # For other sites, without a language prefix (?lang= chooses): the only pages that may be framed.
    path("embed/offers/", embeds.offer_list, name="embed-offers"),
    path("embed/offers/<slug:slug>/", embeds.offer_detail, name="embed-offer"),
    path("oembed", embeds.oembed, name="oembed"),
]

# Public pages carry their language in the path: /sv/resources/, /en/areas/<slug>/ ...
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("resources.urls")),
    path("", include("resources.offers.urls")),
    path("", include("teams.urls")),
    path("staff/", include("portal.staff.urls")),
    # Patrons' and teachers' accounts and follows (portal/accounts); staff sign in there too.
    path("account/", include("portal.accounts.urls")),
    path("", include("portal.staff.public_urls")),
    # Staff sign in, sign out and reset their password by e-mail (django.contrib.auth's views; the e-mail is a job).
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
)
