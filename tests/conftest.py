"""Shared fixtures. The database is the embedded PostgreSQL server (or DATABASE_URL's), never SQLite."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _swedish_by_default():
    # Code outside a request (models' __str__, admin labels) runs in the default language.
    with translation.override("sv"):
        yield
