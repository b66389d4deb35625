from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resources.models import Resource, Status
from tests.factories import KnowledgeAreaFactory, LearningTeamFactory, LibraryFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_generate_bulk_creates_searchable_published_resources_with_consistent_teams():
    libraries = LibraryFactory.create_batch(2)
    LearningTeamFactory(libraries=libraries[:1])
    KnowledgeAreaFactory.create_batch(3)
    out = StringIO()

    call_command("generate_bulk", resources=250, stdout=out)

    assert Resource.objects.filter(status=Status.PUBLISHED).count() == 250
    assert not Resource.objects.filter(search_vector=None).exists()
    assert all(r.areas.exists() and r.tags.exists() for r in Resource.objects.all()[:20])
    for resource in Resource.objects.exclude(team=None).select_related("team"):
        assert resource.team.libraries.filter(pk=resource.library_id).exists()
    assert "Created 250 resources" in out.getvalue()


def test_generate_bulk_needs_libraries_and_areas():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("generate_bulk", resources=10, stdout=StringIO())


def test_generate_bulk_replace_removes_what_earlier_runs_generated_and_keeps_the_rest():
    LibraryFactory.create_batch(2)
    area = KnowledgeAreaFactory(slug="genealogy")
    KnowledgeAreaFactory.create_batch(2)
    kept = ResourceFactory()
    call_command("generate_bulk", resources=30, stdout=StringIO())
    out = StringIO()

    call_command("generate_bulk", resources=20, replace=True, seed=2, stdout=out)

    assert "Removed 30 generated resources" in out.getvalue()
    assert Resource.objects.filter(creator="Delarum benchmark").count() == 20
    assert Resource.objects.filter(pk=kept.pk).exists()
    generated = Resource.objects.filter(creator="Delarum benchmark")
    assert all(resource.area_ids and resource.tag_ids for resource in generated)
    # Subjects go with their knowledge area, as curators would file them.
    genealogy = generated.filter(title__iregex="släktforskning|slægtsforskning|slektsforskning|genealogy")
    assert all(area.pk in resource.area_ids for resource in genealogy)
