"""The review workflow and other curation writes: keyword-only functions, each in one transaction.

A curator sends a draft for review; a team lead publishes it, or sends it back with a note the curator
sees, and archives what should no longer be shown. Who may do which is decided in ``teams.access``;
these functions refuse (``PermissionDenied``) or explain (``ValidationError``) otherwise. Every save is
kept in the resource's history with the person who made it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resources import semantic
from resources.models import Collection, KnowledgeArea, ProblemReport, ReportStatus, Resource, Status
from teams.access import OPERATOR, can_change, can_publish, reviewers
from teams.models import User

# The review's steps, and the statuses each starts from (the admin offers a step only from these).
STARTS_FROM = {
    "submit_for_review": {Status.DRAFT},
    "publish": {Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED},
    "send_back": {Status.IN_REVIEW},
    "archive": {Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED},
}

# What goes through the review: resources, and public collections (the same steps, reviewers and rules).
Reviewable = Resource | Collection


def _save(resource: Reviewable, *, user: Any, fields: list[str]) -> Reviewable:
    resource._history_user = None if user is OPERATOR else user  # type: ignore[union-attr]
    resource.save(update_fields=[*fields, "updated_at"])
    if isinstance(resource, Resource):
        semantic.embed_later([resource.pk])  # published: embedded; no longer published: its embedding goes
    return resource


def review_names(*, library_id: int | None, team_id: int | None) -> list[str]:
    """The names of the team leads who will review a resource of the library and team."""
    leads: list[User] = list(reviewers(library_id=library_id, team_id=team_id))
    return [lead.get_full_name() or lead.username for lead in leads]


def no_reviewer_problem(*, library_id: int | None, team_id: int | None) -> str | None:
    """Why a resource of the library and team cannot be sent for review yet, or None when someone will review it."""
    if reviewers(library_id=library_id, team_id=team_id).exists():
        return None
    if team_id is not None:
        return _("The learning team has no team lead yet, so nobody would review it. Ask a coordinator to name one.")
    return _(
        "Nobody at your library leads a learning team, so nobody would review a resource without a team. "
        "Choose the learning team whose leads should review it."
    )


@transaction.atomic
def resource_submit_for_review(*, resource: Reviewable, user: Any) -> Reviewable:
    """Draft → in review. For anyone who may change the resource, when a team lead will review it."""
    if not can_change(user, resource):
        raise PermissionDenied
    if resource.status not in STARTS_FROM["submit_for_review"]:
        raise ValidationError(_("Only a draft can be sent for review."), code="status")
    if problem := no_reviewer_problem(library_id=resource.library_id, team_id=resource.team_id):
        raise ValidationError({"team": problem}, code="no_reviewer")
    resource.status = Status.IN_REVIEW
    return _save(resource, user=user, fields=["status"])


@transaction.atomic
def resource_publish(*, resource: Reviewable, user: Any) -> Reviewable:
    """Draft, in review or archived → published. For the team's leads and coordinators."""
    if not can_publish(user, resource):
        raise PermissionDenied
    if resource.status not in STARTS_FROM["publish"]:
        raise ValidationError(_("This resource is already published."), code="status")
    resource.full_clean(exclude=["slug"])
    resource.status = Status.PUBLISHED
    resource.review_note = ""
    return _save(resource, user=user, fields=["status", "review_note"])


@transaction.atomic
def resource_send_back(*, resource: Reviewable, user: Any, note: str) -> Reviewable:
    """In review → draft, with a note the curator reads. For the team's leads and coordinators."""
    if not can_publish(user, resource):
        raise PermissionDenied
    if resource.status not in STARTS_FROM["send_back"]:
        raise ValidationError(_("Only a resource in review can be sent back."), code="status")
    if not note.strip():
        raise ValidationError({"review_note": _("Write what the curator should change.")}, code="required")
    resource.status = Status.DRAFT
    resource.review_note = note.strip()
    return _save(resource, user=user, fields=["status", "review_note"])


@transaction.atomic
def resource_archive(*, resource: Reviewable, user: Any) -> Reviewable:
    """Any status → archived: no longer shown to patrons. For the team's leads and coordinators."""
    if not can_publish(user, resource):
        raise PermissionDenied
    if resource.status not in STARTS_FROM["archive"]:
        raise ValidationError(_("This resource is already archived."), code="status")
    resource.status = Status.ARCHIVED
    return _save(resource, user=user, fields=["status"])


@transaction.atomic
def resource_add_area(*, resource: Resource, area: KnowledgeArea, user: Any) -> bool:
    """Adds the resource to a knowledge area; False when it was there already."""
    if not can_change(user, resource):
        raise PermissionDenied
    if resource.areas.filter(pk=area.pk).exists():
        return False
    resource._history_user = None if user is OPERATOR else user  # type: ignore[attr-defined]
    resource.areas.add(area)
    return True


@transaction.atomic
def resource_add_tag(*, resource: Resource, tag: str, user: Any) -> bool:
    """Adds a tag to the resource; False when it had it already."""
    if not can_change(user, resource):
        raise PermissionDenied
    if tag.lower() in {name.lower() for name in resource.tags.names()}:
        return False
    resource.tags.add(tag)
    resource_record_tags(resource=resource, user=user)
    return True


def resource_record_tags(*, resource: Resource, user: Any, amend_latest: bool = False) -> bool:
    """Give the history a line for a change of tags; False when the tags are as last recorded.

    The database keeps ``tags_text`` right (migration 0012); saving it here makes the history see it. With
    ``amend_latest``, the caller saved the resource a moment ago in this transaction (the admin's form, whose
    tags are saved after the fields): that save's line gets the tags, so one edit is one line.
    """
    stored = Resource.objects.values_list("tags_text", flat=True).get(pk=resource.pk)
    if stored == resource.tags_text:
        return False
    resource.tags_text = stored
    if amend_latest:
        latest = resource.history.values_list("history_id", flat=True).latest("history_date")
        resource.history.filter(history_id=latest).update(tags_text=stored)
    else:
        _save(resource, user=user, fields=["tags_text"])
    return True


@transaction.atomic
def problem_report_set_status(*, report: ProblemReport, status: str, user: Any) -> bool:
    """Marks a patron's report dealt with (by whom, when) or open again; False when it already was."""
    if not can_change(user, report):
        raise PermissionDenied
    resolved = status == ReportStatus.RESOLVED
    if report.status == status and (report.resolved_at is not None) == resolved:
        return False
    report.status = status
    report.resolved_at, report.resolved_by = (timezone.now(), user) if resolved else (None, None)
    report.save(update_fields=["status", "resolved_at", "resolved_by"])
    return True


@transaction.atomic
def problem_report_create(*, resource: Resource, kind: str, message: str) -> ProblemReport:
    """A patron's report on a published resource; it lands in the owning library's and team's queue."""
    if resource.status != Status.PUBLISHED:
        raise ValidationError(_("Only published resources can be reported."), code="status")
    return ProblemReport.objects.create(resource=resource, kind=kind, message=message.strip())
