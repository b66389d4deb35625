"""How long a teacher waits for a booking request to be answered, and how long the worker takes to send its
e-mails. Prints the figures; the README's "Background jobs" quotes them.

Each request is the booking form posted through Django's test client to a real (local) SMTP server, aiosmtpd on
loopback, so the e-mail's cost is a real SMTP conversation; ``--mail-down`` points the e-mail at a port where
nothing listens instead. The bookings go to a session made for the run on one of the demo offers, and are
deleted with it afterwards. Runs against whatever code is on the path, so the same script measures the tree
before the task queue (e-mail sent inside the request) and after it.

Usage: DEBUG=1 .venv/bin/python bench/booking.py [--requests 50] [--mail-down]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # neither the worker nor the SMTP server tells of each message


class Inbox:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--mail-down", action="store_true", help="Nothing listens where the e-mail goes.")
    options = parser.parse_args()

    port = free_port()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["BOOKING_RATE_LIMIT"] = "0"
    inbox = Inbox()
    controller = None
    if not options.mail_down:
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()

    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from resources.models import Booking, BookingRequest, OfferSession, SchoolOffer

    offer = SchoolOffer.objects.published().filter(booking=Booking.SESSIONS).order_by("pk").first()
    if offer is None:
        raise SystemExit("Run `manage.py seed_demo` first.")
    session = OfferSession.objects.create(
        offer=offer, starts_at=timezone.now() + timedelta(days=200, minutes=uuid.uuid4().int % 10_000), capacity=500
    )
    client = Client(SERVER_NAME="localhost")
    address = reverse("offers:request", kwargs={"slug": offer.slug})
    times, errors = [], 0
    try:
        for n in range(options.requests):
            data = {
                "teacher_name": f"Bench {n}", "school": "Benchskolan", "email": f"bench{n}@skola.example",
                "phone": "", "school_year": str(offer.year_from), "pupils": "10", "message": "", "consent": "on",
                "form_token": str(uuid.uuid4()), "website": "", "session": str(session.pk),
            }  # fmt: skip
            started = time.perf_counter()
            try:
                response = client.post(address, data)
                if response.status_code != 302:
                    errors += 1
            except Exception:  # the request ended in an error page (a 500 in production)
                errors += 1
            times.append(time.perf_counter() - started)
        delivered_in = _run_worker()
        sent = inbox.count
    finally:
        _forget_jobs(list(BookingRequest.objects.filter(session=session).values_list("pk", flat=True)))
        BookingRequest.objects.filter(session=session).delete()
        session.delete()
        if controller is not None:
            controller.stop()

    times.sort()
    print(
        f"booking POST, mail server {'down' if options.mail_down else 'up (local SMTP)'}: {len(times)} requests, "
        f"median {statistics.median(times) * 1000:.1f} ms, p95 {times[int(len(times) * 0.95) - 1] * 1000:.1f} ms, "
        f"{errors} error pages; e-mails received: {sent}"
        + (
            f" (sent by the worker, whose run took {delivered_in:.2f} s)"
            if delivered_in is not None
            else " (sent in the request)"
        )
    )


def _run_worker() -> float | None:
    """The worker's time to send what the requests queued; None for a tree without the task queue."""
    try:
        from procrastinate.contrib.django import app
    except ImportError:
        return None
    from django.conf import settings

    if "procrastinate.contrib.django" not in settings.INSTALLED_APPS:
        return None
    started = time.perf_counter()
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False, queues=["mail"])
    return time.perf_counter() - started


def _forget_jobs(booking_ids: list[int]) -> None:
    """The e-mails of the run's bookings that wait for a retry (--mail-down) go with the bookings."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute(
                "DELETE FROM procrastinate_jobs WHERE status = 'todo' AND (args->>'booking_id')::bigint = ANY(%s)",
                [booking_ids],
            )


if __name__ == "__main__":
    main()
