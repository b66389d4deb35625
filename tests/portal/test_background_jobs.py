"""The daily jobs are declared in code and do what their commands do, run by the real worker."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.urls import reverse
from procrastinate.contrib.django import procrastinate_app

from resources.tasks import check_links
from teams.jobs import PERIODIC_QUEUE
from teams.models import Participation
from teams.tasks import remind_reflections
from tests.curation.linkserver import link_server
from tests.factories import ActivityFactory, ParticipationFactory, ReflectionFactory, ResourceFactory, UserFactory


def test_the_daily_jobs_are_declared_in_code():
    schedule = {
        periodic.task.name: (periodic.cron, periodic.task.queue)
        for periodic in procrastinate_app.current_app.periodic_registry.periodic_tasks.values()
    }
    assert schedule == {
        "resources.tasks.check_links": ("30 2 * * *", "periodic"),
        "resources.tasks.harvest_sources": ("30 3 * * *", "periodic"),
        "resources.tasks.embed_resources": ("30 4 * * *", "periodic"),
        "teams.tasks.remind_reflections": ("0 7 * * *", "periodic"),
        "portal.accounts.tasks.send_digests": ("0 5 * * *", "periodic"),
    }


def test_the_nightly_link_check_keeps_link_health(jobs, settings):
    settings.LINK_CHECK_ALLOW_LOOPBACK, settings.LINK_CHECK_HOST_DELAY = True, 0
    with link_server() as server:
        works = ResourceFactory(url=f"{server.base}/ok")
        gone = ResourceFactory(url=f"{server.base}/gone")
        check_links.defer(timestamp=int(time.time()))  # what the worker's scheduler does at 02:30
        jobs.run()
    works.refresh_from_db()
    gone.refresh_from_db()
    assert (works.link_status, works.link_failures) == (200, 0)
    assert (gone.link_status, gone.link_failures) == (404, 1)
    assert jobs.all() == []


def test_the_morning_reminders_go_once_and_not_to_who_has_written_since(jobs, settings):
    settings.SITE_URL = "https://delarum.example"
    activity = ActivityFactory(past=True)
    forgetful, busy, done = (ParticipationFactory(activity=activity, user=UserFactory()) for _ in range(3))
    ReflectionFactory(activity=activity, author=done.user)

    remind_reflections.defer(timestamp=int(time.time()))  # what the worker's scheduler does at 07:00
    jobs.run(queues=[PERIODIC_QUEUE])  # the daily job queues one reminder per missing reflection ...
    assert Participation.objects.filter(reminded_at__isnull=False).count() == 2
    ReflectionFactory(activity=activity, author=busy.user)  # ... and one of them writes theirs meanwhile
    jobs.run()
    remind_reflections.defer(timestamp=int(time.time()) + 86_400)  # the next morning: nobody twice
    jobs.run()
    jobs.run()

    assert [message.to for message in mail.outbox] == [[forgetful.user.email]]
    assert f"https://delarum.example{activity.get_absolute_url()}#reflection" in mail.outbox[0].body
    assert jobs.all() == []


@pytest.mark.parametrize("query", ["status=%", "status__exact=%25", "status__in=todo,nonsense"])
def test_a_job_status_the_queue_does_not_know_is_refused_as_a_wrong_filter(admin_client, query):
    response = admin_client.get(f"{reverse('admin:procrastinate_procrastinatejob_changelist')}?{query}")

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
