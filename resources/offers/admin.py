"""School offers in the admin: staff prepare offers and their sessions, and answer booking requests.

Staff see their own library's offers (and their teams'), and only their own library's booking requests.
Every change to a request goes through the booking services, so places and e-mails stay right.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.models import (
    ACTIVE_STATUSES,
    BookingRequest,
    BookingStatus,
    OfferSession,
    SchoolOffer,
    Status,
    Subject,
)
from resources.offers import services
from resources.offers.emails import site_url
from resources.offers.forms import session_label
from resources.school_years import year_choices
from teams.access import can_change, can_publish, is_coordinator, led_team_ids
from teams.admin import ScopedAdmin


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "name_da", "name_nb", "name_en", "slug"]
    search_fields = ["name", "name_da", "name_nb", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class OfferSessionForm(forms.ModelForm):
    """A session on the offer's page; its booked groups are those of the row the inline read, not read again."""

    class Meta:
        model = OfferSession
        fields = ["starts_at", "capacity"]

    def clean_starts_at(self) -> Any:
        if self.instance.groups_booked and "starts_at" in self.changed_data:
            # The teachers who booked would not know: move their requests (which e-mails them) first.
            raise ValidationError(
                _("Groups have booked this session, so its time stays. Move their requests to another session first.")
            )
        return self.cleaned_data["starts_at"]


class OfferSessionInline(admin.TabularInline):
    model = OfferSession
    form = OfferSessionForm
    fields = ["starts_at", "capacity", "groups_booked"]
    readonly_fields = ["groups_booked"]
    extra = 1
    ordering = ["starts_at"]


@admin.register(SchoolOffer)
class SchoolOfferAdmin(ScopedAdmin):
    list_display = ["title", "status", "years", "format", "library", "team", "updated_at"]
    list_filter = ["status", "format", "booking", "library__country", "subjects"]
    list_select_related = ["library", "team"]
    search_fields = ["title", "summary", "contact_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["library", "team", "areas", "subjects", "preparation"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    inlines = [OfferSessionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "language"]}),
        (_("For whom"), {"fields": ["year_from", "year_to", "subjects", "areas", "max_pupils"]}),
        (
            _("Where, how long, what it costs"),
            {"fields": ["format", "duration_minutes", "price", "accessibility", "preparation"]},
        ),
        (_("Booking"), {"fields": ["booking", "season_start", "season_end"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (
            _("Responsibility and status"),
            {"fields": ["library", "team", "status", "published_at", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description=_("school years"), ordering="year_from")
    def years(self, offer: SchoolOffer) -> str:
        return offer.years_label

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        # The years in the library's country's words; a new offer shows all three countries' words.
        choices = year_choices(country=obj.library.country if obj else None, language=None)
        for name in ["year_from", "year_to"]:
            if name in form.base_fields:
                field = form.base_fields[name]
                form.base_fields[name] = forms.TypedChoiceField(
                    label=field.label, help_text=field.help_text, choices=choices, coerce=int
                )
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        # Curators prepare offers; those who may publish them (team leads, coordinators) set the status.
        user: Any = request.user
        may_publish = can_publish(user, obj) if obj else is_coordinator(user) or bool(led_team_ids(user))
        if not may_publish:
            readonly.append("status")
        return readonly

    def save_model(self, request: HttpRequest, obj: SchoolOffer, form: Any, change: bool) -> None:
        # Checked on the offer as it will be saved: a lead cannot publish it for a team they do not lead.
        if "status" in form.changed_data and obj.status == Status.PUBLISHED and not can_publish(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class Decision:
    CONFIRM = "confirm"
    DECLINE = "decline"


class BookingRequestAdminForm(forms.ModelForm):
    """Answer a request: confirm or decline it, or move it to another session, with a message to the teacher."""

    decision = forms.ChoiceField(label=_("Answer"), required=False)
    move_to = forms.TypedChoiceField(
        label=_("Move to session"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The place in the present session is released and one in the new session is taken."),
    )
    reply = forms.CharField(
        label=_("Message to the teacher"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E-mailed to the teacher with your answer or the move."),
    )

    class Meta:
        model = BookingRequest
        fields = ["visit_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        booking = self.instance
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        if booking.status == BookingStatus.PENDING:
            decision.choices = [("", _("Not yet")), (Decision.CONFIRM, _("Confirm")), (Decision.DECLINE, _("Decline"))]
        elif booking.status == BookingStatus.CONFIRMED:
            decision.choices = [("", _("Keep it confirmed")), (Decision.DECLINE, _("Decline after all"))]
        else:
            decision.choices = [("", _("No answer needed"))]
            decision.disabled = True
        move_to = self.fields["move_to"]
        assert isinstance(move_to, forms.TypedChoiceField)
        if booking.session_id and booking.status in ACTIVE_STATUSES:
            self.sessions = {
                session.pk: session
                for session in OfferSession.objects.filter(offer_id=booking.offer_id)
                .upcoming()
                .exclude(pk=booking.session_id)
                .select_related("offer")
            }
            move_to.choices = [
                ("", _("Keep the session")),
                *((pk, session_label(s)) for pk, s in self.sessions.items()),
            ]
        else:
            self.sessions = {}
            move_to.disabled = True
            move_to.choices = [("", "—")]
        if "visit_date" in self.fields:
            self.fields["visit_date"].help_text = _("For requests without a session: the day agreed with the teacher.")

    def clean_move_to(self) -> OfferSession | None:
        pk = self.cleaned_data.get("move_to")
        if pk is None:
            return None
        session = self.sessions.get(pk)
        if session is None:
            raise ValidationError(_("Choose one of this offer's upcoming sessions."))
        if session.is_full:
            raise ValidationError(services.FULLY_BOOKED)
        return session

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("move_to") and cleaned.get("decision") == Decision.DECLINE:
            self.add_error("move_to", _("A declined request cannot be moved. Choose one or the other."))
        return cleaned


class BookingStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in BookingStatus.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(status=self.value()) if self.value() else queryset


class VisitDateFilter(admin.SimpleListFilter):
    """Visits lie ahead, so the choices look forward (the admin's own date filter looks back)."""

    title = _("date of the visit")
    parameter_name = "visit"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("week", _("Next 7 days")),
            ("month", _("Next 30 days")),
            ("upcoming", _("Today and later")),
            ("past", _("Past")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        ranges = {
            "week": {"visit_date__gte": today, "visit_date__lt": today + timedelta(days=7)},
            "month": {"visit_date__gte": today, "visit_date__lt": today + timedelta(days=30)},
            "upcoming": {"visit_date__gte": today},
            "past": {"visit_date__lt": today},
        }
        chosen = ranges.get(self.value() or "")
        return queryset.filter(**chosen) if chosen else queryset


@admin.register(BookingRequest)
class BookingRequestAdmin(ScopedAdmin):
    """Booking requests for the staff member's own library (coordinators: all): their scope in
    ``resources.apps`` names the offer's library and no team, since requests hold teachers' personal data."""

    form = BookingRequestAdminForm
    list_display = ["reference", "offer", "visit_date", "school", "school_year_display", "pupils", "status"]
    list_filter = [BookingStatusFilter, ("offer", admin.RelatedOnlyFieldListFilter), VisitDateFilter, "created_at"]
    list_select_related = ["offer", "offer__library"]
    search_fields = ["reference", "teacher_name", "school", "email"]
    ordering = ["-created_at", "-pk"]
    actions = ["confirm_requests", "decline_requests"]
    show_full_result_count = False
    fieldsets = [
        (
            _("Request"),
            {"fields": ["reference", "status", "offer", "session", "proposed_dates", "visit_date", "created_at"]},
        ),
        (
            _("Teacher and class"),
            {
                "fields": [
                    "teacher_name",
                    "school",
                    "email",
                    "phone",
                    "school_year_display",
                    "pupils",
                    "message",
                    "language",
                    "consented_at",
                ]
            },
        ),
        (_("Your answer"), {"fields": ["decision", "move_to", "reply", "staff_message", "handled_by", "handled_at"]}),
    ]
    readonly_fields = [
        "reference",
        "status",
        "offer",
        "session",
        "proposed_dates",
        "created_at",
        "teacher_name",
        "school",
        "email",
        "phone",
        "school_year_display",
        "pupils",
        "message",
        "language",
        "consented_at",
        "staff_message",
        "handled_by",
        "handled_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # teachers send requests from the offer's page

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (obj.session_id or obj.status != BookingStatus.PENDING):
            # A session's request takes the session's date; an answered one keeps the date the teacher was sent.
            fields.append("visit_date")
        return fields

    @admin.display(description=_("school year"), ordering="school_year")
    def school_year_display(self, booking: BookingRequest) -> str:
        return booking.school_year_label

    def save_model(self, request: HttpRequest, obj: BookingRequest, form: Any, change: bool) -> None:
        """Apply the answer through the booking services: places claimed and released, the teacher e-mailed."""
        if not can_change(request.user, obj, scope=self.scope):
            raise PermissionDenied
        data = form.cleaned_data
        reply, base_url = data.get("reply", ""), site_url(request)
        try:
            if "visit_date" in form.changed_data and data.get("visit_date"):
                obj.save(update_fields=["visit_date", "updated_at"])
            if session := data.get("move_to"):
                services.booking_request_move(
                    booking=obj, session=session, by=request.user, message=reply, base_url=base_url
                )
            if data.get("decision") == Decision.CONFIRM:
                services.booking_request_confirm(
                    booking=obj, by=request.user, message=reply, visit_date=data.get("visit_date"), base_url=base_url
                )
            elif data.get("decision") == Decision.DECLINE:
                services.booking_request_decline(booking=obj, by=request.user, message=reply, base_url=base_url)
        except ValidationError as error:
            # Someone else answered, or the session filled up, since the page was opened.
            transaction.set_rollback(True)
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.action(description=_("Confirm the selected requests"), permissions=["change"])
    def confirm_requests(self, request: HttpRequest, queryset: QuerySet[BookingRequest]) -> None:
        def apply(booking: BookingRequest) -> bool:
            services.booking_request_confirm(booking=booking, by=request.user, base_url=site_url(request))
            return True

        self.bulk(request, queryset, allowed=queryset.filter(status=BookingStatus.PENDING), apply=apply)

    @admin.action(description=_("Decline the selected requests"), permissions=["change"])
    def decline_requests(self, request: HttpRequest, queryset: QuerySet[BookingRequest]) -> None:
        def apply(booking: BookingRequest) -> bool:
            services.booking_request_decline(booking=booking, by=request.user, base_url=site_url(request))
            return True

        self.bulk(request, queryset, allowed=queryset.filter(status__in=ACTIVE_STATUSES), apply=apply)
