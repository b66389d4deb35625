"""The resources' jobs, as the worker finds them: the booking e-mails, the embeddings of search, the daily link
check, harvest and embedding."""

from __future__ import annotations

import logging

from django.core.management import call_command

from resources import semantic  # its embed_resources job is registered on import
from resources.links import CheckSettings, check_published_links
from resources.offers import emails  # noqa: F401  (its booking_email job is registered on import)
from teams.jobs import daily_task

logger = logging.getLogger(__name__)

# Workers for the daily check; LINK_CHECK_PER_HOST and LINK_CHECK_HOST_DELAY keep each host unhurried.
LINK_CHECK_WORKERS = 16


@daily_task(at="02:30")
def check_links(timestamp: int) -> None:
    """``manage.py check_links`` with its defaults, every night."""
    summary = check_published_links(config=CheckSettings.from_settings(), workers=LINK_CHECK_WORKERS)
    logger.info(
        "Checked %s addresses of %s published resources: %s work, %s failed, %s newly broken, %s broken in all; "
        "%s images taken from the pages.",
        summary.addresses, summary.checked, summary.ok, summary.failed, summary.newly_broken, summary.broken,
        summary.images,
    )  # fmt: skip


@daily_task(at="03:30")
def harvest_sources(timestamp: int) -> None:
    """``manage.py harvest --all`` every night: a source that fails makes the job fail, listed in the admin."""
    call_command("harvest", all=True)


@daily_task(at="04:30")
def embed_resources(timestamp: int) -> None:
    """``manage.py embed_resources`` every night, after the harvest: catches any change no job was deferred for."""
    if semantic.enabled():
        call_command("embed_resources")
