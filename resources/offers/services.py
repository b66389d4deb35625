"""Booking requests: every write that claims, releases or changes a place in a session happens here.

Each function is atomic. A session's places are claimed with its row locked (``SELECT ... FOR UPDATE``), so
concurrent requests for the last place queue behind each other and only the first gets it; the database's
check constraint (``groups_booked <= capacity``) is the last line of defence. E-mails are jobs enqueued in
the same transaction (``emails.announce``): nobody is told about a booking that was rolled back, and a mail
server that is away never changes what the teacher sees.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.models import ACTIVE_STATUSES, BookingRequest, BookingStatus, OfferSession, SchoolOffer
from resources.offers import emails

# Letters and digits that cannot be mistaken for each other when read aloud or copied by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8

FULLY_BOOKED = _("This session is fully booked. Please choose another session.")
FORM_ALREADY_SENT = _(
    "This form has already been sent. Reload the page to send another request, or use the link in your e-mail."
)


def new_reference() -> str:
    """'K7M4-QP2X': short enough to read over the phone, random enough never to be guessed."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def booking_request_create(
    *,
    offer: SchoolOffer,
    session: OfferSession | None,
    proposed_dates: Sequence[date],
    teacher_name: str,
    school: str,
    email: str,
    phone: str,
    school_year: int,
    pupils: int,
    message: str,
    language: str,
    form_token: uuid.UUID,
    base_url: str,
) -> tuple[BookingRequest, bool]:
    """Record a teacher's request, claiming a place in the session if there is one.

    Returns the request and whether it is new: a form posted twice (a double click, a reload) finds the
    request its first post made. Raises ``ValidationError`` (keyed by form field) when the session is full
    or has passed, or the form was already used by someone else.
    """
    try:
        with transaction.atomic():
            if session is not None:
                # Everyone asking for this session waits here until the one before them has committed.
                session = OfferSession.objects.select_for_update().get(pk=session.pk)
            if (earlier := BookingRequest.objects.filter(form_token=form_token).first()) is not None:
                return _repeated(earlier, email=email), False
            if session is not None:
                _check_bookable(session, offer=offer)
                OfferSession.objects.filter(pk=session.pk).update(groups_booked=F("groups_booked") + 1)
            booking = BookingRequest.objects.create(
                reference=new_reference(),
                offer=offer,
                session=session,
                proposed_dates=[] if session else list(proposed_dates),
                visit_date=session.date if session else proposed_dates[0],
                teacher_name=teacher_name,
                school=school,
                email=email,
                phone=phone,
                school_year=school_year,
                pupils=pupils,
                message=message,
                language=language,
                consented_at=timezone.now(),
                form_token=form_token,
            )
            emails.announce(booking, "received", base_url=base_url)
            return booking, True
    except IntegrityError:
        # Two posts of one form at the same moment (no session row to queue on): the unique form token let
        # only one of them in.
        earlier = BookingRequest.objects.filter(form_token=form_token).first()
        if earlier is None:
            raise
        return _repeated(earlier, email=email), False


def _repeated(earlier: BookingRequest, *, email: str) -> BookingRequest:
    if earlier.email.casefold() != email.casefold():
        raise ValidationError(FORM_ALREADY_SENT, code="form_used")
    return earlier


def _check_bookable(session: OfferSession, *, offer: SchoolOffer) -> None:
    if session.offer_id != offer.pk:
        problem = ValidationError(_("Choose one of this offer's sessions."), code="invalid_choice")
    elif session.starts_at <= timezone.now():
        problem = ValidationError(_("This session has already taken place."), code="past")
    elif session.groups_booked >= session.capacity:
        problem = ValidationError(FULLY_BOOKED, code="fully_booked")
    else:
        return
    raise ValidationError({"session": problem})


def _locked(booking: BookingRequest) -> BookingRequest:
    return BookingRequest.objects.select_for_update(of=("self",)).select_related("offer", "session").get(pk=booking.pk)


def _release_place(booking: BookingRequest) -> None:
    if booking.session_id is not None:
        OfferSession.objects.filter(pk=booking.session_id).update(groups_booked=F("groups_booked") - 1)


def _handled(booking: BookingRequest, *, by: Any, message: str) -> None:
    booking.staff_message = message
    booking.handled_by = by if getattr(by, "pk", None) else None
    booking.handled_at = timezone.now()


def booking_request_cancel(*, booking: BookingRequest, base_url: str) -> BookingRequest:
    """The teacher withdraws the request; its place is free again. Cancelling twice changes nothing."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status == BookingStatus.CANCELLED:
            return booking
        if not booking.can_be_cancelled:
            raise ValidationError(_("This request can no longer be cancelled. Please contact the library."))
        _release_place(booking)
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        emails.announce(booking, "cancelled", base_url=base_url)
    return booking


def booking_request_confirm(
    *, booking: BookingRequest, by: Any, message: str = "", visit_date: date | None = None, base_url: str
) -> BookingRequest:
    """The library says yes; the teacher is told, with the library's message.

    For offers booked on request, ``visit_date`` is the day agreed (one of the proposed dates, or another).
    """
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status != BookingStatus.PENDING:
            raise ValidationError(
                _("Only received requests can be confirmed; this one is %(status)s.")
                % {"status": booking.get_status_display()},
                code="not_pending",
            )
        if visit_date is not None and booking.session_id is None:
            booking.visit_date = visit_date
        booking.status = BookingStatus.CONFIRMED
        _handled(booking, by=by, message=message)
        booking.save(update_fields=["status", "visit_date", "staff_message", "handled_by", "handled_at", "updated_at"])
        emails.announce(booking, "confirmed", base_url=base_url)
    return booking


def booking_request_decline(*, booking: BookingRequest, by: Any, message: str = "", base_url: str) -> BookingRequest:
    """The library says no (or can no longer keep a confirmed booking); the place is released."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status not in ACTIVE_STATUSES:
            raise ValidationError(
                _("Only received or confirmed requests can be declined; this one is %(status)s.")
                % {"status": booking.get_status_display()},
                code="not_active",
            )
        _release_place(booking)
        booking.status = BookingStatus.DECLINED
        _handled(booking, by=by, message=message)
        booking.save(update_fields=["status", "staff_message", "handled_by", "handled_at", "updated_at"])
        emails.announce(booking, "declined", base_url=base_url)
    return booking


def booking_request_move(
    *, booking: BookingRequest, session: OfferSession, by: Any, message: str = "", base_url: str
) -> BookingRequest:
    """Move a request to another session of the same offer: the old place is released, a new one claimed."""
    with transaction.atomic():
        booking = _locked(booking)
        if not booking.is_active:
            raise ValidationError(
                _("Only received or confirmed requests can be moved; this one is %(status)s.")
                % {"status": booking.get_status_display()},
                code="not_active",
            )
        if session.pk == booking.session_id:
            return booking
        # Both sessions locked, always in the same order, so two moves in opposite directions cannot deadlock.
        locked = {
            locked_session.pk: locked_session
            for locked_session in OfferSession.objects.select_for_update()
            .filter(pk__in=[pk for pk in (booking.session_id, session.pk) if pk])
            .order_by("pk")
        }
        target = locked[session.pk]
        _check_bookable(target, offer=booking.offer)
        _release_place(booking)
        OfferSession.objects.filter(pk=target.pk).update(groups_booked=F("groups_booked") + 1)
        booking.session = target
        booking.visit_date = target.date
        _handled(booking, by=by, message=message)
        booking.save(update_fields=["session", "visit_date", "staff_message", "handled_by", "handled_at", "updated_at"])
        emails.announce(booking, "moved", base_url=base_url)
    return booking


def booking_requests_anonymise(*, ids: Sequence[int]) -> int:
    """Remove the teachers' personal data from these requests, keeping what statistics need
    (offer, session, dates, school, school year, pupils, status). Returns how many were changed."""
    with transaction.atomic():
        return BookingRequest.objects.filter(pk__in=list(ids), anonymised_at__isnull=True).update(
            teacher_name="",
            email="",
            phone="",
            message="",
            staff_message="",
            anonymised_at=timezone.now(),
            updated_at=timezone.now(),
        )
