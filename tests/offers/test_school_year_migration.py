"""Migration resources.0020 moves every stored school year to the scale by age, keeping each one's label."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from resources.models import BookingRequest, SchoolOffer
from tests.factories import BookingRequestFactory, LibraryFactory, SchoolOfferFactory

MIGRATION = ("resources", "0020_school_years_by_age")

# (country, old first, old last, old requested year) → (new first, new last, new requested year), and the labels
# the old scale gave them, which the new scale must give too.
CASES = [
    ("SE", (0, 3, 2), (0, 3, 2), "förskoleklass – åk 3", "åk 2"),
    ("SE", (7, 12, 10), (7, 12, 10), "åk 7 – gymnasiet år 3", "gymnasiet år 1"),
    ("DK", (0, 9, 9), (0, 9, 9), "0.–9. klasse", "9. klasse"),
    ("DK", (8, 10, 10), (8, 10, 10), "8.–10. klasse", "10. klasse / 1.g"),
    ("DK", (11, 13, 12), (10, 12, 11), "1.–3.g", "2.g"),
    ("DK", (9, 13, 13), (9, 12, 12), "9. klasse – 3.g", "3.g"),
    ("NO", (1, 4, 1), (0, 3, 0), "1.–4. trinn", "1. trinn"),
    ("NO", (8, 10, 10), (7, 9, 9), "8.–10. trinn", "10. trinn"),
    ("NO", (10, 11, 11), (9, 10, 10), "10. trinn – vg1", "vg1"),
    ("NO", (11, 13, 13), (10, 12, 12), "vg1–vg3", "vg3"),
]


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _before() -> list[tuple[str, str]]:
    graph = MigrationExecutor(connection).loader.graph
    return [parent.key for parent in graph.node_map[MIGRATION].parents if parent.key[0] == "resources"]


def _leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _store_old_years(offer: SchoolOffer, booking: BookingRequest, first: int, last: int, year: int) -> None:
    with connection.cursor() as cursor:
        for table in ["resources_schooloffer", "resources_historicalschooloffer"]:
            cursor.execute(f"UPDATE {table} SET year_from = %s, year_to = %s WHERE id = %s", [first, last, offer.pk])
        cursor.execute("UPDATE resources_bookingrequest SET school_year = %s WHERE id = %s", [year, booking.pk])


@pytest.fixture
def stored():
    """Each case's offer and request as the old scale stored them."""
    rows = []
    for number, (country, old, new, range_text, year_text) in enumerate(CASES):
        library = LibraryFactory(country=country, slug=f"migrated-{number}")
        offer = SchoolOfferFactory(library=library, year_from=new[0], year_to=new[1])
        booking = BookingRequestFactory(offer=offer, school_year=new[2])
        rows.append((offer, booking, old, new, range_text, year_text))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses to run with checks pending
    _migrate(_before())
    for offer, booking, old, *_ in rows:
        _store_old_years(offer, booking, *old)
    return rows


@pytest.mark.django_db
def test_every_stored_year_keeps_its_label_on_the_scale_by_age(stored):
    _migrate(_leaves())
    for offer, booking, _old, new, range_text, year_text in stored:
        offer.refresh_from_db()
        booking.refresh_from_db()
        history = offer.history.first()
        assert (offer.year_from, offer.year_to, booking.school_year) == new
        assert (history.year_from, history.year_to) == new[:2]
        assert (offer.years_label, booking.school_year_label) == (range_text, year_text)


@pytest.mark.django_db
def test_the_migration_goes_back_to_the_old_years(stored):
    _migrate(_leaves())
    _migrate(_before())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT offer.year_from, offer.year_to, booking.school_year FROM resources_schooloffer offer"
            " JOIN resources_bookingrequest booking ON booking.offer_id = offer.id WHERE offer.id = ANY(%s)",
            [[offer.pk for offer, *_ in stored]],
        )
        back = sorted(cursor.fetchall())
    # Denmark's 10 goes back as 10. klasse: a request for 1.g stored as 10 would return as 10. klasse; every
    # case here returns exactly.
    assert back == sorted(old for _offer, _booking, old, *_ in stored)
    _migrate(_leaves())
