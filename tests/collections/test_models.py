"""Collections' invariants in the database, and what the follows engineer reads (new_items_since)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from resources.models import Collection, CollectionItem, CollectionVisibility, Status, new_items_since
from tests.factories import ResourceFactory, SchoolOfferFactory

pytestmark = pytest.mark.django_db


def test_a_collection_has_one_owner_and_each_item_one_thing(patron, team_a):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Collection.objects.create(title="Båda", slug="bada", owner=patron, team=team_a)
    collection = Collection.objects.create(title="Fotosyntes", slug="fotosyntes", owner=patron)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CollectionItem.objects.create(collection=collection, resource=ResourceFactory(), offer=SchoolOfferFactory())
    resource = ResourceFactory()
    CollectionItem.objects.create(collection=collection, resource=resource)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CollectionItem.objects.create(collection=collection, resource=resource)


def test_secret_tokens_differ_and_only_approved_public_collections_are_listed(patron):
    made = [
        Collection.objects.create(title=f"Lista {n}", slug=f"lista-{n}", owner=patron, visibility=visibility,
                                  status=status)
        for n, (visibility, status) in enumerate([
            (CollectionVisibility.PUBLIC, Status.PUBLISHED), (CollectionVisibility.PUBLIC, Status.IN_REVIEW),
            (CollectionVisibility.PUBLIC, Status.DRAFT), (CollectionVisibility.SECRET, Status.PUBLISHED),
            (CollectionVisibility.PRIVATE, Status.PUBLISHED),
        ])
    ]  # fmt: skip
    assert len({collection.token for collection in made}) == len(made)
    assert min(len(collection.token) for collection in made) >= 40
    assert list(Collection.objects.listed()) == [made[0]]


def test_deleting_a_user_deletes_their_collections(patron):
    collection = Collection.objects.create(title="Mina", slug="mina", owner=patron)
    CollectionItem.objects.create(collection=collection, resource=ResourceFactory())
    patron.delete()
    assert not Collection.objects.exists()
    assert not CollectionItem.objects.exists()


def test_new_items_since_gives_the_published_items_added_later(patron):
    collection = Collection.objects.create(title="Nytt", slug="nytt", owner=patron)
    old = CollectionItem.objects.create(collection=collection, resource=ResourceFactory())
    CollectionItem.objects.filter(pk=old.pk).update(added_at=timezone.now() - timedelta(days=3))
    new = CollectionItem.objects.create(collection=collection, offer=SchoolOfferFactory())
    CollectionItem.objects.create(collection=collection, resource=ResourceFactory(status=Status.ARCHIVED))
    assert list(new_items_since(collection, timezone.now() - timedelta(days=1))) == [new]


def test_a_public_collection_goes_through_the_resources_review(curator_a, lead_a, team_a, curator_b):
    from django.core.exceptions import PermissionDenied

    from resources import services

    collection = Collection.objects.create(
        title="Källkritik åk 8", slug="kallkritik-ak-8", team=team_a, visibility=CollectionVisibility.PUBLIC
    )
    services.resource_submit_for_review(resource=collection, user=curator_a)
    assert not Collection.objects.listed().exists()
    with pytest.raises(PermissionDenied):
        services.resource_publish(resource=collection, user=curator_b)
    services.resource_publish(resource=collection, user=lead_a)
    assert list(Collection.objects.listed()) == [collection]
    assert collection.published_at is not None
