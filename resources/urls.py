from django.urls import path, re_path

from resources import reports, views
from resources.feeds import AreaResourceFeed, LibraryResourceFeed, ResourceFeed, TeamResourceFeed, feed_paths

app_name = "resources"

urlpatterns = [
    # Feeds of the newest resources: /sv/resources/feed/atom/, /sv/areas/<slug>/feed/rss/ ...
    *feed_paths("resources/", ResourceFeed, "feed"),
    *feed_paths("areas/<slug:slug>/", AreaResourceFeed, "area-feed"),
    *feed_paths("teams/<slug:slug>/", TeamResourceFeed, "team-feed"),
    *feed_paths("libraries/<slug:slug>/", LibraryResourceFeed, "library-feed"),
    path("resources/", views.ResourceListView.as_view(), name="list"),
    path("resources/<slug:slug>/", views.ResourceDetailView.as_view(), name="detail"),
    # The resource page's "open the resource": counted, then redirected to the resource's own address.
    path("resources/<slug:slug>/go/", views.resource_go, name="go"),
    path("resources/<slug:slug>/report/", reports.report_problem, name="report"),
    path("areas/", views.AreaListView.as_view(), name="areas"),
    path("areas/<slug:slug>/", views.AreaDetailView.as_view(), name="area"),
    # Tag slugs keep their letters (släktforskning, søknad), so the pattern accepts Unicode word characters.
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.TagDetailView.as_view(), name="tag"),
]
