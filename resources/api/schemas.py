"""The API's typed parameters and answers (pydantic, through django-ninja): the OpenAPI document is made from these."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import JsonValue

from resources import accessibility
from resources.forms import Sort
from resources.languages import CONTENT_LANGUAGES
from resources.licenses import LICENSES
from resources.models import AccessMode, Audience, Kind, OfferFormat
from resources.offers.selectors import Sort as OfferSort
from resources.school_years import FIRST, LAST
from resources.search import MAX_QUERY_LENGTH
from teams.models import Country

Lang = Literal["sv", "da", "nb", "en"]
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def _choice(description: str, values: list[str]) -> Any:
    # Checked by the search page's form, which says what is wrong in the reader's language.
    enum: list[JsonValue] = list(values)
    return Field(None, description=description, json_schema_extra={"enum": enum})


# Parameters ------------------------------------------------------------------------------------------------


class LanguageParams(Schema):
    lang: Lang | None = Field(
        None, description="Language of the labels (default: the Accept-Language header's, else Swedish)."
    )


class PageParams(LanguageParams):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")
    cursor: str | None = Field(None, description="The `next_cursor` of the page before (opaque).")


class ResourceParams(PageParams):
    """Exactly the search page's parameters (/sv/resources/), with `limit` and `cursor` for `page`."""

    q: str | None = Field(None, max_length=MAX_QUERY_LENGTH, description="Words to search for, in any language.")
    area: str | None = Field(None, description="A knowledge area's slug; includes its sub-areas.")
    kind: str | None = _choice("The kind of resource.", list(Kind.values))
    language: str | None = _choice("The resource's language (BCP 47).", [code for code, *_ in CONTENT_LANGUAGES])
    audience: str | None = _choice("Who it is for.", list(Audience.values))
    license: str | None = _choice("The licence (SPDX identifier).", list(LICENSES))
    tag: str | None = Field(None, description="A tag's slug.")
    feature: str | None = _choice(
        "An accessibility feature (schema.org's term; `captions` finds closed and open captions).",
        [value for value, _label in accessibility.FEATURE_CHOICES],
    )
    free_of: str | None = _choice(
        "A hazard the resource was checked to be free of.", [value for value, _label in accessibility.FREE_OF_CHOICES]
    )
    mode: str | None = _choice("An access mode (schema.org's term).", list(AccessMode.values))
    sort: str | None = _choice(
        "Order (default: relevance with `q`, else newest).", [Sort.RELEVANCE, Sort.NEWEST, Sort.TITLE]
    )
    cross: str | None = _choice("`off`: do not find the same subject in the neighbouring languages.", ["on", "off"])


class OfferParams(PageParams):
    """Exactly the offer page's parameters (/sv/offers/), with `limit` and `cursor` for `page`."""

    q: str | None = Field(None, max_length=MAX_QUERY_LENGTH, description="Words to search for.")
    year: int | None = Field(
        None, ge=FIRST, le=LAST, description="A school year on the shared scale (see /school-years)."
    )
    subject: str | None = Field(None, description="A subject's slug.")
    area: str | None = Field(None, description="A knowledge area's slug; includes its sub-areas.")
    country: str | None = _choice("The library's country.", list(Country.values))
    region: str | None = Field(None, description="A region's slug (`skane`).")
    municipality: str | None = Field(None, description="A municipality's slug (`malmo`).")
    format: str | None = _choice("Where the class takes place.", list(OfferFormat.values))
    from_: date | None = Field(None, alias="from", description="Offers with a free session on or after this day.")
    to: date | None = Field(None, description="Offers with a free session on or before this day.")
    sort: str | None = _choice(
        "Order (default: relevance with `q`, else the next free session).",
        [OfferSort.RELEVANCE, OfferSort.NEXT_SESSION],
    )


# Answers ---------------------------------------------------------------------------------------------------


class Problem(Schema):
    """An error (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str


class ParameterError(Schema):
    parameter: str
    detail: str


class InvalidParametersProblem(Problem):
    errors: list[ParameterError]


class Concept(Schema):
    """A concept of a published vocabulary: its URI and its English preferred label."""

    id: str
    label: str


class Choice(Schema):
    """One of Delarum's values and its label in the request's language."""

    value: str
    label: str


class Language(Schema):
    code: str = Field(description="BCP 47 tag.")
    label: str
    autonym: str
    direction: Literal["ltr", "rtl"]


class KindOut(Choice):
    hcrt: Concept = Field(description="The Hochschulcampus Ressourcentypen (HCRT) concept.")
    lrmi: str | None = Field(description="LRMI's learningResourceType, where it has one.")


class AudienceOut(Choice):
    role: Concept | None = Field(description="The LRMI educational audience role.")


class LicenseOut(Schema):
    spdx: str
    name: str
    uri: str = Field(description="The licence's canonical address (Creative Commons' own for CC licences).")


class Named(Schema):
    slug: str
    name: str


class LibraryRef(Named):
    country: str


class FacetCount(Choice):
    count: int


class AccessibilityOut(Schema):
    """schema.org's accessibility properties: the vocabulary's terms with their labels."""

    features: list[Choice] = Field(description="accessibilityFeature (`easyToRead` is Delarum's own term).")
    hazards: list[Choice] = Field(description="accessibilityHazard.")
    modes: list[Choice] = Field(description="accessMode.")


class ResourceItem(Schema):
    slug: str
    title: str
    summary: str
    page: str = Field(description="The resource's page on Delarum.")
    language: Language
    kind: KindOut
    audiences: list[AudienceOut]
    accessibility: AccessibilityOut
    license: LicenseOut
    library: LibraryRef
    areas: list[Named]
    published_at: datetime
    updated_at: datetime


class ResourceDetail(ResourceItem):
    description: str
    link: str = Field(description="Where the resource itself is: its web address or its file.")
    creator: str
    team: Named | None
    tags: list[Named]


class ResourcePage(Schema):
    total: int
    estimated: bool = Field(description="`total` and the facet counts are estimates (a broad search).")
    suggestion: str = Field(description="Did you mean: the words corrected, when a correction finds more.")
    facets: dict[str, list[FacetCount]]
    items: list[ResourceItem]
    next_cursor: str | None
    next: str | None = Field(description="The next page's address, or null on the last page.")


class AreaNode(Schema):
    slug: str
    name: str
    names: dict[str, str] = Field(description="The name in each language staff gave it in.")
    description: str
    resource_count: int = Field(description="Published resources filed under this area itself.")
    teams: list[Named]
    children: list[AreaNode]


class TeamItem(Named):
    description: str
    page: str
    libraries: list[LibraryRef]
    areas: list[Named]


class TeamPage(Schema):
    items: list[TeamItem]
    next_cursor: str | None
    next: str | None


class LibraryItem(Named):
    page: str
    country: Choice
    region: str
    municipality: str
    street_address: str
    postal_code: str
    city: str
    email: str
    phone: str
    website: str
    teams: list[Named]


class LibraryPage(Schema):
    items: list[LibraryItem]
    next_cursor: str | None
    next: str | None


class YearsOut(Schema):
    first: int = Field(description="On the shared school-year scale (see /school-years).")
    last: int
    label: str = Field(description="In the words of the library's country: `åk 7–9`, `7.–9. klasse`, `8.–10. trinn`.")
    levels: list[Concept] = Field(description="ISCED 2011 levels (KIM educationalLevel).")


class OfferItem(Schema):
    slug: str
    title: str
    summary: str
    page: str
    language: Language
    years: YearsOut
    subjects: list[Named]
    areas: list[Named]
    format: Choice
    duration_minutes: int
    max_pupils: int
    price: str | None = Field(description="Decimal, in `currency`; null when free.")
    currency: str
    library: LibraryRef
    next_session: datetime | None = Field(description="The next session with a place left.")
    published_at: datetime
    updated_at: datetime


class SessionOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(description="Groups (classes) the session takes.")
    places_left: int
    calendar: str = Field(description="The session as an iCalendar file.")


class OfferDetail(OfferItem):
    description: str
    accessibility: str
    booking: Choice
    season_start: date | None
    season_end: date | None
    contact_name: str
    contact_email: str
    contact_phone: str
    preparation: list[Named] = Field(description="Published resources to use before or after the visit.")
    sessions: list[SessionOut] = Field(description="Upcoming sessions, soonest first.")


class OfferPage(Schema):
    total: int
    suggestion: str
    facets: dict[str, list[FacetCount]]
    items: list[OfferItem]
    next_cursor: str | None
    next: str | None


class SubjectOut(Named):
    names: dict[str, str]


class SchoolYear(Schema):
    year: int
    labels: dict[str, str] = Field(description="The year in each country's words, by country (SE, DK, NO).")
    levels: dict[str, Concept] = Field(description="Its ISCED 2011 level in each country.")
