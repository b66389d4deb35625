"""The shared school-year scale (0–13) and how each country names its years.

One integer scale serves Sweden, Denmark and Norway, so a teacher's "year 7" finds offers from all three:

- 0 is förskoleklass (SE) and 0. klasse (DK); Norway has no year 0, school starts at 1. trinn;
- 1–9 are grundskolans årskurser in Sweden, 1–10 the folkeskole's klassetrin and grunnskolens trinn;
- upper secondary is 10–12 in Sweden (gymnasiet år 1–3) and 11–13 in Denmark (1.–3.g) and Norway (vg1–vg3).

Labels are the country's own words ("åk 7–9", "7.–9. klasse", "8.–10. trinn") whatever the interface
language, because that is what teachers in that country call their classes.
"""

from __future__ import annotations

from teams.models import COUNTRY_LANGUAGES, Country

FIRST, LAST = 0, 13
SCALE = range(FIRST, LAST + 1)
# The first year of upper secondary school on the shared scale, per country.
UPPER_SECONDARY = {Country.SWEDEN: 10, Country.DENMARK: 11, Country.NORWAY: 11}
# The years each country's schools have.
YEARS = {
    Country.SWEDEN: range(13),
    Country.DENMARK: range(14),
    Country.NORWAY: range(1, 14),
}


# The first year of lower secondary school (ISCED 2) on the shared scale, per country.
LOWER_SECONDARY = {Country.SWEDEN: 7, Country.DENMARK: 7, Country.NORWAY: 8}


def isced_level(country: str, year: int) -> int:
    """The ISCED 2011 level of a country's school year: 0 pre-primary, 1 primary, 2 lower, 3 upper secondary."""
    country = Country(country)
    if year >= UPPER_SECONDARY[country]:
        return 3
    if year >= LOWER_SECONDARY[country]:
        return 2
    # Förskoleklass and 0. klasse are pre-primary; Norway's first year of school (1. trinn) is primary.
    return 0 if year == 0 and country != Country.NORWAY else 1


def _stage(country: str, year: int) -> str:
    return "upper" if year >= UPPER_SECONDARY[Country(country)] else "compulsory"


def _one(country: str, year: int) -> str:
    """One year in the country's words, as it reads alone."""
    if country == Country.SWEDEN:
        if year == 0:
            return "förskoleklass"
        return f"åk {year}" if year < 10 else f"gymnasiet år {year - 9}"
    if country == Country.DENMARK:
        return f"{year}. klasse" if year < 11 else f"{year - 10}.g"
    if year == 0:
        return "1. trinn"  # Norway has no year 0: the nearest is the first year of school.
    return f"{year}. trinn" if year < 11 else f"vg{year - 10}"


def year_label(country: str, year: int) -> str:
    """'åk 7', '7. klasse', '7. trinn'."""
    return _one(country, year)


def range_label(country: str, first: int, last: int) -> str:
    """A range of years in the country's words: 'åk 7–9', '7.–9. klasse', '8.–10. trinn', 'vg1–vg3'."""
    if first == last:
        return _one(country, first)
    if _stage(country, first) != _stage(country, last):
        return f"{_one(country, first)} – {_one(country, last)}"
    if country == Country.SWEDEN:
        if first == 0:
            return f"förskoleklass – åk {last}"
        return f"åk {first}–{last}" if last < 10 else f"gymnasiet år {first - 9}–{last - 9}"
    if country == Country.DENMARK:
        return f"{first}.–{last}. klasse" if last < 11 else f"{first - 10}.–{last - 10}.g"
    if last >= 11:
        return f"vg{first - 10}–vg{last - 10}"
    return f"{max(first, 1)}.–{last}. trinn"


def scale_label(year: int) -> str:
    """A year on the shared scale in all three countries' words, for pages that serve all three."""
    labels = [_one(country, year) for country in Country.values if year in YEARS[Country(country)]]
    return " · ".join(dict.fromkeys(labels))


# The country whose words a page uses for years on the shared scale, by interface language, and back.
COUNTRY_OF_LANGUAGE = {language: country for country, language in COUNTRY_LANGUAGES.items()}


def parse_band(text: str) -> tuple[int, int]:
    """A band of school years on the shared scale as an address writes it: "7-9" (7 to 9) or "8" (8 alone).

    Raises ValueError for anything else: letters, years off the scale, a band that ends before it starts.
    """
    first_text, dash, last_text = text.strip().partition("-")
    if not (first_text.isdigit() and (last_text.isdigit() or not dash)):
        raise ValueError(text)
    first, last = int(first_text), int(last_text or first_text)
    if not (FIRST <= first <= last <= LAST):
        raise ValueError(text)
    return first, last


def band_label(first: int, last: int, *, country: str | None, language: str | None) -> str:
    """A band in the chosen country's words, or the interface language's country's, or (in English) all
    three countries' words, as year_choices names single years."""
    country = country or COUNTRY_OF_LANGUAGE.get((language or "")[:2])
    if country:
        return range_label(country, first, last)
    if first == last:
        return scale_label(first)
    return f"{scale_label(first)} – {scale_label(last)}"


def year_choices(*, country: str | None, language: str | None) -> list[tuple[int, str]]:
    """The shared scale as a teacher picks from it: in the chosen country's words, or the interface
    language's country, or (in English) all three countries' words side by side."""
    country = country or COUNTRY_OF_LANGUAGE.get((language or "")[:2])
    if country:
        return [(year, year_label(country, year)) for year in YEARS[Country(country)]]
    return [(year, scale_label(year)) for year in SCALE]
