"""The visitor's address: X-Forwarded-For counts only from trusted proxies, read from the right."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory

from teams.network import client_address


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8::/32")]


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("198.51.100.7", "203.0.113.5") == "198.51.100.7"


def test_a_header_from_an_untrusted_address_is_ignored(proxies):
    assert address("198.51.100.7", "203.0.113.5, 10.0.0.2") == "198.51.100.7"


def test_behind_a_trusted_proxy_the_address_it_appended_counts(proxies):
    # The visitor forged the first two; the proxy at 10.0.0.2 appended what it saw.
    assert address("10.0.0.2", "1.2.3.4, 5.6.7.8, 203.0.113.5") == "203.0.113.5"


def test_several_trusted_proxies_are_skipped_from_the_right(proxies):
    assert address("10.0.0.3", "1.2.3.4, 203.0.113.5, 10.1.1.1, 2001:db8::9") == "203.0.113.5"


def test_when_every_hop_is_trusted_the_left_most_is_the_visitor(proxies):
    assert address("10.0.0.3", "10.9.9.9, 10.1.1.1") == "10.9.9.9"


def test_a_hop_that_is_no_address_stops_at_the_proxy_that_wrote_it(proxies):
    assert address("10.0.0.3", "203.0.113.5, not-an-address, 10.1.1.1") == "10.1.1.1"


def test_a_trusted_proxy_without_the_header_is_the_address(proxies):
    assert address("10.0.0.3") == "10.0.0.3"
