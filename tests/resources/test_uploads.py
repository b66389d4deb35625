"""Uploads are checked by their content, and served so that none can run on the site's origin."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation

from resources.models import Resource, Status
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def png() -> bytes:
    """A real 1×1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\0\0"))
        + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/admin/')</script></body></html>"
CSV = "titel;språk\nKällkritik för nybörjare;sv\n".encode()


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


def message(text: str, **params: str) -> str:
    with translation.override("sv"):
        return translation.gettext(text) % params if params else translation.gettext(text)


@pytest.fixture
def add_resource(client, curator_a, library_a, team_a):
    client.force_login(curator_a)

    def add(name: str, content: bytes):
        data = {
            "title": "Källkritik i praktiken",
            "slug": "kallkritik-i-praktiken",
            "summary": "Övningar i källkritik.",
            "kind": "guide",
            "language": "sv",
            "audiences": ["adults"],
            "license": "CC-BY-4.0",
            "library": library_a.pk,
            "team": team_a.pk,
            "status": Status.DRAFT,
            "file": SimpleUploadedFile(name, content),
        }
        return client.post(reverse("admin:resources_resource_add"), data)

    return add


def file_errors(response) -> list[str]:
    return response.context["adminform"].form.errors.get("file", [])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ovning.pdf", PDF),
        ("bild.png", png()),
        ("lista.csv", CSV),
        ("handledning.docx", docx()),
        ("handledning.odt", odt()),
        ("bild.JPG", b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 64),
    ],
)
def test_allowed_files_are_stored(add_resource, name, content):
    response = add_resource(name, content)
    assert response.status_code == 302, file_errors(response)
    assert Resource.objects.get().file.read() == content


@pytest.mark.parametrize("name", ["logo.svg", "logo.png", "logo.txt"])
def test_an_svg_with_a_script_is_refused_whatever_its_name(add_resource, name):
    response = add_resource(name, SVG)
    assert response.status_code == 200
    assert file_errors(response) == [
        message("Web pages, SVG images and other files a browser would run cannot be uploaded, whatever their name.")
    ]
    assert not Resource.objects.exists()


@pytest.mark.parametrize("name", ["sida.html", "sida.pdf", "sida.csv"])
def test_a_web_page_is_refused_whatever_its_name(add_resource, name):
    response = add_resource(name, HTML)
    assert response.status_code == 200
    assert file_errors(response)
    assert not Resource.objects.exists()


def test_a_file_named_for_another_kind_is_refused(add_resource):
    response = add_resource("sida.html", png())
    assert file_errors(response) == [
        message(
            "The file's content is %(kind)s, but its name ends in “%(extension)s”; rename it to end in %(expected)s.",
            kind="PNG",
            extension=".html",
            expected=".png",
        )
    ]


def test_a_program_or_unknown_file_is_refused(add_resource):
    response = add_resource("verktyg.pdf", b"MZ\x90\0\x03\0\0\0" + b"\0" * 100)
    (error,) = file_errors(response)
    assert error.startswith(message("This kind of file cannot be uploaded. %(allowed)s", allowed="")[:30])


def test_a_file_over_the_size_limit_is_refused(add_resource, settings):
    settings.UPLOAD_MAX_MB = 1
    response = add_resource("stor.pdf", PDF + b"0" * (1024 * 1024))
    with translation.override("sv"):
        size, limit = filesizeformat(len(PDF) + 1024 * 1024), filesizeformat(1024 * 1024)
    assert file_errors(response) == [
        message("The file is %(size)s; uploads may be at most %(limit)s.", size=size, limit=limit)
    ]
    assert not Resource.objects.exists()
    assert add_resource("liten.pdf", PDF + b"0" * (1000 * 1000)).status_code == 302


# Serving


def stored(name: str, content: bytes, **fields) -> Resource:
    return ResourceFactory(url="", file=SimpleUploadedFile(name, content), **fields)


def fetch(client, resource: Resource):
    response = client.get(f"/media/{resource.file.name}")
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


@pytest.mark.parametrize(
    ("name", "content", "content_type"), [("bild.png", png(), "image/png"), ("a.pdf", PDF, "application/pdf")]
)
def test_images_and_pdf_open_in_the_browser(client, name, content, content_type):
    response, body = fetch(client, stored(name, content))
    assert (response.status_code, response["Content-Type"], body) == (200, content_type, content)
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("name", "content"), [("lista.csv", CSV), ("handledning.docx", docx())])
def test_documents_are_downloads(client, name, content):
    response, body = fetch(client, stored(name, content))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body == content


def test_an_svg_stored_before_the_checks_is_a_download_of_unknown_bytes(client):
    response, _body = fetch(client, stored("gammal.svg", SVG))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_drafts_file_is_only_for_its_librarys_staff(client, curator_a, curator_b, library_a):
    draft = stored("utkast.pdf", PDF, library=library_a, status=Status.DRAFT, published_at=None)
    assert fetch(client, draft)[0].status_code == 404
    client.force_login(curator_b)
    assert fetch(client, draft)[0].status_code == 404
    client.force_login(curator_a)
    response, _body = fetch(client, draft)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("path", ["../secret_key", "resources/../../secret_key", "resources/%2e%2e/x", "/etc/passwd"])
def test_paths_outside_the_media_folder_are_not_found(client, path):
    stored("a.pdf", PDF)
    assert client.get(f"/media/{path}").status_code == 404


def test_a_file_no_resource_holds_is_not_found(client):
    assert client.get("/media/resources/2026/ingen.pdf").status_code == 404
