"""The task queue in tests: jobs run for real, by Procrastinate's worker, against the test database.

``jobs.run()`` starts the same worker ``manage.py procrastinate worker`` starts, with its own connections
(psycopg 3, the same socket or DATABASE_URL), until nothing is due. Because it reads only what is
committed, tests that run jobs use the ``jobs`` fixture, which makes them transactional. Periodic jobs
are not started on their own in tests (their test defers them); everything else is the worker's code.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from django.db import connection
from procrastinate.contrib.django import app, procrastinate_app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.periodic import PeriodicRegistry

TABLES = "procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"


class Jobs:
    def run(self, queues: list[str] | None = None) -> None:
        """Run every job that is due (on these queues), as the production worker does; return when none is left.

        The worker gets a thread of its own, with its own event loop (Playwright's sync API keeps one running in
        the browser tests' thread)."""
        failure: list[BaseException] = []

        def work() -> None:
            try:
                with app.replace_connector(app.connector.get_worker_connector()) as worker_app:  # type: ignore[attr-defined]
                    # One job at a time, so that the e-mails of one event arrive in a known order.
                    worker_app.run_worker(
                        wait=False, install_signal_handlers=False, listen_notify=False, concurrency=1, queues=queues
                    )
            except BaseException as error:
                failure.append(error)

        real_app = procrastinate_app.current_app
        periodic, real_app.periodic_registry = real_app.periodic_registry, PeriodicRegistry()
        try:
            worker = threading.Thread(target=work, name="procrastinate-worker")
            worker.start()
            worker.join()
        finally:
            real_app.periodic_registry = periodic
        if failure:
            raise failure[0]

    def all(self) -> list[ProcrastinateJob]:
        return list(ProcrastinateJob.objects.order_by("id"))

    def make_due(self) -> None:
        """The backoff has passed: every job waiting for a retry is due now."""
        with connection.cursor() as cursor:
            cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo'")

    def clear(self) -> None:
        # Procrastinate's tables are not Django's to flush between transactional tests.
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")


def job_count() -> int:
    return ProcrastinateJob.objects.count()


@dataclass
class _Inbox:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(port: int) -> Iterator[list[Message]]:
    """A real SMTP server on loopback (aiosmtpd); yields the messages it receives."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox.messages
    finally:
        controller.stop()
