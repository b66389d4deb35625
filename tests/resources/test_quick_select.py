"""The search form's long selects are written in Python, as Django's templates would write them."""

from __future__ import annotations

import pytest
from django import forms
from lxml import html

from resources.forms import QuickSelect, ResourceSearchForm


def parsed(markup: str) -> tuple[dict[str, str], list[tuple[dict[str, str], str]]]:
    """The select's attributes, and each option's attributes and text."""
    select = html.fragment_fromstring(markup)
    return dict(select.attrib), [(dict(option.attrib), option.text or "") for option in select]


@pytest.mark.parametrize("value", ["", "da", "not-a-language"])
def test_a_quick_select_writes_what_the_templates_write(value):
    form = ResourceSearchForm({"language": value}, areas=[])
    form.is_valid()
    field = form.fields["language"]
    assert isinstance(field.widget, QuickSelect)
    quick = str(form["language"])

    field.widget = forms.Select(choices=field.choices)  # type: ignore[attr-defined]

    assert parsed(quick) == parsed(str(form["language"]))
    assert ('<option value="da" selected>' in quick) is (value == "da")
