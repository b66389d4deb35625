"""Resource images and library logos: uploaded in the admin, stored as WebP of a set width, served like files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from lxml import html

from resources.models import Resource, Status
from resources.models.catalogue import IMAGE_WIDTH
from teams.models import Library
from teams.models.organisations import LOGO_WIDTH
from tests.factories import ResourceFactory
from tests.images import give_picture, opened, picture
from tests.resources.test_uploads import HTML, PDF, SVG

pytestmark = pytest.mark.django_db


def swedish(text: str, **params) -> str:
    with translation.override("sv"):
        return translation.gettext(text) % params if params else translation.gettext(text)


NOT_A_PICTURE = "This is not a picture we can show. Use a PNG, JPEG, GIF or WebP image."
MARKUP = "Web pages, SVG images and other files a browser would run cannot be uploaded, whatever their name."


@pytest.fixture
def add_resource(client, curator_a, library_a, team_a):
    client.force_login(curator_a)

    def add(name: str, content: bytes, alt: str = ""):
        data = {
            "title": "Källkritik i praktiken",
            "slug": "kallkritik-i-praktiken",
            "summary": "Övningar i källkritik.",
            "url": "https://www.kb.se/kallkritik",
            "kind": "guide",
            "language": "sv",
            "audiences": ["adults"],
            "license": "CC-BY-4.0",
            "library": library_a.pk,
            "team": team_a.pk,
            "status": Status.DRAFT,
            "image": SimpleUploadedFile(name, content),
            "image_alt": alt,
        }
        return client.post(reverse("admin:resources_resource_add"), data)

    return add


def image_errors(response) -> list[str]:
    return response.context["adminform"].form.errors.get("image", [])


@pytest.mark.parametrize(
    ("name", "content", "height"),
    [
        ("bild.png", picture(1200, 800), 427),
        ("foto.jpg", picture(1000, 1000, "JPEG"), 640),
        ("liten.gif", picture(320, 100, "GIF"), 200),
        ("bred.webp", picture(2000, 500, "WEBP"), 160),
    ],
)
def test_an_uploaded_image_is_stored_as_a_webp_of_the_set_width(add_resource, name, content, height):
    response = add_resource(name, content, alt="Två elever läser en tidning")
    assert response.status_code == 302, image_errors(response)
    resource = Resource.objects.get()
    image = opened(resource.image.read())
    assert (image.format, image.size) == ("WEBP", (IMAGE_WIDTH, height))
    assert (resource.image_width, resource.image_height) == (IMAGE_WIDTH, height)
    assert resource.image.name.endswith(".webp")
    assert resource.image_alt == "Två elever läser en tidning"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("logo.png", SVG, MARKUP),
        ("sida.png", HTML, MARKUP),
        ("ovning.pdf", PDF, NOT_A_PICTURE),  # an allowed upload, but no picture
        ("trasig.png", picture()[:200], NOT_A_PICTURE),  # a PNG's start, cut off
    ],
)
def test_a_hostile_image_is_refused_next_to_the_field(add_resource, name, content, error):
    response = add_resource(name, content)
    assert response.status_code == 200
    assert image_errors(response) == [swedish(error)]
    beside_the_field = html.fromstring(response.content.decode()).xpath(
        "string(//div[contains(@class, 'field-image')])"
    )
    assert swedish(error) in beside_the_field
    assert not Resource.objects.exists()


def test_an_image_over_the_size_limit_is_refused_before_it_is_read(add_resource, settings):
    settings.UPLOAD_MAX_MB = 1
    content = picture(1200, 800) + b"\0" * (1024 * 1024)
    response = add_resource("stor.png", content)
    with translation.override("sv"):
        size, limit = filesizeformat(len(content)), filesizeformat(1024 * 1024)
    assert image_errors(response) == [
        swedish("The file is %(size)s; uploads may be at most %(limit)s.", size=size, limit=limit)
    ]


def test_a_strip_taller_than_three_widths_is_refused(add_resource):
    response = add_resource("remsa.png", picture(100, 400))
    assert image_errors(response) == [
        swedish(
            "The picture is %(width)s × %(height)s pixels; pictures may have at most 40 million pixels and be at "
            "most three times as tall as they are wide.",
            width=100,
            height=400,
        )
    ]


def test_a_library_logo_is_stored_as_a_webp_of_the_logo_width(client, coordinator, library_a):
    client.force_login(coordinator)
    form = {
        field: getattr(library_a, field) or ""
        for field in ["name", "slug", "country", "region", "municipality", "street_address", "postal_code", "city",
                      "email", "phone", "website"]
    }  # fmt: skip
    form["logo"] = SimpleUploadedFile("logo.png", picture(800, 400))
    response = client.post(reverse("admin:teams_library_change", args=[library_a.pk]), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    library = Library.objects.get(pk=library_a.pk)
    assert opened(library.logo.read()).size == (LOGO_WIDTH, 160)
    assert (library.logo_width, library.logo_height) == (LOGO_WIDTH, 160)


def media(client, name: str):
    return client.get(f"/media/{name}")


def test_a_published_resources_image_and_a_logo_are_served_to_anyone(client, library_a):
    resource = ResourceFactory(library=library_a)
    give_picture(resource)
    give_picture(library_a, "logo")
    for name in [resource.image.name, library_a.logo.name]:
        response = media(client, name)
        assert (response.status_code, response["Content-Type"]) == (200, "image/webp")
        assert response["Content-Disposition"].startswith("inline")


def test_a_drafts_image_is_not_served_publicly(client, curator_a, library_a):
    draft = ResourceFactory(library=library_a, status=Status.DRAFT, published_at=None)
    give_picture(draft)
    assert media(client, draft.image.name).status_code == 404
    client.force_login(curator_a)
    response = media(client, draft.image.name)
    assert (response.status_code, response["Cache-Control"]) == (200, "private, no-store")


def images_on(response) -> list:
    return html.fromstring(response.content.decode()).xpath("//main//img")


def test_cards_and_the_resource_page_show_the_image_lazily_with_its_size(client, library_a):
    resource = ResourceFactory(library=library_a, title="Bilder som ljuger")
    give_picture(resource, alt="En manipulerad bild av en val")
    undecorated = ResourceFactory(library=library_a)
    give_picture(undecorated)
    for address in [reverse("resources:list"), library_a.get_absolute_url(), resource.get_absolute_url()]:
        images = {img.get("src"): img for img in images_on(client.get(address))}
        img = images[resource.image.url]
        assert (img.get("width"), img.get("height"), img.get("loading")) == ("640", "427", "lazy")
        assert img.get("alt") == "En manipulerad bild av en val"
        if address != resource.get_absolute_url():
            assert images[undecorated.image.url].get("alt") == ""  # decorative: screen readers skip it


@pytest.mark.parametrize("count", [1, 6])
def test_the_resource_list_with_images_takes_the_same_queries(client, library_a, django_assert_num_queries, count):
    for _ in range(count):
        give_picture(ResourceFactory(library=library_a))
    # 1 areas for the form, 2 catalogue version, 3 the planner's guess of the hits, 4 facet counts (and the total),
    # 5 ids of the first pages, 6 this page's resources with their library (and image), 7 their areas
    with django_assert_num_queries(7):
        response = client.get(reverse("resources:list"))
    assert len(images_on(response)) == count


def test_the_logo_is_shown_on_the_library_page_and_its_offers(client, library_a):
    from tests.factories import SchoolOfferFactory

    give_picture(library_a, "logo")
    offer = SchoolOfferFactory(library=library_a)
    for address in [library_a.get_absolute_url(), offer.get_absolute_url()]:
        (img,) = [img for img in images_on(client.get(address)) if img.get("src") == library_a.logo.url]
        assert (img.get("width"), img.get("height"), img.get("loading"), img.get("alt")) == ("320", "213", "lazy", "")
