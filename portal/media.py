"""Uploaded files, served by Django in production too (README, "Deploying": how a proxy may take over).

A file is served only when it is a published resource's, or a staff member may see its resource. What it is
comes from its content (``teams.uploads``), never from its name. Images, PDF, audio and video open in the
browser; everything else, and anything not on the upload allow-list, is a download. Every answer says
``X-Content-Type-Options: nosniff`` and, except for PDF (whose viewer a sandbox blocks), a sandboxing
Content-Security-Policy, so no uploaded file can run script on the site's origin.
"""

from __future__ import annotations

import posixpath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from resources.models import Resource
from teams.access import visible_to
from teams.uploads import PDF, served_as

SANDBOX = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"


def _stored_name(path: str) -> str:
    """The storage name for a path under /media/; 404 for anything that would leave the media folder."""
    name = posixpath.normpath(path)
    if name != path or name.startswith(("/", "..")) or "\\" in name or "\0" in name:
        raise Http404
    return name


@require_safe
def media(request: HttpRequest, path: str) -> FileResponse:
    name = _stored_name(path)
    owners = Resource.objects.filter(file=name)
    public = owners.published().exists()
    if not (public or visible_to(owners, request.user).exists()):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404 from None
    kind = served_as(handle)
    response = FileResponse(
        handle,
        content_type=kind.content_type if kind else "application/octet-stream",
        as_attachment=not (kind and kind.inline),
        filename=posixpath.basename(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    if kind is not PDF:
        response["Content-Security-Policy"] = SANDBOX
    # A draft's file must not stay in a shared cache; a published one may, for an hour.
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
