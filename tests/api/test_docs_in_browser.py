"""The API reference page in a real Chromium, under the real Content Security
Policy: Swagger UI starts from the service's own files, with no blocked
script or style and no request to any other site."""

import shutil
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_api_reference_renders_offline_without_breaking_the_content_security_policy(live_server):
    from playwright.sync_api import sync_playwright

    host = urlsplit(live_server.url).netloc
    problems, broken, elsewhere = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            # A missing resource is reported below by address; every other console
            # error (a CSP refusal among them) is a problem of the page.
            page.on(
                "console",
                lambda m: (
                    problems.append(m.text)
                    if m.type == "error" and not m.text.startswith("Failed to load resource")
                    else None
                ),
            )
            page.on(
                "response",
                lambda r: broken.append(r.url) if r.status >= 400 and urlsplit(r.url).path != "/favicon.ico" else None,
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda r: None if urlsplit(r.url).netloc == host else elsewhere.append(r.url))
            page.goto(f"{live_server.url}/api/docs/")
            page.wait_for_selector(".opblock-summary-path", timeout=20000)
            paths = set(page.locator(".opblock-summary-path").all_inner_texts())
        finally:
            browser.close()
    assert {"/api/v1/persons/", "/api/v1/persons/{reference}/"} <= paths
    assert not problems, problems
    assert not broken, broken
    assert not elsewhere, f"the page reached outside the service: {elsewhere}"
