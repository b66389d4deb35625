from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from resources.languages import text_direction
from resources.models import KnowledgeArea, Resource, Status
from tests.factories import KnowledgeAreaFactory, LibraryFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_status_must_be_a_known_one():
    with pytest.raises(IntegrityError):
        ResourceFactory(status="lost")


def test_kind_must_be_a_known_one():
    with pytest.raises(IntegrityError):
        ResourceFactory(kind="hologram")


def test_resource_needs_a_web_address_or_a_file():
    with pytest.raises(IntegrityError):
        ResourceFactory(url="")


def test_clean_explains_a_missing_web_address():
    resource = Resource(url="", library=LibraryFactory())
    with pytest.raises(ValidationError) as error:
        resource.clean()
    assert "url" in error.value.message_dict


def test_slugs_are_unique():
    ResourceFactory(slug="same")
    with pytest.raises(IntegrityError):
        ResourceFactory(slug="same")


def test_publishing_dates_the_resource_once():
    resource = ResourceFactory(status=Status.DRAFT, published_at=None)
    assert resource.published_at is None

    resource.status = Status.PUBLISHED
    resource.save()
    first = resource.published_at
    resource.save()

    assert first is not None
    assert resource.published_at == first


def test_published_resource_without_date_is_refused_by_the_database():
    resource = ResourceFactory()
    with pytest.raises(IntegrityError):
        Resource.objects.filter(pk=resource.pk).update(published_at=None)


def test_area_cannot_be_its_own_parent():
    area = KnowledgeAreaFactory()
    with pytest.raises(IntegrityError):
        KnowledgeArea.objects.filter(pk=area.pk).update(parent=area)


@pytest.mark.parametrize(
    ("code", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("fa-AF", "rtl"), ("sv", "ltr"), ("uk", "ltr")]
)
def test_text_direction_follows_the_language(code, direction):
    assert text_direction(code) == direction


def test_area_name_follows_the_interface_language():
    from django.utils import translation

    area = KnowledgeAreaFactory(name="Källkritik", name_da="Kildekritik", name_nb="", name_en="Source criticism")
    with translation.override("da"):
        assert str(area) == "Kildekritik"
    with translation.override("nb"):
        assert str(area) == "Källkritik"  # falls back to Swedish
    with translation.override("en"):
        assert str(area) == "Source criticism"


def test_every_model_reads_well_and_has_a_public_address_where_it_is_public():
    resource = ResourceFactory(title="Falska nyheter", slug="falska-nyheter")
    assert str(resource) == "Falska nyheter"
    assert resource.get_absolute_url() == "/sv/resources/falska-nyheter/"
    assert str(resource.library) == resource.library.name
