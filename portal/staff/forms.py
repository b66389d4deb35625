"""The staff pages' forms: activities, reflections, exchange-bank entries and search, self-assessments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.staff.selectors import ExperienceFilters
from resources.models import KnowledgeArea
from teams.models import (
    SCALE,
    Activity,
    Country,
    Experience,
    ExperienceKind,
    ExperienceStatus,
    LearningTeam,
    Questionnaire,
    Reflection,
    Statement,
    TriedToo,
)
from teams.text import unique_slug

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["team", "kind", "title", "description", "starts_at", "ends_at", "location", "host_library",
                  "focus_questions"]  # fmt: skip
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The activity must end after it starts."))
        return cleaned


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["saw", "will_try", "would_share", "visibility"]
        widgets = {
            "saw": forms.Textarea(attrs={"rows": 4}),
            "will_try": forms.Textarea(attrs={"rows": 3}),
            "would_share": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }


class TriedTooForm(forms.ModelForm):
    class Meta:
        model = TriedToo
        fields = ["note"]
        labels = {"note": _("A short note for the author (optional)")}


class ExperienceForm(forms.ModelForm):
    areas = forms.ModelMultipleChoiceField(
        label=_("Knowledge areas"),
        queryset=KnowledgeArea.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tag_text = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas: makerspace, newcomers, podcast.")
    )

    class Meta:
        model = Experience
        fields = ["kind", "title", "language", "summary", "what_we_did", "why", "result", "differently", "effort",
                  "period_start", "period_end", "status", "partners", "funding", "contact_name", "contact_email",
                  "links", "coordinator", "funder", "grant", "goals", "is_public"]  # fmt: skip
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            **{name: forms.Textarea(attrs={"rows": 4}) for name in ("what_we_did", "why", "result", "differently")},
            **{name: forms.Textarea(attrs={"rows": 2}) for name in ("partners", "links", "goals")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["areas"].initial = list(self.instance.knowledge_areas.all())
            self.fields["tag_text"].initial = ", ".join(self.instance.tags)

    def clean_tag_text(self) -> list[str]:
        tags = [tag.strip().lower() for tag in self.cleaned_data["tag_text"].split(",")]
        return list(dict.fromkeys(tag[:60] for tag in tags if tag))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return cleaned

    def save(self, commit: bool = True) -> Experience:
        entry = super().save(commit=False)
        entry.tags = self.cleaned_data["tag_text"]
        if not entry.slug:
            entry.slug = unique_slug(
                entry.title,
                taken=lambda slug: Experience.objects.filter(slug=slug).exists(),
                language=entry.language,
            )
        if commit:
            entry.save()
            entry.knowledge_areas.set(self.cleaned_data["areas"])
        return entry


class ExchangeSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("any")), *ExperienceKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any")), *ExperienceStatus.choices])
    area = forms.ChoiceField(label=_("Knowledge area"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[("", _("any")), *Country.choices])
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)

    def __init__(self, *args: Any, areas: list[KnowledgeArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = {area.slug: area for area in areas}
        self.fields["area"].choices = [("", _("any")), *((area.slug, str(area)) for area in areas)]  # type: ignore[attr-defined]

    def filters(self) -> ExperienceFilters:
        """The valid form's words and filters."""
        return ExperienceFilters(**{name: self.cleaned_data.get(name) or "" for name in self.fields})


class AssessmentForm(forms.Form):
    """One radio group (1–4) per statement, grouped by dimension on the page."""

    team = forms.ModelChoiceField(label=_("Learning team"), queryset=LearningTeam.objects.none())

    def __init__(self, *args: Any, questionnaire: Questionnaire, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.statements = list(
            Statement.objects.filter(dimension__questionnaire=questionnaire).select_related("dimension")
        )
        for statement in self.statements:
            self.fields[f"statement_{statement.pk}"] = forms.TypedChoiceField(
                label=statement.text, choices=SCALE, coerce=int, widget=forms.RadioSelect
            )

    def dimensions(self) -> list[tuple[Any, list[Any]]]:
        grouped: dict[int, tuple[Any, list[Any]]] = {}
        for statement in self.statements:
            grouped.setdefault(statement.dimension_id, (statement.dimension, []))[1].append(
                self[f"statement_{statement.pk}"]
            )
        return list(grouped.values())

    def answers(self) -> dict[int, int]:
        return {statement.pk: self.cleaned_data[f"statement_{statement.pk}"] for statement in self.statements}


class EmbedOptionsForm(forms.Form):
    """How the embedded offer list looks on the partner's page; the offers are chosen with the offer filters."""

    lang = forms.ChoiceField(
        label=_("Language of the list"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    height = forms.IntegerField(
        label=_("Height in pixels"),
        min_value=200,
        max_value=2000,
        initial=600,
        help_text=_("The list scrolls inside the frame when it is taller."),
    )

    def __init__(self, data: Any, **kwargs: Any) -> None:
        # Unset options are the defaults, so that the page shows a snippet before anything is chosen.
        data = {name: data.get(name) or field.initial for name, field in self.base_fields.items()}
        kwargs.setdefault("label_suffix", "")
        super().__init__(data, **kwargs)
