from django.urls import path

from resources.feeds import OfferFeed, feed_paths
from resources.offers import views

app_name = "offers"

urlpatterns = [
    # The newest offers, filtered as the list is: ?municipality=<slug>&year=7-9 (a band, or one year).
    *feed_paths("offers/", OfferFeed, "feed"),
    path("offers/", views.OfferListView.as_view(), name="list"),
    path("offers/<slug:slug>/", views.OfferDetailView.as_view(), name="detail"),
    path("offers/<slug:slug>/request/", views.request_booking, name="request"),
    path("offers/<slug:slug>/sessions/<int:pk>.ics", views.session_ics, name="session-ics"),
    # The token is the request's signed reference, sent to the teacher by e-mail.
    path("offers/bookings/<str:token>/", views.booking_detail, name="booking"),
    path("offers/bookings/<str:token>/cancel/", views.booking_cancel, name="cancel"),
]
