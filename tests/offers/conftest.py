"""Fixtures for the school-offer tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The booking form's rate limit counts posts per address in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()
