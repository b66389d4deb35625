"""Per-address limits on public forms (booking requests, problem reports), counted in the shared cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from teams.network import client_address


def over_limit(request: HttpRequest, *, scope: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count this post against its address; true once the address has posted more than ``limit`` times.

    The address is the visitor's as ``teams.network.client_address`` reads it (X-Forwarded-For counts only
    from ``TRUSTED_PROXIES``). It is hashed with the secret key, so the cache never holds visitors' IP
    addresses. The count lives in the cache: with several web instances, ``CACHE_URL`` must point them all at
    one Redis, or each counts alone. A limit of 0 means no limit.
    """
    if not limit:
        return False
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit
