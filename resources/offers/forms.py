"""The offer list's filters and the booking-request form. Every rule is checked here, on the server."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources.models import KnowledgeArea, OfferFormat, OfferSession, SchoolOffer, Subject
from resources.models.offers import MAX_PROPOSED_DATES
from resources.offers.selectors import OfferFilters, OfferSearch, Place, Sort, places_with_offers, search_offers
from resources.school_years import COUNTRY_OF_LANGUAGE, year_choices
from resources.search import MAX_QUERY_LENGTH
from teams.models import Country
from teams.text import slug_of

MESSAGE_MAX_LENGTH = 2000
PROPOSED_DATE_FIELDS = [f"proposed_date_{number}" for number in range(1, MAX_PROPOSED_DATES + 1)]


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and shows ISO dates (2027-03-02) whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OfferSearchForm(forms.Form):
    """The offer list's search box and filters; every field is a readable query parameter."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )
    year = forms.TypedChoiceField(label=_("School year"), required=False, coerce=int, empty_value=None)
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    area = forms.ChoiceField(label=_("Knowledge area"), required=False)
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("All countries")), *Country.choices]
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    format = forms.ChoiceField(label=_("Where"), required=False, choices=[("", _("Anywhere")), *OfferFormat.choices])
    # "from" and "to" are added in __init__, since "from" is a Python keyword.
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(Sort.RELEVANCE, _("Best match")), (Sort.NEXT_SESSION, _("Next free session"))],
    )

    default_country = ""
    params: QueryDict | None = None

    def __init__(
        self,
        *args: Any,
        subjects: Sequence[Subject],
        areas: Sequence[KnowledgeArea],
        places: Sequence[Place],
        language: str,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.subjects = {subject.slug: subject for subject in subjects}
        self.areas = {area.slug: area for area in areas}
        self.regions: dict[str, list[str]] = {}
        self.municipalities: dict[str, list[str]] = {}
        for place in places:
            self.regions.setdefault(slug_of(place.region), []).append(place.region)
            self.municipalities.setdefault(slug_of(place.municipality), []).append(place.municipality)
        self.fields["from"] = forms.DateField(
            label=_("Free sessions from"),
            required=False,
            widget=DateInput(),
            help_text=_("Offers with a session that still has places between these days."),
        )
        self.fields["to"] = forms.DateField(label=_("Free sessions until"), required=False, widget=DateInput())
        self.order_fields(["q", "year", "subject", "area", "country", "region", "municipality", "format"])
        country = self.data.get("country") if self.data.get("country") in Country.values else None
        self._choices("year", _("All school years"), year_choices(country=country, language=language))
        self._choices("subject", _("All subjects"), ((slug, str(subject)) for slug, subject in self.subjects.items()))
        self._choices("area", _("All areas"), ((slug, str(area)) for slug, area in self.areas.items()))
        self._choices("region", _("All regions"), ((slug, names[0]) for slug, names in self.regions.items()))
        self._choices(
            "municipality", _("All municipalities"), ((slug, names[0]) for slug, names in self.municipalities.items())
        )

    @classmethod
    def of(cls, params: Any, *, language: str) -> OfferSearchForm:
        """The form for a query string (the list page's, the API's), with the subjects, areas and places that
        have offers; without ``sort`` it sorts by best match for words, else by the next free session."""
        data = params.copy()
        if not data.get("sort"):
            data["sort"] = Sort.RELEVANCE if data.get("q") else Sort.NEXT_SESSION
        return cls(
            data,
            subjects=list(Subject.objects.order_by("name")),
            areas=list(KnowledgeArea.objects.order_by("name")),
            places=places_with_offers(),
            language=language,
        )

    @classmethod
    def for_visitor(cls, request: HttpRequest) -> OfferSearchForm:
        """The offer list's form. Teachers look for offers near them: the country of the page's language (English:
        all countries), unless the address chooses one; ``country=`` (empty) asks for all countries.
        ``default_country``: the one chosen for the visitor; ``params``: the address with it, for facet links."""
        data = request.GET.copy()
        default_country = ""
        if "country" not in data and (country := COUNTRY_OF_LANGUAGE.get(request.LANGUAGE_CODE[:2])):
            data["country"] = default_country = country
        form = cls.of(data, language=request.LANGUAGE_CODE)
        form.default_country, form.params = default_country, data
        return form

    def filters(self) -> OfferFilters:
        """The valid form's words and filters."""
        data = self.cleaned_data
        return OfferFilters(
            **{name: data.get(name) or "" for name in ["q", "subject", "area", "country", "region", "municipality"]},
            year=data.get("year"),
            format=data.get("format") or "",
            after=data.get("from"),
            before=data.get("to"),
            sort=data["sort"],
        )

    def search(self) -> OfferSearch:
        """The offers the valid form asks for, with facet counts."""
        return search_offers(
            self.filters(),
            subjects=self.subjects,
            areas=self.areas,
            regions=self.regions,
            municipalities=self.municipalities,
        )

    def _choices(self, name: str, everything: Any, choices: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", everything), *choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last and first > last:
            self.add_error("to", _("The last day cannot come before the first."))
        return cleaned


class SessionRadios(forms.RadioSelect):
    """The offer's upcoming sessions; those without a place left are shown but cannot be chosen."""

    def __init__(self, *args: Any, full: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full = full or set()

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.full:
            option["attrs"]["disabled"] = True
        return option


def session_label(session: OfferSession) -> str:
    moment = timezone.localtime(session.starts_at)
    when = f"{date_format(moment, 'l')} {date_format(moment)}, {time_format(moment, 'H:i')}"
    if session.is_full:
        return f"{when} – {_('fully booked')}"
    places = ngettext("%(count)s place left", "%(count)s places left", session.places_left) % {
        "count": session.places_left
    }
    return f"{when} – {places}"


class BookingRequestForm(forms.Form):
    """A teacher's request for one class (group): who, which class, and when."""

    teacher_name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    school = forms.CharField(
        label=_("School"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send the confirmation and your reference here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=40,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()/-]{5,}$", _("Enter a phone number: digits, spaces and + - ( ) only."), code="phone"
            )
        ],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    school_year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    session = forms.TypedChoiceField(label=_("Session"), coerce=int)
    message = forms.CharField(
        label=_("Message to the library (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anything the library should know: the class's needs, what they have worked on."),
    )
    consent = forms.BooleanField(
        label=_("I agree that the library stores these details to handle the booking."),
        help_text=_("They are removed a year after the visit; the library keeps only anonymous statistics."),
        error_messages={"required": _("We need your consent to store these details, or we cannot handle the request.")},
    )
    form_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The form is incomplete. Reload the page and send it again."),
            "invalid": _("The form is incomplete. Reload the page and send it again."),
        },
    )
    # A trap for robots: people never see this field, so it stays empty.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, offer: SchoolOffer, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.offer = offer
        if not self.is_bound:
            self.initial["form_token"] = uuid.uuid4()
        year = self.fields["school_year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [("", _("Choose the school year")), *offer.year_choices]
        self.fields["pupils"] = forms.IntegerField(
            label=_("Number of pupils"),
            min_value=1,
            max_value=offer.max_pupils,
            help_text=_("At most %(count)s in one group.") % {"count": offer.max_pupils},
            error_messages={
                "max_value": _(
                    "This offer takes at most %(limit_value)s pupils in a group. Send one request per group."
                ),
                "min_value": _("A group has at least one pupil."),
            },
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        if offer.books_sessions:
            self._prepare_sessions(offer.upcoming_sessions)  # type: ignore[attr-defined]  # from for_detail()
        else:
            del self.fields["session"]
            self._prepare_dates()
        self.order_fields(
            ["teacher_name", "school", "email", "phone", "school_year", "pupils", "session", *PROPOSED_DATE_FIELDS]
        )

    def _prepare_sessions(self, sessions: list[OfferSession]) -> None:
        self.sessions = {session.pk: session for session in sessions}
        field = self.fields["session"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(session.pk, session_label(session)) for session in sessions]
        field.widget = SessionRadios(
            choices=field.choices, full={str(session.pk) for session in sessions if session.is_full}
        )
        field.error_messages["required"] = _("Choose a session.")
        field.error_messages["invalid_choice"] = _("Choose one of the sessions listed.")

    def _prepare_dates(self) -> None:
        offer = self.offer
        attrs = {"min": max(offer.season_start or date.min, self.first_possible_date).isoformat()}
        if offer.season_end:
            attrs["max"] = offer.season_end.isoformat()
        for number, name in enumerate(PROPOSED_DATE_FIELDS, start=1):
            self.fields[name] = forms.DateField(
                label=_("Proposed date %(number)s") % {"number": number},
                required=number == 1,
                widget=DateInput(attrs=attrs),
                error_messages={"required": _("Propose at least one date.")},
            )
        season = _("between %(start)s and %(end)s") % {
            "start": date_format(offer.season_start) if offer.season_start else "",
            "end": date_format(offer.season_end) if offer.season_end else "",
        }
        self.fields[PROPOSED_DATE_FIELDS[0]].help_text = _(
            "Up to three days that suit the class, %(season)s. The library chooses one."
        ) % {"season": season}

    @property
    def first_possible_date(self) -> date:
        return timezone.localdate() + timedelta(days=1)

    @property
    def date_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PROPOSED_DATE_FIELDS if name in self.fields]

    def clean_session(self) -> OfferSession:
        # Whether it still has a place is for the booking service to say, with the session locked: a form sent
        # twice must find the request its first post made, even when that took the last place.
        session = self.sessions.get(self.cleaned_data["session"])
        if session is None:
            raise forms.ValidationError(_("Choose one of the sessions listed."), code="invalid_choice")
        return session

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(
                _(
                    "Your request looks automated and was not sent. If you are a person, make sure the field "
                    "“Leave this field empty” is empty and send the form again."
                ),
                code="spam",
            )
        if not self.offer.books_sessions:
            self._clean_dates(cleaned)
        return cleaned

    def _clean_dates(self, cleaned: dict[str, Any]) -> None:
        offer, seen = self.offer, set()
        for name in PROPOSED_DATE_FIELDS:
            day = cleaned.get(name)
            if day is None:
                continue
            if day < self.first_possible_date:
                self.add_error(name, _("Propose a day after today."))
            elif (offer.season_start and day < offer.season_start) or (offer.season_end and day > offer.season_end):
                self.add_error(name, _("Propose a day within the offer's season."))
            elif day in seen:
                self.add_error(name, _("You proposed this day already."))
            seen.add(day)

    def booking_values(self) -> dict[str, Any]:
        """What the booking service needs, from the cleaned form."""
        data = self.cleaned_data
        dates = [data[name] for name in PROPOSED_DATE_FIELDS if data.get(name)]
        return {
            "session": data.get("session"),
            "proposed_dates": dates,
            "teacher_name": data["teacher_name"],
            "school": data["school"],
            "email": data["email"],
            "phone": data["phone"],
            "school_year": data["school_year"],
            "pupils": data["pupils"],
            "message": data["message"],
            "form_token": data["form_token"],
        }
