"""axe-core (axe-playwright-python) in real Chromium finds nothing, of any impact, on any public page: every page
of the URL conf a visitor reaches without signing in, with content like the demo's, on a phone and a desktop."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.test_phone import NOT_PAGES, address, pages, portal  # noqa: F401 (portal: the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

# Pages behind the staff sign-in; tests/browser/test_phone.py holds them to a phone's width.
SIGNED_IN = {"password_change", "password_change_done", "accounts:account", "accounts:delete"}
# The lists again with words typed: highlighted snippets, facet counts and the "did you mean" line.
SEARCHES = {
    "resources:list": ["?q=källkritik", "?q=kallkritk"],
    "offers:list": ["?q=källkritik", "?country="],
}


def public_pages(content: dict[str, Any]) -> list[str]:
    every = pages(content)
    names = [name for name in every if not name.startswith("staff:") and name not in SIGNED_IN]
    addresses = [address(name, **every[name]) for name in names]
    return addresses + [address(name) + query for name, queries in SEARCHES.items() for query in queries]


def findings(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} – "
        + "; ".join(node["target"][0] for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


def test_every_public_page_has_no_axe_findings(live_server, page: Page, portal):  # noqa: F811
    found = {}
    for path in public_pages(portal):
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status < 400, path
        if problems := findings(page):
            found[path] = problems
    assert found == {}, "\n".join(f"{path}: {problem}" for path, problems in found.items() for problem in problems)
