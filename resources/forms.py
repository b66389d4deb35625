from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


class QuickSelect(forms.Select):
    """A select that writes its options in Python, as Django's template for them would: through templates, each
    option is an include of its own, and the language list's 130 options cost a search page more than its cards."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, options, _index in widget["optgroups"]
                for option in options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


# The resource search's words and filters, by their query parameter's name.
CRITERIA = ("q", "area", "kind", "language", "audience", "license", "tag", "feature", "free_of", "mode")


@dataclass(frozen=True)
class ResourceFilters:
    """What a resource search asks for, as ``ResourceSearchForm`` reads it from the address (empty: any)."""

    q: str = ""
    area: str = ""
    kind: str = ""
    language: str = ""
    audience: str = ""
    license: str = ""
    tag: str = ""
    feature: str = ""
    free_of: str = ""
    mode: str = ""
    sort: str = Sort.NEWEST
    cross_language: bool = True

    def criteria(self) -> dict[str, Any]:
        """The words and filters by their query parameter's name (what the cache key and the filters read)."""
        return {name: getattr(self, name) for name in CRITERIA}


class ResourceSearchForm(forms.Form):
    """The resource list's search box and filters; every field is a readable query parameter."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )
    area = forms.ChoiceField(label=_("Knowledge area"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *LANGUAGE_CHOICES], widget=QuickSelect
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

    def filters(self) -> ResourceFilters:
        """The valid form's words and filters."""
        data = self.cleaned_data
        return ResourceFilters(
            **{name: data.get(name) or "" for name in CRITERIA},
            sort=self.chosen_sort,
            cross_language=self.cross_language,
        )
