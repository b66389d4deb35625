"""Writes for staff sharing: sign-ups, reflections, reminders, "we tried this too", self-assessments.

Keyword-only functions, each in one transaction; e-mail is a job enqueued in it (``teams.emails``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.access import can_edit_reflection, is_staff_member
from teams.emails import reflection_reminder
from teams.models import (
    Activity,
    Answer,
    Assessment,
    Experience,
    LearningTeam,
    Participation,
    Questionnaire,
    Reflection,
    Statement,
    TriedToo,
    User,
    Visibility,
)


def participation_sign_up(*, activity: Activity, user: User) -> Participation:
    if not is_staff_member(user):
        raise PermissionDenied
    if activity.is_over:
        raise ValidationError(_("This activity is over; sign-up is closed."), code="over")
    participation, _created = Participation.objects.get_or_create(activity=activity, user=user)
    return participation


def participation_cancel(*, activity: Activity, user: User) -> None:
    if activity.is_over:
        raise ValidationError(_("This activity is over; sign-up is closed."), code="over")
    Participation.objects.filter(activity=activity, user=user).delete()


@transaction.atomic
def reflection_save(
    *,
    activity: Activity,
    author: User,
    saw: str,
    will_try: str,
    would_share: str,
    visibility: str,
) -> Reflection:
    """Write (or rewrite) the author's one reflection on an activity they took part in, once it has begun."""
    if not Participation.objects.filter(activity=activity, user=author).exists():
        raise PermissionDenied
    if activity.starts_at > timezone.now():
        raise ValidationError(_("Reflections are written once the activity has begun."), code="too_early")
    existing = Reflection.objects.select_for_update().filter(activity=activity, author=author).first()
    if existing is not None and not can_edit_reflection(author, existing):
        raise PermissionDenied
    reflection = existing or Reflection(activity=activity, author=author)
    reflection.saw = saw
    reflection.will_try = will_try
    reflection.would_share = would_share
    reflection.visibility = Visibility(visibility)
    reflection.full_clean()
    reflection.save()
    return reflection


def reflection_reminders_send(*, base_url: str, now: datetime | None = None) -> int:
    """Remind each participant of an ended activity who has not reflected, once per activity.

    The reminder is recorded on the sign-up (``reminded_at``) in the same transaction that claims it and
    enqueues its e-mail (a job, sent by the worker), so a second run, or two at once, never sends it again, and
    a run that fails sends nothing. Returns how many reminders were due.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Participation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(activity__ends_at__lt=now, reminded_at__isnull=True)
            .without_reflection()
            .select_related("user")
        )
        Participation.objects.filter(pk__in=[participation.pk for participation in due]).update(reminded_at=now)
        for participation in due:
            if participation.user.email:
                reflection_reminder.defer(participation_id=participation.pk, base_url=base_url)
    return len(due)


def tried_too_save(*, experience: Experience, user: User, note: str) -> TriedToo:
    """Say "we tried this too" (or change the note); not on one's own library's entry."""
    if not is_staff_member(user):
        raise PermissionDenied
    if user.library_id and user.library_id == experience.library_id:
        raise ValidationError(_("This is your own library's entry."), code="own")
    tried, _created = TriedToo.objects.update_or_create(experience=experience, user=user, defaults={"note": note})
    return tried


@transaction.atomic
def assessment_create(
    *, questionnaire: Questionnaire, team: LearningTeam, user: User, answers: Mapping[int, int]
) -> Assessment:
    """A new round of the questionnaire for the team, with one answer (1–4) per statement."""
    statements = set(Statement.objects.filter(dimension__questionnaire=questionnaire).values_list("pk", flat=True))
    if set(answers) != statements:
        raise ValidationError(_("Answer every statement."), code="incomplete")
    if any(value not in (1, 2, 3, 4) for value in answers.values()):
        raise ValidationError(_("Answers are on the scale 1–4."), code="scale")
    assessment = Assessment.objects.create(questionnaire=questionnaire, team=team, filled_in_by=user)
    Answer.objects.bulk_create(
        [Answer(assessment=assessment, statement_id=pk, value=value) for pk, value in answers.items()]
    )
    return assessment
