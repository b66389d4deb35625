"""A saved search's feed: the search page's address with feed/atom/ after resources/, read over HTTP from the live
test server by feedparser; the search page names it in its head."""

from __future__ import annotations

from datetime import timedelta
from urllib.request import urlopen

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from resources.models import Status
from tests.factories import ResourceFactory
from tests.outputs.test_feeds import FORMATS, feed_url, page_feeds, read


@pytest.fixture
def klimat(catalogue):
    now = timezone.now()
    found = [
        ResourceFactory(title="Klimatet och vi", language="sv", tags=["klimat"], published_at=now),
        ResourceFactory(title="Klimat för barn", language="sv", tags=["klimat"], published_at=now - timedelta(hours=1)),
    ]
    ResourceFactory(title="Klimat på danska", language="da", tags=["klimat"], published_at=now)
    ResourceFactory(title="Klimat i utkast", language="sv", tags=["klimat"], status=Status.DRAFT, published_at=now)
    return found


@pytest.mark.parametrize("format", FORMATS)
def test_a_search_feed_holds_what_the_search_finds_newest_first_and_no_drafts(live_server, klimat, format):
    feed = read(feed_url(live_server, "resources:feed", format, query="?q=klimat&language=sv&sort=title"))
    titles = [entry.title for entry in feed.entries]
    assert titles == [resource.title for resource in klimat]  # newest first, whatever the page's sort
    assert "Klimat i utkast" not in titles
    assert "Klimat på danska" not in titles
    with translation.override("sv"):
        assert feed.feed.title == _("New resources for “%(query)s” – Delarum") % {"query": "klimat"}
    assert feed.feed.link == f"{live_server.url}/sv/resources/?q=klimat&language=sv"


def test_the_search_page_names_its_own_feed(live_server, klimat):
    url = live_server.url + reverse("resources:list") + "?q=klimat&language=sv&page=1"
    atom = [feed["href"] for feed in page_feeds(url) if feed["type"] == "application/atom+xml"]
    assert atom == [live_server.url + reverse("resources:feed-atom") + "?q=klimat&language=sv"]
    assert {entry.title for entry in read(atom[0]).entries} == {resource.title for resource in klimat}


def test_a_search_feed_with_a_wrong_filter_says_what_is_wrong(live_server, catalogue):
    parsed = feedparser.parse(feed_url(live_server, "resources:feed", "atom", query="?language=xx"))
    assert parsed.get("status") == 400
    with urlopen(feed_url(live_server, "resources:feed", "atom", language="en")) as response:
        assert response.status == 200  # the whole catalogue's feed is unchanged
