"""Public pages for what staff chose to make public: exchange-bank entries and reflections."""

from django.urls import path

from portal.staff import views

app_name = "sharing"

urlpatterns = [
    path("exchange/<slug:slug>/", views.public_experience, name="experience"),
    path("reflections/<int:pk>/", views.public_reflection, name="reflection"),
]
