from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from resources import accessibility
from resources.languages import LANGUAGE_CHOICES
from resources.licenses import LICENSE_CHOICES
from resources.models import Audience, Kind, KnowledgeArea
from resources.search import MAX_QUERY_LENGTH


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    TITLE = "title"
    CHOICES = [(RELEVANCE, _("Best match")), (NEWEST, _("Newest")), (TITLE, _("Title"))]


class ResourceSearchForm(forms.Form):
    """The resource list's search box and filters; every field is a readable query parameter."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )
    area = forms.ChoiceField(label=_("Knowledge area"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *LANGUAGE_CHOICES]
    )
    audience = forms.ChoiceField(label=_("Audience"), required=False, choices=[("", _("Everyone")), *Audience.choices])
    license = forms.ChoiceField(label=_("Licence"), required=False, choices=[("", _("All licences")), *LICENSE_CHOICES])
    feature = forms.ChoiceField(
        label=_("Accessibility"), required=False, choices=[("", _("Any")), *accessibility.FEATURE_CHOICES]
    )
    free_of = forms.ChoiceField(
        label=_("Checked to be free of"),
        required=False,
        choices=[("", _("No matter")), *accessibility.FREE_OF_CHOICES],
        help_text=_("Only resources whose library checked them for this hazard."),
    )
    mode = forms.ChoiceField(
        label=_("Content in the form of"), required=False, choices=[("", _("Any")), *accessibility.MODE_CHOICES]
    )
    tag = forms.SlugField(label=_("Tag"), required=False, allow_unicode=True, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=Sort.CHOICES)
    cross = forms.ChoiceField(
        label=_("Search in"),
        required=False,
        choices=[
            ("on", _("Swedish, Danish and Norwegian")),
            ("off", _("Only the language I typed")),
        ],
        help_text=_("Find the same subject in the neighbouring languages."),
    )

    def __init__(self, *args: Any, areas: list[KnowledgeArea], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.areas = {area.slug: area for area in areas}
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = [("", _("All areas")), *((area.slug, str(area)) for area in areas)]

    @property
    def cross_language(self) -> bool:
        return self.cleaned_data.get("cross") != "off"

    @property
    def chosen_sort(self) -> str:
        chosen = self.cleaned_data.get("sort")
        return chosen or (Sort.RELEVANCE if self.cleaned_data.get("q") else Sort.NEWEST)
