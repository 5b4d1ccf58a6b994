"""Real-browser tests: Debian's Chromium driven by Playwright against the live
server, with the real Content Security Policy and the built GOV.UK assets.

Every page a test reaches is checked automatically, whether the test got there
with `browsing.visit`, `browsing.click` or a plain Playwright call:

* axe-core finds no accessibility failure on it, of any impact;
* the browser reported no console error (a CSP refusal is one), no script
  error, and no failed request for a stylesheet, script, image or font;
* every stylesheet the page links to loaded and has rules.

A test may also navigate with plain Playwright calls: the next `check()` (or
the end of the test) checks the page then shown, and fails the test if it
passed through another page on the way that was never checked.

Chromium comes from the operating system (`apt-get install chromium`); these
tests never download a browser. Without Chromium they are skipped on a
developer's machine and fail in CI (CI=true), where they must run.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD, current_code

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TIMEOUT_MS = 15000


def _in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium_browser():
    if CHROMIUM is None:
        message = "Chromium is not installed (apt-get install chromium)"
        if _in_ci():
            pytest.fail(f"{message}: browser tests must run in CI", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop in this thread; Django would
    # otherwise refuse the ORM calls the tests make to set up their data.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()


class Browsing:
    """One person's browser tab on the live service, checking every page it reaches."""

    def __init__(self, context, base_url):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(base_url).netloc
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.problems = []
        self.navigations = []
        self.checked = 0
        self.checked_urls = []
        self.refused_pages = set()
        page = self.page
        # Handlers only note what happened: a Playwright call inside a handler
        # would race the test's own calls.
        page.on(
            "framenavigated", lambda frame: self.navigations.append(frame.url) if frame.parent_frame is None else None
        )
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))
        # A request the browser abandoned because the page moved on is not a failure.
        page.on(
            "requestfailed",
            lambda r: (
                self.problems.append(f"request failed: {r.url} ({r.failure})")
                if r.failure != "net::ERR_ABORTED" and not r.url.endswith("/favicon.ico")
                else None
            ),
        )
        page.on("response", self._response)
        page.on(
            "request",
            lambda r: (
                self.problems.append(f"request outside the service: {r.url}")
                if urlsplit(r.url).scheme in {"http", "https"} and urlsplit(r.url).netloc != self.host
                else None
            ),
        )

    def _console(self, message):
        url = (message.location or {}).get("url", "")
        # Chromium reports a page that rightly answered 403 or 404 as a failed load too.
        if message.type == "error" and "favicon.ico" not in url and url not in self.refused_pages:
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _response(self, response):
        # Pages may rightly answer 403 or 404; what they load must not fail.
        if response.request.resource_type == "document":
            if response.status in (403, 404):
                self.refused_pages.add(response.url)
        elif response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} for {response.url}")

    # ------------------------------------------------------------ navigation

    def visit(self, path):
        self.page.goto(self.base_url + path)
        return self.check()

    def click(self, name, role=None):
        """Click the button or link called `name` (text, or a compiled pattern),
        then check the page it leads to."""
        exact = isinstance(name, str)
        if role is None:
            target = self.page.get_by_role("button", name=name, exact=exact).or_(
                self.page.get_by_role("link", name=name, exact=exact)
            )
        else:
            target = self.page.get_by_role(role, name=name, exact=exact)
        target.first.click()
        return self.check()

    def fill(self, label, value):
        self.page.get_by_label(label, exact=True).fill(value)

    def check(self, again=False):
        """Check the page now shown if it has not been checked yet (or `again`,
        for what scripts changed on it, like an open dialog)."""
        if again or len(self.navigations) > self.checked:
            self.page.wait_for_load_state("load")
            # Server redirects are one navigation; several mean the test went
            # through a page with plain Playwright calls and never checked it.
            for url in self.navigations[self.checked : -1]:
                if url != self.page.url:
                    self.problems.append(f"page reached but never checked: {url}")
            self._scan()
            self.checked = len(self.navigations)
        self.assert_no_problems()
        return self.page

    def _scan(self):
        page = self.page
        url = page.url
        self.checked_urls.append(url)
        results = self.axe.run(page)
        # Every finding fails, whatever axe calls its impact: WCAG 2.2 AA is the
        # law for a public-sector service, and a "moderate" finding is still a barrier.
        for violation in results.response["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            self.problems.append(
                f"accessibility ({violation['impact']}) on {url}: {violation['id']}: {violation['help']} at {targets}"
            )
        empty = page.evaluate(
            "() => [...document.styleSheets].filter(s => s.href && s.cssRules.length === 0).map(s => s.href)"
        )
        for href in empty:
            self.problems.append(f"stylesheet has no rules on {url}: {href}")

    def assert_no_problems(self):
        problems, self.problems = self.problems, []
        assert not problems, "\n".join(problems)

    def screenshot(self, name):
        """Saved for the user guide when HOTH_SCREENSHOTS=1."""
        if os.environ.get("HOTH_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def finish(self):
        unchecked = self.navigations[self.checked :]
        if unchecked:
            # The test navigated with a plain Playwright call and stopped: check what it reached.
            self.check()
        self.assert_no_problems()

    # ------------------------------------------------------------ signing in

    def sign_in_with_password(self, user, password=PASSWORD):
        self.visit("/account/sign-in/")
        self.fill("Email address", user.email)
        self.fill("Password", password)
        return self.click("Continue")

    def sign_in(self, user):
        """Password, then the code the user's authenticator app would show now."""
        self.sign_in_with_password(user)
        self.fill("Security code", current_code(user))
        return self.click("Sign in")


@pytest.fixture
def browse(chromium_browser, live_server):
    """Returns new_tab(): a fresh browser (own cookies) checking every page it reaches."""
    opened = []

    def new_tab():
        context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        browsing = Browsing(context, live_server.url)
        opened.append(browsing)
        return browsing

    yield new_tab
    try:
        for browsing in opened:
            browsing.finish()
    finally:
        for browsing in opened:
            browsing.context.close()


@pytest.fixture
def browsing(browse):
    return browse()


class LiveWorker:
    """django_tasks_db's worker, as `manage.py run_worker` runs it, in a
    thread beside the live server and on its database, started when the test
    says. Stopped at the end of the test.

    SQLite's in-memory test database lives in one connection, which the live
    server already shares with the test (as Django arranges): the worker
    shares it too, and takes turns with the server's requests so that no two
    threads use the connection at once (the test itself reads the database
    only after stop()). On PostgreSQL the worker has a connection of its own
    and runs alongside the server's requests."""

    def __init__(self, live_server):
        import threading

        from django.db import connections

        self.live_server = live_server
        self.stopping = threading.Event()
        self.thread = None
        connection = connections["default"]
        self.shared = connection if connection.vendor == "sqlite" and connection.is_in_memory_db() else None
        self.turns = threading.Lock() if self.shared is not None else None

    def start(self):
        import threading

        if self.shared is not None:
            httpd = self.live_server.thread.httpd
            app = httpd.get_app()

            def taking_turns(environ, start_response):
                with self.turns:
                    return app(environ, start_response)

            httpd.set_app(taking_turns)
            self.shared.inc_thread_sharing()
        self.thread = threading.Thread(target=self._work, name="live-worker", daemon=True)
        self.thread.start()

    def _work(self):
        from contextlib import nullcontext

        from django.db import connections
        from django_tasks_db.management.commands.db_worker import Worker

        if self.shared is not None:
            connections["default"] = self.shared
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="live-worker",
            excluded_queue_names=[],
        )
        try:
            while not self.stopping.wait(0.2):
                with self.turns or nullcontext():
                    worker.run()  # every job queued now, then back here
        finally:
            if self.shared is None:
                connections["default"].close()

    def stop(self):
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(30)
            self.thread = None
            if self.shared is not None:
                self.shared.dec_thread_sharing()


@pytest.fixture
def live_worker(live_server):
    worker = LiveWorker(live_server)
    yield worker
    worker.stop()
