from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from resources.models import Resource, Status
from tests.factories import KnowledgeAreaFactory, LearningTeamFactory, LibraryFactory

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
