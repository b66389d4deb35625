"""School offers for teachers: find one for the class, read what it is, send a booking request, cancel it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView

from resources import jsonld, usage
from resources.embeds import discovery_links
from resources.facets import FacetGroup
from resources.frontdoor import SearchFront, SearchListView
from resources.models import BookingRequest, OfferSession, SchoolOffer, UsageKind
from resources.offers import services
from resources.offers.emails import site_url
from resources.offers.facets import offer_facet_links
from resources.offers.forms import BookingRequestForm, OfferSearchForm
from resources.offers.ics import booking_calendar, has_calendar, session_calendar
from resources.offers.selectors import PAGE_SIZE, OfferSearch, booking_for_form, booking_for_token, booking_token
from resources.ratelimit import over_limit
from teams.ics import calendar_response
from teams.jsonld import script
from teams.models import Country


class OfferFront(SearchFront[OfferSearchForm, OfferSearch]):
    model = SchoolOffer

    def form(self, request: HttpRequest) -> OfferSearchForm:
        return OfferSearchForm.for_visitor(request)

    def search(self, form: OfferSearchForm, request: HttpRequest) -> OfferSearch:
        return form.search()

    def facets(self, found: OfferSearch, form: OfferSearchForm, params: QueryDict) -> list[FacetGroup]:
        return offer_facet_links(found.facets, form, params)

    def params(self, form: OfferSearchForm, request: HttpRequest) -> QueryDict:
        return form.params if form.params is not None else request.GET  # the facet links keep the country shown


class OfferListView(SearchListView):
    """Find school offers: school year, subject, area, place, format, free dates and words, with counts."""

    template_name = "resources/offers/offer_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "offers"
    front = OfferFront()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            filtered_feed=self.filtered_feed(), default_country=self.default_country_shown(), **kwargs
        )

    def default_country_shown(self) -> dict[str, str] | None:
        """The country chosen for the visitor, by name, and the address of the same list in all countries."""
        if not self.form.default_country:
            return None
        everywhere = self.request.GET.copy()
        everywhere.pop("page", None)
        everywhere["country"] = ""
        return {"name": str(Country(self.form.default_country).label), "all_url": f"?{everywhere.urlencode()}"}

    def filtered_feed(self) -> dict[str, str] | None:
        """The feed of the municipality (and school year) the list is filtered by, if it is."""
        if self.search is None or not (slug := self.form.cleaned_data.get("municipality")):
            return None
        query = {"municipality": slug}
        title = _("New school offers in %(municipality)s") % {"municipality": self.form.municipalities[slug][0]}
        if (year := self.form.cleaned_data.get("year")) is not None:
            query["year"] = str(year)
            title = f"{title}, {dict(self.form.fields['year'].choices)[year]}"
        return {"query": urlencode(query), "title": title}


def _offer_page(
    request: HttpRequest, offer: SchoolOffer, form: BookingRequestForm, *, status: int = 200
) -> HttpResponse:
    sessions = offer.upcoming_sessions  # type: ignore[attr-defined]
    context = {
        "offer": offer,
        "form": form,
        "sessions": sessions,
        "json_ld": script(jsonld.offer_events(request, offer, sessions)),
        "oembed_links": discovery_links(request),
    }
    return render(request, "resources/offers/offer_detail.html", context, status=status)


@method_decorator(never_cache, name="dispatch")  # each page carries its own one-time form token
class OfferDetailView(DetailView):
    """Everything a teacher needs to decide, the upcoming sessions, and the booking form."""

    context_object_name = "offer"

    def get_queryset(self) -> QuerySet[SchoolOffer]:
        return SchoolOffer.objects.published().for_detail()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        usage.count(UsageKind.VIEW, offer=self.object, request=request)
        return response

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        return _offer_page(self.request, self.object, BookingRequestForm(offer=self.object))


@never_cache
@require_POST
def request_booking(request: HttpRequest, slug: str) -> HttpResponse:
    """Send a booking request. Invalid input comes back beside its field with everything typed kept."""
    offer = get_object_or_404(SchoolOffer.objects.published().for_detail(), slug=slug)
    form = BookingRequestForm(request.POST, offer=offer)
    if form.is_valid() and (
        earlier := booking_for_form(form_token=form.cleaned_data["form_token"], email=form.cleaned_data["email"])
    ):
        # A second post of a form already sent shows its booking, and does not count against the limit.
        return redirect("offers:booking", token=booking_token(earlier))
    if over_limit(request, scope="booking", limit=settings.BOOKING_RATE_LIMIT):
        form.full_clean()
        form.add_error(
            None,
            _(
                "Too many booking requests have come from your address in the last hour, so this one was not "
                "sent. Please try again later, or contact the library."
            ),
        )
        return _offer_page(request, offer, form, status=429)
    if form.is_valid():
        try:
            booking, _created = services.booking_request_create(
                offer=offer,
                language=request.LANGUAGE_CODE,
                base_url=site_url(request),
                **form.booking_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("offers:booking", token=booking_token(booking))
    return _offer_page(request, offer, form)


def session_ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One session as an iCalendar file, to add to a calendar."""
    session = get_object_or_404(
        OfferSession.objects.select_related("offer", "offer__library"),
        pk=pk,
        offer__slug=slug,
        offer__in=SchoolOffer.objects.published(),
    )
    url = request.build_absolute_uri(session.offer.get_absolute_url())
    return calendar_response(session_calendar(session, url=url), filename=f"{slug}-{pk}.ics")


def _booking_for(token: str) -> BookingRequest:
    """The request a signed link names, or 404: the link is the teacher's only key."""
    booking = booking_for_token(token)
    if booking is None:
        raise Http404(_("No booking request has this address."))
    return booking


@never_cache
def booking_detail(request: HttpRequest, token: str) -> HttpResponse:
    """The teacher's view of their request: reference, what and when, its status."""
    booking = _booking_for(token)
    context = {"booking": booking, "offer": booking.offer, "token": token, "has_calendar": has_calendar(booking)}
    return render(request, "resources/offers/booking_detail.html", context)


@never_cache
def booking_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The booked session as an iCalendar file: the one the teacher's e-mail attaches, behind the same key."""
    booking = _booking_for(token)
    if not has_calendar(booking):
        raise Http404(_("This booking request has no visit to add to a calendar."))
    body = booking_calendar(booking, base_url=site_url(request)).decode()
    return calendar_response(body, filename=f"{booking.reference}.ics")


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel through the signed link in the e-mail: a page that asks, and a button that does it."""
    booking = _booking_for(token)
    error = ""
    if request.method == "POST":
        try:
            services.booking_request_cancel(booking=booking, base_url=site_url(request))
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect(reverse("offers:booking", kwargs={"token": token}))
    context = {"booking": booking, "offer": booking.offer, "token": token, "error": error}
    return render(request, "resources/offers/booking_cancel.html", context, status=409 if error else 200)
