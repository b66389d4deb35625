"""Questions the staff pages ask about activities, reflections and self-assessments (pure teams)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Exists, OuterRef, Q, QuerySet

from teams.access import team_ids
from teams.models import Activity, Answer, Assessment, Dimension, Participation, User


def upcoming_activities_for(user: User) -> QuerySet[Activity]:
    """Activities still to come in the user's teams, or that they signed up for elsewhere."""
    signed_up = Participation.objects.filter(activity=OuterRef("pk"), user_id=user.pk)
    return (
        Activity.objects.upcoming()
        .filter(Q(team_id__in=team_ids(user)) | Q(Exists(signed_up)))
        .for_listing()
        .annotate(signed_up=Exists(signed_up))
    )


def owed_reflections(user: User) -> QuerySet[Activity]:
    """Activities the user took part in, now over, that they have not reflected on yet."""
    return (
        Activity.objects.past()
        .filter(participations__user_id=user.pk)
        .exclude(reflections__author_id=user.pk)
        .select_related("team")
        .order_by("-ends_at")
    )


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    score: float  # the average answer, 1–4; 0 when nothing was answered
    earlier: tuple[float, ...] = ()  # the same dimension in the team's earlier rounds, newest first


def dimension_scores(assessment: Assessment, earlier: list[Assessment] | None = None) -> list[DimensionScore]:
    """Each dimension's average answer in a round, with the earlier rounds' averages beside it; two queries."""
    rounds = [assessment, *(earlier or [])]
    averages: dict[tuple[int, int], float] = {
        (row["assessment_id"], row["statement__dimension_id"]): float(row["average"])
        for row in (
            Answer.objects.filter(assessment__in=rounds)
            .values("assessment_id", "statement__dimension_id")
            .annotate(average=Avg("value"))
        )
    }
    dimensions = list(Dimension.objects.filter(questionnaire_id=assessment.questionnaire_id))
    return [
        DimensionScore(
            dimension=dimension,
            score=round(averages.get((assessment.pk, dimension.pk), 0.0), 2),
            earlier=tuple(round(averages.get((other.pk, dimension.pk), 0.0), 2) for other in earlier or []),
        )
        for dimension in dimensions
    ]


def weakest_dimensions(scores: list[DimensionScore], *, count: int = 2) -> list[DimensionScore]:
    """The ``count`` answered dimensions with the lowest scores, lowest first."""
    answered = [score for score in scores if score.score > 0]
    return sorted(answered, key=lambda item: (item.score, item.dimension.position))[:count]


def earlier_rounds(assessment: Assessment, *, limit: int = 3) -> list[Assessment]:
    return list(
        Assessment.objects.filter(
            team_id=assessment.team_id,
            questionnaire_id=assessment.questionnaire_id,
            created_at__lt=assessment.created_at,
        ).order_by("-created_at")[:limit]
    )
