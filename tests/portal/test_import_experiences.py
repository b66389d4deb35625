"""manage.py import_experiences: front matter read by a real parser, the summary and every shape of period."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from teams.models import Experience

pytestmark = pytest.mark.django_db


def write(tmp_path, front: str, body: str = "Vi öppnade en drop-in.\n", name: str = "a.md"):
    path = tmp_path / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return str(path)


def imported(path) -> Experience:
    call_command("import_experiences", path, stdout=StringIO())
    return Experience.objects.get()


def test_a_value_holding_three_dashes_does_not_cut_the_file(tmp_path, library_a):
    path = write(
        tmp_path,
        "title: Före --- och efter\nlibrary: malmo\nsummary: 'Ett --- två'\ngoals: |\n  Mål ett\n  ---\n  Mål två\n",
        body="Vi gjorde så här.\n\n---\n\nOch sedan så här.\n",
    )
    entry = imported(path)
    assert entry.title == "Före --- och efter"
    assert entry.summary == "Ett --- två"
    assert entry.goals == "Mål ett\n---\nMål två\n"
    assert entry.what_we_did == "Vi gjorde så här.\n\n---\n\nOch sedan så här."


def test_the_summary_is_the_first_paragraph_when_the_front_matter_has_none(tmp_path, library_a):
    path = write(
        tmp_path,
        "title: Läsecirkel för nyanlända\nlibrary: malmo\n",
        body="# Vad vi gjorde\n\nVarje tisdag läste vi\ntillsammans på lätt svenska.\n\nSedan fikade vi.\n",
    )
    assert imported(path).summary == "Varje tisdag läste vi tillsammans på lätt svenska."


def test_an_entry_with_no_summary_and_no_body_is_refused(tmp_path, library_a):
    path = write(tmp_path, "title: Tomt\nlibrary: malmo\n", body="")
    with pytest.raises(CommandError, match="'summary' is missing"):
        call_command("import_experiences", path, stdout=StringIO())


D = datetime.date


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2013-2015", D(2013, 1, 1), D(2015, 12, 31)),
        ("2013–2015", D(2013, 1, 1), D(2015, 12, 31)),
        ("2013 – 2015", D(2013, 1, 1), D(2015, 12, 31)),
        ("2013", D(2013, 1, 1), D(2013, 12, 31)),
        ("'2013'", D(2013, 1, 1), D(2013, 12, 31)),
        ("2013-09", D(2013, 9, 1), D(2013, 9, 30)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2013-09–2014-06", D(2013, 9, 1), D(2014, 6, 30)),
        ("2013-09-01 – 2014-06-15", D(2013, 9, 1), D(2014, 6, 15)),
        ("2013-09-01", D(2013, 9, 1), D(2013, 9, 1)),
        ("HT 2014", D(2014, 8, 1), D(2014, 12, 31)),
        ("VT 2015", D(2015, 1, 1), D(2015, 6, 30)),
        ("HT 2014 – VT 2015", D(2014, 8, 1), D(2015, 6, 30)),
        ("efterår 2014", D(2014, 8, 1), D(2014, 12, 31)),
        ("[2013, 2015]", D(2013, 1, 1), D(2015, 12, 31)),
        ("[2013-09, 2014-06]", D(2013, 9, 1), D(2014, 6, 30)),
        ("{start: 2022-01-01, end: 2023-06-30}", D(2022, 1, 1), D(2023, 6, 30)),
        ("{start: 2022}", D(2022, 1, 1), None),
        ("{from: 2022-03, to: 2022-05}", D(2022, 3, 1), D(2022, 5, 31)),
    ],
)
def test_common_shapes_of_a_period_are_read(tmp_path, library_a, period, start, end):
    entry = imported(write(tmp_path, f"title: Projekt\nlibrary: malmo\nsummary: Kort.\nperiod: {period}\n"))
    assert (entry.period_start, entry.period_end) == (start, end)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("sommaren", "period 'sommaren' is not a period this import understands"),
        ("jul 2014", "'jul' is not a term this import knows"),
        ("2015-2013", "ends before it starts"),
        ("2013-13", "there is no such date"),
        ("[2013, 2014, 2015]", "a list must hold the start and the end"),
        ("{begin: 2013}", "period has keys this import does not know: begin"),
    ],
)
def test_a_period_in_another_shape_is_refused_by_name(tmp_path, library_a, period, message):
    path = write(tmp_path, f"title: Projekt\nlibrary: malmo\nsummary: Kort.\nperiod: {period}\n")
    with pytest.raises(CommandError) as error:
        call_command("import_experiences", path, stdout=StringIO())
    assert "a.md" in str(error.value)
    assert message in str(error.value)
    assert not Experience.objects.exists()
