from django.urls import path, re_path

from resources import reports, views

app_name = "resources"

urlpatterns = [
    path("resources/", views.ResourceListView.as_view(), name="list"),
    path("resources/<slug:slug>/", views.ResourceDetailView.as_view(), name="detail"),
    path("resources/<slug:slug>/report/", reports.report_problem, name="report"),
    path("areas/", views.AreaListView.as_view(), name="areas"),
    path("areas/<slug:slug>/", views.AreaDetailView.as_view(), name="area"),
    # Tag slugs keep their letters (släktforskning, søknad), so the pattern accepts Unicode word characters.
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.TagDetailView.as_view(), name="tag"),
]
