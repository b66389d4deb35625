"""The API's docs page in real Chromium, under the site's Content-Security-Policy: Swagger UI loads from the
project's own static files, lists every operation, and nothing is fetched from another origin."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.browser.conftest import DESKTOP


def test_docs_render_under_the_csp_without_other_origins(live_server, browser):
    context = browser.new_context(viewport=DESKTOP)  # the page's own CSP applies
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    origins: set[str] = set()
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == 9
    page.locator(".opblock-summary").first.click()  # opening an operation draws its parameters
    page.locator(".parameters").first.wait_for()
    context.close()
    assert origins == {urlsplit(live_server.url).netloc}
    assert problems == []
