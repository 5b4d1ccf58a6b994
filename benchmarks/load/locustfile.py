"""A working day on the service, for Locust: each virtual user signs in once
through the real pages (password, then a code from their authenticator) and
then works with a few seconds between pages, as their role does.

Run by benchmarks/load_test.py, which prepares the accounts and passes:

- HOTH_LOAD_PLAN: a JSON file (readable by its owner only) with the mix, each
  account's email, password, authenticator secret and what it works on;
- HOTH_LOAD_CA: the certificate the proxy presents on loopback;
- HOTH_LOAD_RESULTS: where to write every request's time and outcome.

Every request is made without following redirects: a page must answer 200,
and the only redirects accepted are the ones the flow expects (after the
password, after the code, after saving a note). Anything else, a 4xx, a 5xx
or no answer within HOTH_LOAD_TIMEOUT seconds, is a failure.
"""

import json
import os
import random
import re
import time
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from django_otp.oath import TOTP  # RFC 6238, plain Python: what an authenticator app computes
from locust import HttpUser, between, events, task
from locust.exception import StopUser

with open(os.environ["HOTH_LOAD_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
THINK = tuple(PLAN.get("think", (2, 6)))
TIMEOUT = float(os.environ.get("HOTH_LOAD_TIMEOUT", "30"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Each virtual user takes the next account of its role; one account, one user.
_ACCOUNTS = {role: [a for a in PLAN["accounts"] if a["role"] == role] for role in PLAN["mix"]}

# Every request: name -> [(milliseconds, failure or None)], and one example
# (account, path) per name for counting its queries afterwards.
SAMPLES, EXAMPLES = {}, {}


@events.request.add_listener
def _record(name, response_time, exception, context=None, **kwargs):
    SAMPLES.setdefault(name, []).append((response_time, str(exception)[:300] if exception else None))
    if context and name not in EXAMPLES and context.get("path") and not exception:
        EXAMPLES[name] = {"email": context.get("email"), "path": context["path"], "method": context.get("method")}


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    with open(os.environ["HOTH_LOAD_RESULTS"], "w") as out:
        json.dump({"samples": SAMPLES, "examples": EXAMPLES}, out)


class Staff(HttpUser):
    abstract = True
    role = None
    wait_time = between(*THINK)

    def on_start(self):
        accounts = _ACCOUNTS[self.role]
        if not accounts:
            raise StopUser()
        self.account = accounts.pop(0)
        self.targets = self.account["targets"]
        self.client.verify = os.environ["HOTH_LOAD_CA"]
        self.sign_in()

    # ------------------------------------------------------------ requests

    def _request(self, method, name, path, *, expect=None, data=None, referer=None):
        """One request; a failure unless it answers 200, or the redirect
        `expect` (a path) when given."""
        headers = {}
        if method == "POST":
            # What a browser sends with a form: Django's CSRF check over HTTPS
            # wants the page the form came from.
            headers = {"Origin": self.host, "Referer": self.host + (referer or path)}
        context = {"email": self.account["email"], "path": path, "method": method}
        with self.client.request(
            method,
            path,
            name=name,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
            context=context,
        ) as response:
            if expect is not None:
                location = urlsplit(response.headers.get("Location", "")).path
                if response.status_code in (302, 303) and location == expect:
                    response.success()
                else:
                    response.failure(f"{response.status_code} {location or ''}: expected a redirect to {expect}")
            elif response.status_code != 200:
                location = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {location}".strip())
            else:
                response.success()
        return response

    def page(self, name, path, query=None):
        return self._request("GET", name, path + (f"?{urlencode(query)}" if query else ""))

    def form(self, name, path):
        """A form page, and the CSRF token it carries (None if it failed)."""
        response = self.page(name, path)
        match = CSRF.search(response.text or "") if response.status_code == 200 else None
        return match.group(1) if match else None

    def submit(self, name, path, data, token, expect):
        return self._request("POST", name, path, data={**data, "csrfmiddlewaretoken": token}, expect=expect)

    # ------------------------------------------------------------ signing in

    def sign_in(self):
        token = self.form("sign in", "/account/sign-in/")
        if token is None:
            raise StopUser()
        response = self.submit(
            "sign in: password",
            "/account/sign-in/",
            {"email": self.account["email"], "password": self.account["password"]},
            token,
            expect="/account/sign-in/code/",
        )
        if response.status_code != 302:
            raise StopUser()
        token = self.form("sign in: code page", "/account/sign-in/code/")
        if token is None:
            raise StopUser()
        response = self.submit("sign in: code", "/account/sign-in/code/", {"code": self.code()}, token, expect="/")
        if response.status_code != 302:
            raise StopUser()

    def code(self):
        """The code the authenticator shows now; if this account's last code
        was accepted in this very time step (a rerun within 30 s), the next
        step's, after waiting for it: a code is accepted once."""
        totp = self.account["totp"]
        clock = TOTP(bytes.fromhex(totp["key"]), totp["step"], totp["t0"], totp["digits"])
        while clock.t() <= totp["last_t"]:
            time.sleep(1)
            clock = TOTP(bytes.fromhex(totp["key"]), totp["step"], totp["t0"], totp["digits"])
        return f"{clock.token():0{totp['digits']}d}"

    def pick(self, kind):
        return random.choice(self.targets[kind])


class Practitioner(Staff):
    """Their home page, a case of a child they work with, its notes, a new
    note now and then, and the person register."""

    role = "practitioner"

    @task(3)
    def home(self):
        self.page("home (practitioner)", "/")

    @task(4)
    def case(self):
        self.page("case page", f"/cases/{self.pick('cases')}/")

    @task(3)
    def notes(self):
        self.page("case notes", f"/cases/{self.pick('cases')}/notes/")

    @task(1)
    def add_note(self):
        case = self.pick("cases")
        path = f"/cases/{case}/notes/new/"
        token = self.form("case: new note form", path)
        if token is None:
            return
        time.sleep(random.uniform(*THINK))  # typing the note
        today = datetime.now(UTC).date()  # never ahead of the service's date in London
        self.submit(
            "case: save note",
            path,
            {
                "happened_on_0": today.day,
                "happened_on_1": today.month,
                "happened_on_2": today.year,
                "kind": random.choice(self.targets["note_kinds"]),
                "who": "Child and parent",
                "what": "Load test contact: talked about school, friends and where they go after dark.",
            },
            token,
            expect=f"/cases/{case}/notes/",
        )

    @task(2)
    def search(self):
        self.page("person search", "/people/", {"name": self.pick("search_names")})


class Coordinator(Staff):
    """The front door: the screening queue (often filtered), referrals in it,
    next week's screening meeting, the referrals list and a case."""

    role = "coordinator"

    @task(3)
    def queue(self):
        self.page("screening queue", "/screening-queue/")

    @task(3)
    def queue_filtered(self):
        self.page("screening queue, filtered", "/screening-queue/", self.pick("queue_filters"))

    @task(3)
    def referral(self):
        self.page("referral", f"/referrals/{self.pick('referrals')}/")

    @task(2)
    def planned_meeting(self):
        self.page("planned screening meeting", f"/meetings/{self.pick('planned_meetings')}/")

    @task(1)
    def referrals(self):
        self.page("referrals list", "/referrals/")

    @task(1)
    def case(self):
        self.page("case page (coordinator)", f"/cases/{self.pick('cases')}/")

    @task(1)
    def home(self):
        self.page("home (coordinator)", "/")


class Analyst(Staff):
    """Intelligence lists, a subject of concern and a child's network."""

    role = "analyst"

    @task(2)
    def reports(self):
        self.page("intelligence list", "/intelligence/")

    @task(2)
    def subjects(self):
        self.page("subjects list", "/subjects/")

    @task(3)
    def subject(self):
        self.page("subject profile", f"/subjects/{self.pick('subjects')}/")

    @task(2)
    def network(self):
        self.page("child's network", f"/subjects/{self.pick('children')}/network/")

    @task(1)
    def home(self):
        self.page("home (analyst)", "/")


class PanelChair(Staff):
    """The panel: its meetings, one of them, the action tracker."""

    role = "panel_chair"

    @task(1)
    def meetings(self):
        self.page("meetings list", "/meetings/")

    @task(3)
    def meeting(self):
        self.page("panel meeting", f"/meetings/{self.pick('meetings')}/")

    @task(1)
    def tracker(self):
        self.page("panel action tracker", "/meetings/panel/actions/")

    @task(1)
    def home(self):
        self.page("home (panel chair)", "/")


# The harness decides how many of each role: exactly that many users each
# (a role with none is left out).
for _user_class in (Practitioner, Coordinator, Analyst, PanelChair):
    _user_class.fixed_count = PLAN["mix"].get(_user_class.role, 0)
    _user_class.abstract = not _user_class.fixed_count
del _user_class  # Locust takes every User class it finds in the module, by any name
