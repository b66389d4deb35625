"""The shared school-year scale (0–12) and how each country names its years.

One integer scale serves Sweden, Denmark and Norway, aligned by the pupils' age at the start of the school year,
so a teacher's "year 7" finds the offers for the same pupils in all three countries:

- 0 is the six-year-olds: förskoleklass (SE), 0. klasse (DK), 1. trinn (NO);
- 1–9 are åk 1–9 (SE), 1.–9. klasse (DK) and 2.–10. trinn (NO);
- 10–12 are upper secondary: gymnasiet år 1–3 (SE), 1.–3.g (DK, where 10. klasse is also at 10), vg1–vg3 (NO).

Labels are the country's own words ("åk 7–9", "7.–9. klasse", "8.–10. trinn") whatever the interface
language, because that is what teachers in that country call their classes.
"""

from __future__ import annotations

from teams.models import COUNTRY_LANGUAGES, Country

FIRST, LAST = 0, 12
SCALE = range(FIRST, LAST + 1)
# The years each country's schools have: all of the scale, since it is aligned by age.
YEARS = dict.fromkeys(Country, SCALE)
# The first year of lower (ISCED 2) and upper (ISCED 3) secondary school on the shared scale, per country.
LOWER_SECONDARY = dict.fromkeys(Country, 7)
UPPER_SECONDARY = dict.fromkeys(Country, 10)


def isced_level(country: str, year: int) -> int:
    """The ISCED 2011 level of a country's school year: 0 pre-primary, 1 primary, 2 lower, 3 upper secondary."""
    country = Country(country)
    if year >= UPPER_SECONDARY[country]:
        return 3
    if year >= LOWER_SECONDARY[country]:
        return 2
    # Förskoleklass and 0. klasse are pre-primary; Norway's first year of school (1. trinn) is primary.
    return 0 if year == 0 and country != Country.NORWAY else 1


def _one(country: str, year: int) -> str:
    """One year in the country's words, as it reads alone."""
    if country == Country.SWEDEN:
        if year == 0:
            return "förskoleklass"
        return f"åk {year}" if year < 10 else f"gymnasiet år {year - 9}"
    if country == Country.DENMARK:
        if year == 10:
            return "10. klasse / 1.g"
        return f"{year}. klasse" if year < 10 else f"{year - 9}.g"
    return f"{year + 1}. trinn" if year < 10 else f"vg{year - 9}"


def year_label(country: str, year: int) -> str:
    """'åk 7', '7. klasse', '8. trinn'."""
    return _one(country, year)


def range_label(country: str, first: int, last: int) -> str:
    """A range of years in the country's words: 'åk 7–9', '7.–9. klasse', '8.–10. trinn', 'vg1–vg3'."""
    if first == last:
        return _one(country, first)
    if country == Country.DENMARK:
        # 10 is both 10. klasse and 1.g: it reads as the one its neighbour in the range belongs to.
        if last <= 10:
            return f"{first}.–{last}. klasse"
        if first >= 10:
            return f"{first - 9}.–{last - 9}.g"
        return f"{first}. klasse – {last - 9}.g"
    if first < UPPER_SECONDARY[Country(country)] <= last:
        return f"{_one(country, first)} – {_one(country, last)}"
    if country == Country.SWEDEN:
        if first == 0:
            return f"förskoleklass – åk {last}"
        return f"åk {first}–{last}" if last < 10 else f"gymnasiet år {first - 9}–{last - 9}"
    if last >= 10:
        return f"vg{first - 9}–vg{last - 9}"
    return f"{first + 1}.–{last + 1}. trinn"


def scale_label(year: int) -> str:
    """A year on the shared scale in all three countries' words, for pages that serve all three."""
    return " · ".join(_one(country, year) for country in Country.values)


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
