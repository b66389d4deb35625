"""The link checker gives resources without an image the og:image of their page, fetched from a local server."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from resources.models import Resource
from resources.models.catalogue import IMAGE_WIDTH
from tests.factories import ResourceFactory
from tests.images import give_picture, opened, picture
from tests.resources.test_uploads import SVG


def page(image: str, alt: str = "") -> bytes:
    alt_tag = f'<meta property="og:image:alt" content="{alt}">' if alt else ""
    return (
        f'<!doctype html><html><head><title>En sida</title><meta property="og:image" content="{image}">{alt_tag}'
        "</head><body><p>Innehåll</p></body></html>"
    ).encode()


class PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), PageHandler)
        self.hits: Counter[tuple[str, str]] = Counter()
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.routes: dict[str, tuple[str, bytes]] = {
            "/page": ("text/html; charset=utf-8", page("/pictures/cover.png", alt="Omslag: en karta över Skåne")),
            "/uploaded": ("text/html", page("/pictures/cover.png")),
            "/no-image": ("text/html", b"<!doctype html><title>Ingen bild</title><p>Text</p>"),
            "/huge": ("text/html", page("/pictures/huge.png")),
            "/private": ("text/html", page("http://10.20.30.40/cover.png")),
            "/metadata": ("text/html", page("http://169.254.169.254/latest/meta-data/")),
            "/svg": ("text/html", page("/pictures/evil.png")),
            "/slow-picture": ("text/html", page("/pictures/slow.png")),
            # 0.0.0.0 reaches this very server on Linux, but it is no public address: a guard must stop it.
            "/unspecified": ("text/html", page(f"http://0.0.0.0:{self.server_address[1]}/pictures/cover.png")),
            "/pictures/cover.png": ("image/png", picture(1200, 630)),
            "/pictures/huge.png": ("image/png", picture(1200, 630) + b"\0" * (1024 * 1024)),
            "/pictures/evil.png": ("image/png", SVG),
        }

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class PageHandler(BaseHTTPRequestHandler):
    server: PageServer

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def answer(self, *, body: bool) -> None:
        with self.server.lock:
            self.server.hits[(self.command, self.path)] += 1
        if self.path == "/pictures/slow.png":
            self.server.release.wait(5)  # longer than the checker waits
        content_type, content = self.server.routes.get(self.path, ("text/plain", b"gone"))
        try:
            self.send_response(200 if self.path in self.server.routes else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if body:
                self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def server():
    server = PageServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.LINK_CHECK_ALLOW_LOOPBACK = True
    settings.LINK_CHECK_TIMEOUT = 0.5
    settings.LINK_CHECK_HOST_DELAY = 0
    settings.LINK_CHECK_BACKOFF = 0.01
    settings.LINK_CHECK_RETRIES = 0
    settings.UPLOAD_MAX_MB = 1


@pytest.mark.django_db
def test_check_links_stores_the_pages_og_image_as_a_webp(server, loopback_allowed):
    found = ResourceFactory(url=f"{server.base}/page")
    shares_the_page = ResourceFactory(url=f"{server.base}/page")
    out = StringIO()

    call_command("check_links", stdout=out)

    for resource in Resource.objects.filter(pk__in=[found.pk, shares_the_page.pk]):
        image = opened(resource.image.read())
        assert (image.format, image.size) == ("WEBP", (IMAGE_WIDTH, 336))
        assert (resource.image_width, resource.image_height) == (IMAGE_WIDTH, 336)
        assert resource.image_alt == "Omslag: en karta över Skåne"
        assert resource.version == 1  # the checker's state, not an edit
    assert server.hits[("GET", "/pictures/cover.png")] == 1  # one address, fetched once
    assert "2 images taken from the pages" in out.getvalue()


@pytest.mark.django_db
def test_an_uploaded_image_is_never_replaced(server, loopback_allowed):
    uploaded = ResourceFactory(url=f"{server.base}/uploaded")
    give_picture(uploaded, alt="Bibliotekets egen bild")
    stored = uploaded.image.name

    call_command("check_links", stdout=StringIO())

    uploaded.refresh_from_db()
    assert (uploaded.image.name, uploaded.image_alt) == (stored, "Bibliotekets egen bild")
    assert server.hits[("GET", "/uploaded")] == 0  # HEAD told the link works; the page was not read
    assert server.hits[("GET", "/pictures/cover.png")] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/no-image",  # names none
        "/huge",  # larger than UPLOAD_MAX_MB
        "/private",  # on a private network: never contacted
        "/metadata",  # the cloud's metadata address: never contacted
        "/unspecified",  # 0.0.0.0, which would reach the server: never contacted
        "/svg",  # markup calling itself a PNG
        "/slow-picture",  # does not answer within the checker's timeout
        "/gone",  # the link does not work
    ],
)
def test_no_image_is_stored_from_a_page_that_gives_none_we_may_take(server, loopback_allowed, path):
    resource = ResourceFactory(url=f"{server.base}{path}")

    call_command("check_links", stdout=StringIO())

    resource.refresh_from_db()
    assert not resource.image
    assert (resource.image_width, resource.image_height) == (None, None)
    assert Resource.objects.exclude(image="").count() == 0
    assert server.hits[("GET", "/pictures/cover.png")] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_the_check_reads_resources_with_images_in_a_flat_number_of_queries(
    server, loopback_allowed, django_assert_num_queries, count
):
    for _ in range(count):
        give_picture(ResourceFactory(url=f"{server.base}/uploaded"))
    # 1 the published resources with their address and image, 2 their link health in one bulk update
    with django_assert_num_queries(2):
        call_command("check_links", stdout=StringIO())
