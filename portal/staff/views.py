"""Staff pages: thin views over teams' services and selectors and the exchange-bank search."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.staff.chart import profile_chart
from portal.staff.forms import (
    ActivityForm,
    AssessmentForm,
    EmbedOptionsForm,
    ExchangeSearchForm,
    ExperienceForm,
    ReflectionForm,
    TriedTooForm,
)
from portal.staff.selectors import (
    PAGE_SIZE,
    ExperienceSearch,
    areas_prefetch,
    newest_experiences,
    recommendations_for,
    search_experiences,
    waiting_for_review,
)
from resources.embeds import embed_url, iframe_html
from resources.facets import FACET_TITLES, FacetGroup, facet_group
from resources.frontdoor import SearchFront, SearchListView
from resources.models import KnowledgeArea
from resources.models.catalogue import REVIEW_WAIT_DAYS
from resources.offers.forms import OfferSearchForm
from teams import services
from teams.access import (
    can_change,
    can_read_reflection,
    is_staff_member,
    own_teams,
    readable_reflections,
    team_feed_reader,
    team_feed_token,
    team_ids,
    visible_to,
)
from teams.ics import activities_calendar, calendar_response
from teams.models import (
    SCALE,
    Activity,
    Assessment,
    Experience,
    LearningTeam,
    Questionnaire,
    Reflection,
)
from teams.selectors import (
    dimension_scores,
    earlier_rounds,
    owed_reflections,
    upcoming_activities_for,
    weakest_dimensions,
)
from teams.text import slug_of


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-out visitors go to the sign-in page; signed-in people who are not library staff are refused."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# Home ------------------------------------------------------------------------------------------------------


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    teams = list(LearningTeam.objects.filter(pk__in=team_ids(user)).order_by("name"))
    context = {
        "teams": [(team, feed_url(request, team)) for team in teams],
        "upcoming": list(upcoming_activities_for(user)[:10]),
        "owed": list(owed_reflections(user)[:10]),
        "newest": newest_experiences(),
        # The resources waiting for this person's review (or, for a curator, their library's and teams' ones).
        "waiting": list(waiting_for_review(user)[:10]),
        "waiting_days": REVIEW_WAIT_DAYS,
    }
    return render(request, "staff/home.html", context)


# Activities ------------------------------------------------------------------------------------------------


@staff_required
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = Activity.objects.for_listing().order_by("-starts_at")
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/activity_list.html", {"page_obj": page, "activities": page.object_list})


@staff_required
def activity_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ActivityForm(request.POST or None, teams=own_teams(user))
    if request.method == "POST" and form.is_valid():
        activity = form.save(commit=False)
        activity.created_by = user
        activity.save()
        messages.success(request, _("The activity was created."))
        return redirect(activity)
    return render(request, "staff/activity_form.html", {"form": form})


def _activity(pk: int) -> Activity:
    return get_object_or_404(Activity.objects.select_related("team", "host_library"), pk=pk)


@staff_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    return _activity_page(request, activity)


def _activity_page(request: HttpRequest, activity: Activity, form: ReflectionForm | None = None) -> HttpResponse:
    user: Any = request.user
    participations = list(activity.participations.select_related("user", "user__library"))
    participant_ids = {participation.user_id for participation in participations}
    reflections = list(
        readable_reflections(activity.reflections.select_related("author", "author__library"), user).order_by(
            "created_at"
        )
    )
    missing = activity.participations.without_reflection().count() if activity.starts_at <= timezone.now() else 0
    own = next((reflection for reflection in reflections if reflection.author_id == user.pk), None)
    if form is None and user.pk in participant_ids and activity.starts_at <= timezone.now():
        form = ReflectionForm(instance=own)
    context = {
        "activity": activity,
        "participations": participations,
        "signed_up": user.pk in participant_ids,
        "reflections": reflections,
        "missing": missing,
        "form": form,
        "own": own,
        "can_change": can_change(user, activity),
    }
    return render(request, "staff/activity_detail.html", context, status=400 if form and form.errors else 200)


@require_POST
@staff_required
def activity_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    try:
        if request.POST.get("cancel"):
            services.participation_cancel(activity=activity, user=request.user)  # type: ignore[arg-type]
            messages.success(request, _("You are no longer signed up."))
        else:
            services.participation_sign_up(activity=activity, user=request.user)  # type: ignore[arg-type]
            messages.success(request, _("You are signed up."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(activity)


@require_POST
@staff_required
def reflection_write(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    own = activity.reflections.filter(author=request.user).first()  # type: ignore[misc]
    form = ReflectionForm(request.POST, instance=own)
    if not form.is_valid():
        return _activity_page(request, activity, form)
    try:
        services.reflection_save(activity=activity, author=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as error:
        form.add_error(None, error)
        return _activity_page(request, activity, form)
    messages.success(request, _("Thank you: your reflection is saved."))
    return redirect(activity)


@staff_required
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(Reflection.objects.select_related("activity", "activity__team", "author"), pk=pk)
    if not can_read_reflection(request.user, reflection):
        raise Http404
    return render(request, "staff/reflection_detail.html", {"reflection": reflection})


@staff_required
def activity_ics(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    body = activities_calendar([activity], url_for=lambda item: request.build_absolute_uri(item.get_absolute_url()))
    return calendar_response(body, filename=f"activity-{activity.pk}.ics")


def feed_url(request: HttpRequest, team: LearningTeam) -> str:
    """The team's calendar feed for calendar apps: signed for this person, since apps send no cookie."""
    token = team_feed_token(request.user, team)  # type: ignore[arg-type]
    address = reverse("staff:team-calendar", kwargs={"slug": team.slug})
    return request.build_absolute_uri(f"{address}?token={token}")


def team_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """A team's activities as a subscribable feed: for signed-in staff, or with the signed token of a member."""
    team = get_object_or_404(LearningTeam, slug=slug)
    token = request.GET.get("token")
    if not is_staff_member(request.user) and not (token and team_feed_reader(token, team)):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.get_full_path())
    activities = team.activities.select_related("host_library").order_by("starts_at")
    body = activities_calendar(
        activities,
        url_for=lambda item: request.build_absolute_uri(item.get_absolute_url()),
        name=f"{team.name} – Delarum",
    )
    return calendar_response(body)


# Exchange bank ---------------------------------------------------------------------------------------------


class ExchangeFront(SearchFront[ExchangeSearchForm, ExperienceSearch]):
    model = Experience

    def form(self, request: HttpRequest) -> ExchangeSearchForm:
        return ExchangeSearchForm(request.GET, areas=list(KnowledgeArea.objects.order_by("name")))

    def search(self, form: ExchangeSearchForm, request: HttpRequest) -> ExperienceSearch:
        filters = form.filters()
        return search_experiences(filters, area=form.areas.get(filters.area))

    def facets(self, found: ExperienceSearch, form: ExchangeSearchForm, params: QueryDict) -> list[FacetGroup]:
        groups = []
        for name, rows in found.facets.items():
            field = form.fields[name]
            labels = dict(field.choices) if isinstance(field, forms.ChoiceField) else {}  # type: ignore[arg-type]
            rows = [(value, str(labels.get(value, value)), count) for value, _label, count in rows]
            if group := facet_group(name, str(FACET_TITLES[name]), rows, params):
                groups.append(group)
        return groups


@method_decorator(staff_required, name="dispatch")
class ExchangeListView(SearchListView):
    """Search the exchange bank: words and filters with counts, pages of entries."""

    template_name = "staff/exchange_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "entries"
    front = ExchangeFront()


def _experience(slug: str) -> Experience:
    return get_object_or_404(
        Experience.objects.select_related("library", "author").prefetch_related(areas_prefetch()), slug=slug
    )


@staff_required
def experience_detail(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _experience(slug)
    return _experience_page(request, entry, TriedTooForm())


def _experience_page(request: HttpRequest, entry: Experience, form: TriedTooForm, *, status: int = 200) -> HttpResponse:
    user: Any = request.user
    tried = list(entry.tried_too.select_related("user", "user__library"))
    context = {
        "entry": entry,
        "tried": tried,
        "form": form,
        "can_edit": can_change(user, entry),
        "own_library": bool(user.library_id and user.library_id == entry.library_id),
        "already_tried": any(item.user_id == user.pk for item in tried),
    }
    return render(request, "staff/experience_detail.html", context, status=status)


@staff_required
def experience_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.library_id:
        messages.error(request, _("Your account belongs to no library, so you cannot add entries."))
        return redirect("staff:exchange")
    form = ExperienceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.library_id = user.library_id
        form.instance.author = user
        with transaction.atomic():
            entry = form.save()
        messages.success(request, _("The entry is in the exchange bank."))
        return redirect(entry)
    return render(request, "staff/experience_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def experience_edit(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _experience(slug)
    if not can_change(request.user, entry):
        raise PermissionDenied
    form = ExperienceForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("The entry was saved."))
        return redirect(entry)
    context = {"form": form, "entry": entry}
    return render(request, "staff/experience_form.html", context, status=400 if form.errors else 200)


@require_POST
@staff_required
def experience_tried(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _experience(slug)
    form = TriedTooForm(request.POST)
    if form.is_valid():
        try:
            services.tried_too_save(experience=entry, user=request.user, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the author can see that you tried this too."))
            return redirect(entry)
    return _experience_page(request, entry, form, status=400)


# Public pages for what was made public ---------------------------------------------------------------------


def public_experience(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(
        Experience.objects.public().select_related("library", "author").prefetch_related(areas_prefetch()), slug=slug
    )
    return render(request, "staff/public_experience.html", {"entry": entry})


def public_reflection(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_object_or_404(Reflection.objects.public().select_related("activity", "author"), pk=pk)
    return render(request, "staff/public_reflection.html", {"reflection": reflection})


# Self-assessment -------------------------------------------------------------------------------------------


@staff_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rounds = visible_to(Assessment.objects.for_listing(), user).order_by("-created_at")
    context = {
        "questionnaires": Questionnaire.objects.filter(is_active=True).annotate(
            dimension_count=Count("dimensions", distinct=True)
        ),
        "rounds": list(rounds[:50]),
    }
    return render(request, "staff/assessment_list.html", context)


@staff_required
def questionnaire_fill(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, slug=slug, is_active=True)
    form = AssessmentForm(request.POST or None, questionnaire=questionnaire, teams=own_teams(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                questionnaire=questionnaire,
                team=form.cleaned_data["team"],
                user=request.user,  # type: ignore[arg-type]
                answers=form.answers(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(assessment)
    context = {"questionnaire": questionnaire, "form": form}
    return render(request, "staff/questionnaire_form.html", context, status=400 if form.errors else 200)


@staff_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        visible_to(Assessment.objects.select_related("questionnaire", "team"), request.user), pk=pk
    )
    earlier = earlier_rounds(assessment)
    scores = dimension_scores(assessment, earlier)
    context = {
        "assessment": assessment,
        "earlier": earlier,
        "scores": scores,
        "chart": profile_chart(scores),
        "scale": SCALE,
        "top": SCALE[-1][0],
        "recommended": recommendations_for(weakest_dimensions(scores)),
    }
    return render(request, "staff/assessment_detail.html", context)


@staff_required
def assessment_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """The profile chart as an SVG file, to take to a meeting."""
    assessment = get_object_or_404(visible_to(Assessment.objects.select_related("team"), request.user), pk=pk)
    earlier = earlier_rounds(assessment)
    chart = profile_chart(dimension_scores(assessment, earlier))
    context = {"chart": chart, "earlier": earlier, "width": chart.file_width}
    response = render(request, "staff/_profile_chart.svg", context, content_type="image/svg+xml; charset=utf-8")
    name = slug_of(f"{assessment.team.name} {assessment.created_at:%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
    return response


# Embedding -------------------------------------------------------------------------------------------------

# The offer filters a partner's list may be narrowed by (all of the offer page's but words, dates and sorting).
EMBED_FILTERS = ["year", "subject", "area", "country", "region", "municipality", "format"]


@staff_required
def embed_builder(request: HttpRequest) -> HttpResponse:
    """The <iframe> a partner site pastes to show chosen school offers, with a preview of what it shows."""
    filters = OfferSearchForm.of(request.GET, language=request.LANGUAGE_CODE)
    options = EmbedOptionsForm(request.GET)
    context: dict[str, Any] = {"filters": [filters[name] for name in EMBED_FILTERS], "options": options}
    if filters.is_valid() and options.is_valid():
        language = options.cleaned_data["lang"]
        src = embed_url(request, {**{name: request.GET.get(name, "") for name in EMBED_FILTERS}, "lang": language})
        with translation.override(language):
            title = _("School offers from the libraries")
        context["src"] = src
        context["snippet"] = iframe_html(
            src, title=f"{title} – Delarum", width="100%", height=options.cleaned_data["height"]
        )
        context["height"] = options.cleaned_data["height"]
    return render(request, "staff/embed_builder.html", context)
