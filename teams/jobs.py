"""The task queue's conventions, one place for every app: which queue, how often a failure is tried again.

Jobs are Procrastinate's, stored in the portal's own PostgreSQL. ``task.defer(...)`` inside a transaction
inserts the job in that transaction: it runs only if the transaction commits, and a rolled-back write
leaves no job behind. A worker (``manage.py procrastinate worker``) runs them; the admin lists what failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connections
from procrastinate import App, JobContext, RetryStrategy
from procrastinate.contrib.django import app

MAIL_QUEUE = "mail"
PERIODIC_QUEUE = "periodic"

# Mail is tried for about a day: ten retries, 30 s plus 3 to the power of the attempt after each failure (33 s,
# 39 s, 57 s, 2 min, 5 min, 13 min, 37 min, 1.8 h, 5.5 h, 16 h). Only what may pass later is tried again: a refused
# connection, a timeout, the server's temporary "try later" (smtplib's errors are OSErrors). A mistake in a
# template fails at once and shows in the admin.
MAIL_RETRY = RetryStrategy(max_attempts=10, wait=30, exponential_wait=3, retry_exceptions={OSError})


def mail_task(func: Callable[..., None]) -> Any:
    """A job that sends one e-mail: on the mail queue, retried with backoff while the mail server is away."""
    return app.task(queue=MAIL_QUEUE, retry=MAIL_RETRY)(func)


def daily_task(*, at: str) -> Callable[[Callable[..., None]], Any]:
    """A job the worker starts every day at ``at``, in UTC ("03:30"); it is given the planned time (``timestamp``).

    Several workers start it once between them; a run still going when the next is due is not doubled.
    """
    hour, minute = (int(part) for part in at.split(":"))

    def register(func: Callable[..., None]) -> Any:
        task = app.task(queue=PERIODIC_QUEUE, lock=func.__name__, pass_context=False)(func)
        return app.periodic(cron=f"{minute} {hour} * * *", periodic_id=func.__name__)(task)

    return register


def own_database_connections(call_next: Callable[[], Any], context: JobContext, worker: Any) -> Any:
    """Each job runs in a worker thread; the database connections it opened are closed when it ends, as
    Django closes a request's, so none is left open by a thread that is gone."""
    try:
        return call_next()
    finally:
        connections.close_all()


def on_app_ready(ready_app: App) -> None:
    """Called by Procrastinate's Django app once it is set up (PROCRASTINATE_ON_APP_READY)."""
    ready_app.worker_defaults.setdefault("task_middleware", []).append(own_database_connections)
