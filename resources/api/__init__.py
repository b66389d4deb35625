"""Delarum's read-only JSON API under /api/v1/ (django-ninja; README, "API").

``endpoints`` declares the operations and their typed answers (``schemas``), from which the OpenAPI document is
generated; ``http`` is what every answer shares (rate limit, CORS, languages, caching, ETag and Last-Modified),
``problems`` the errors (RFC 9457) and ``cursors`` the keyset pagination.
"""
