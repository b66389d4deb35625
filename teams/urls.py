from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="list"),
    path("teams/<slug:slug>/", views.TeamDetailView.as_view(), name="detail"),
    path("libraries/<slug:slug>/", views.LibraryDetailView.as_view(), name="library"),
]
