"""Demo data for staff sharing (manage.py seed_demo): activities with sign-ups and reflections, the exchange
bank (portal/demo/experiences_*.json), and one self-assessment questionnaire with two rounds of answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from portal.seeding import DEMO_DIR, load, sync
from resources.models import KnowledgeArea
from teams.models import (
    Activity,
    ActivityKind,
    Answer,
    Assessment,
    Dimension,
    DimensionFocus,
    Experience,
    LearningTeam,
    Library,
    Participation,
    Questionnaire,
    Reflection,
    Statement,
    User,
    Visibility,
)

# Fixed times relative to a fixed day keep reruns idempotent; the upcoming ones are moved to stay upcoming.
ANCHOR = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(60))

QUESTIONNAIRE = {
    "slug": "digital-mognad",
    "title": "Digital mognad för bibliotek och skolor",
    "description": "Bedöm varje påstående från 1 (inte påbörjat) till 4 (ledande).",
    "dimensions": [
        ("Ledning och strategi", ["digital-skills"], ["Vi har en plan för det digitala arbetet.",
                                                      "Ledningen följer upp planen varje år."]),
        ("Personalens kompetens", ["digital-skills", "programming"],
         ["All personal har grundläggande digital kompetens.",
                                                                      "Vi lär av varandra regelbundet."]),
        ("Källkritik och informationskunnighet", ["source-criticism", "online-safety"],
         ["Vi undervisar i källkritik.", "Vi hjälper besökare att känna igen bedrägerier på nätet."]),
        ("Digitala tjänster för invånarna", ["digital-id-and-e-services"],
         ["Vi hjälper invånare med e-legitimation.", "Vi samarbetar med kommunens medborgarservice."]),
    ],
}  # fmt: skip
# The dimensions about the people the library serves; the others are about its staff (teams.DimensionFocus).
PATRON_DIMENSIONS = {"Källkritik och informationskunnighet", "Digitala tjänster för invånarna"}
ROUNDS = [[2, 1, 3, 2, 1, 1, 2, 3], [3, 2, 3, 3, 2, 1, 3, 3]]


def sync_sharing(*, libraries: dict[str, Library], teams: dict[str, LearningTeam], staff: list[User]) -> dict[str, int]:
    users = {user.username: user for user in staff}
    areas = {area.slug: area for area in KnowledgeArea.objects.all()}
    experiences = _sync_experiences(libraries, areas, users)
    activities, reflections = _sync_activities(libraries, teams, users)
    answers = _sync_assessment(teams, areas, users)
    return {"experiences": experiences, "activities": activities, "reflections": reflections, "answers": answers}


def _sync_experiences(libraries: dict[str, Library], areas: dict[str, KnowledgeArea], users: dict[str, User]) -> int:
    authors = {user.library_id: user for user in users.values() if user.library_id}
    count = 0
    for path in sorted(DEMO_DIR.glob("experiences_*.json")):
        for index, row in enumerate(load(path.name)):
            library = libraries[row["library"]]
            values = {
                "title": row["title"], "library": library, "language": row["language"], "kind": row["kind"],
                "status": row["status"], "summary": row["summary"], "what_we_did": row["summary"],
                "result": row.get("result", ""), "tags": row.get("tags", []), "is_public": row.get("public", False),
                "coordinator": row.get("coordinator", ""), "funder": row.get("funder", ""),
                "grant": row.get("grant", ""), "goals": row.get("goals", ""), "author": authors.get(library.pk),
                "contact_email": library.email, "created_at": ANCHOR - timedelta(days=index * 5 + count),
            }  # fmt: skip
            entry = sync(Experience, {"slug": row["slug"]}, values)
            entry.knowledge_areas.set([areas[slug] for slug in row.get("areas", []) if slug in areas])
            count += 1
    return count


def _sync_activities(
    libraries: dict[str, Library], teams: dict[str, LearningTeam], users: dict[str, User]
) -> tuple[int, int]:
    team = next(iter(teams.values()))
    now = timezone.now()
    plans = [
        ("Studiebesök på Dokk1", ActivityKind.STUDY_VISIT, ANCHOR, "dokk1",
         "Hur tas nya besökare emot?\nHur används ytorna för evenemang?"),
        ("Dela och lär: AI-verktyg i referensarbetet", ActivityKind.WORKSHOP, ANCHOR + timedelta(days=14), None, ""),
        ("Nätverksträff om digital inkludering", ActivityKind.NETWORK_MEETING, now + timedelta(days=10), None, ""),
        ("Hospitering i Bergen", ActivityKind.STUDY_VISIT, now + timedelta(days=30),
         "bergen-offentlige-bibliotek", "Hvordan jobber de med frivillige?"),
    ]  # fmt: skip
    participants = [users[name] for name in ("curator", "teamlead", "anna.lindqvist", "ahmad.karimi") if name in users]
    reflections = 0
    for index, (title, kind, starts, host, questions) in enumerate(plans):
        starts = starts.replace(second=0, microsecond=0)
        if index >= 2:  # upcoming: keep the stored time once set, so reruns change nothing
            existing = Activity.objects.filter(team=team, title=title).first()
            starts = existing.starts_at if existing and existing.starts_at > now else starts
        activity = sync(
            Activity,
            {"team": team, "title": title},
            {"kind": kind, "starts_at": starts, "ends_at": starts + timedelta(hours=6),
             "host_library": libraries.get(host) if host else None, "focus_questions": questions,
             "description": "Vi lär av varandra och skriver reflektioner efteråt."},
        )  # fmt: skip
        for user in participants:
            Participation.objects.get_or_create(activity=activity, user=user)
        if index == 0:  # the study visit is over: three of four have reflected
            for user, visibility in zip(
                participants[:3], [Visibility.PUBLIC, Visibility.STAFF, Visibility.TEAM], strict=False
            ):
                sync(
                    Reflection,
                    {"activity": activity, "author": user},
                    {"saw": "Öppna, flexibla ytor och personal som möter besökarna vid entrén.",
                     "will_try": "Ett välkomstbord de första veckorna efter sommaren.",
                     "would_share": "Hur de planerar evenemang tillsammans med föreningar.", "visibility": visibility},
                )  # fmt: skip
                reflections += 1
    return len(plans), reflections


def _sync_assessment(teams: dict[str, LearningTeam], areas: dict[str, KnowledgeArea], users: dict[str, User]) -> int:
    questionnaire = sync(
        Questionnaire,
        {"slug": QUESTIONNAIRE["slug"]},
        {"title": QUESTIONNAIRE["title"], "description": QUESTIONNAIRE["description"], "is_active": True},
    )
    statements = []
    for position, (name, area_slugs, texts) in enumerate(QUESTIONNAIRE["dimensions"]):
        focus = DimensionFocus.PATRONS if name in PATRON_DIMENSIONS else DimensionFocus.STAFF
        dimension = sync(
            Dimension, {"questionnaire": questionnaire, "name": name}, {"position": position, "focus": focus}
        )
        for slug in area_slugs:
            if slug in areas:
                areas[slug].dimensions.add(dimension)
        statements += [
            sync(Statement, {"dimension": dimension, "text": text}, {"position": number})
            for number, text in enumerate(texts)
        ]
    team = next(iter(teams.values()))
    answers = 0
    for round_index, values in enumerate(ROUNDS):
        rounds = list(Assessment.objects.filter(questionnaire=questionnaire, team=team).order_by("created_at"))
        assessment = rounds[round_index] if len(rounds) > round_index else None
        if assessment is None:
            assessment = Assessment.objects.create(
                questionnaire=questionnaire, team=team, filled_in_by=users.get("teamlead")
            )
            Assessment.objects.filter(pk=assessment.pk).update(
                created_at=ANCHOR - timedelta(days=365 * (1 - round_index))
            )
        for statement, value in zip(statements, values, strict=True):
            sync(Answer, {"assessment": assessment, "statement": statement}, {"value": value})
            answers += 1
    return answers
