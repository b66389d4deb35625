"""What the load test's visitors do (`bench/load.py` runs it; not a test): a realistic mix on one site.

Patrons browse the home page and knowledge areas, search resources with words of the catalogue and open
resources; teachers filter the school offers, open offers, and send booking requests the way a browser does
(the offer page, then the form posted with its CSRF and one-time tokens, the honeypot left empty). Every
request is appended to the JSON-lines log named by BENCH_LOG (start time, kind, milliseconds, ok, and the
reference of each booking the teacher was shown), from which `bench/load.py` prints the figures.

The pages and words come from BENCH_SAMPLE, a JSON file `bench/load.py` writes from the database.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

SAMPLE: dict[str, Any] = json.loads(Path(os.environ["BENCH_SAMPLE"]).read_text(encoding="utf-8"))
LOG = open(os.environ["BENCH_LOG"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115  # open for the whole run

FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SESSION = re.compile(r'<input type="radio" name="session" value="(\d+)"(?P<rest>[^>]*)>')
SCHOOL_YEAR = re.compile(r'<option value="(\d+)"')
REFERENCE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


@events.request.add_listener
def record(name: str, response_time: float, exception: Any, start_time: float, **kwargs: Any) -> None:
    context = kwargs.get("context") or {}
    entry = {"at": start_time, "kind": name, "ms": round(response_time, 1), "ok": exception is None}
    if reference := context.get("reference"):
        entry["reference"] = reference
    LOG.write(json.dumps(entry) + "\n")


class Visitor(HttpUser):
    wait_time = between(0.2, 1.0)

    def get(self, path: str, kind: str) -> Any:
        with self.client.get(path, name=kind, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response

    @task(8)
    def home(self) -> None:
        self.get("/sv/", "home")

    @task(8)
    def knowledge_area(self) -> None:
        self.get(f"/sv/areas/{random.choice(SAMPLE['areas'])}/", "knowledge area")

    @task(20)
    def search(self) -> None:
        words = " ".join(random.sample(SAMPLE["words"], k=random.choice([1, 1, 2])))
        self.client.get("/sv/resources/", params={"q": words}, name="resource search")

    @task(14)
    def resource(self) -> None:
        self.get(f"/sv/resources/{random.choice(SAMPLE['resources'])}/", "resource page")

    @task(8)
    def offer_list(self) -> None:
        filters = random.choice(SAMPLE["offer_filters"])
        self.client.get("/sv/offers/", params=filters, name="offer list")

    @task(8)
    def offer(self) -> None:
        self.get(f"/sv/offers/{random.choice(SAMPLE['offers'])}/", "offer page")

    @task(4)
    def booking(self) -> None:
        """A teacher's booking request, through the form as the page gives it."""
        slug = random.choice(SAMPLE["booking_offers"])
        with self.client.get(f"/sv/offers/{slug}/", name="booking form", catch_response=True) as page:
            html = page.text if page.status_code == 200 else ""
            sessions = [match.group(1) for match in SESSION.finditer(html) if "disabled" not in match.group("rest")]
            free = [session for session in sessions if int(session) in SAMPLE["bench_sessions"]]
            form_token, csrf, years = FORM_TOKEN.search(html), CSRF_TOKEN.search(html), SCHOOL_YEAR.findall(html)
            if not (free and form_token and csrf and years):
                page.failure(f"HTTP {page.status_code}: no form with a free session")
                return
        # The CSRF cookie is marked Secure (production settings), so it is sent by hand on plain loopback.
        cookies = {"csrftoken": self.client.cookies.get("csrftoken") or ""}
        data = {
            "csrfmiddlewaretoken": csrf.group(1),
            "form_token": form_token.group(1),
            "teacher_name": "Bench Lärare",
            "school": "Lastskolan",
            "email": f"{uuid.uuid4().hex[:12]}@bench.invalid",
            "school_year": random.choice(years),
            "pupils": "20",
            "session": random.choice(free),
            "message": "",
            "consent": "on",
            "website": "",  # the honeypot, left empty as people leave it
        }
        with self.client.post(
            f"/sv/offers/{slug}/request/", data=data, cookies=cookies, name="booking post", catch_response=True
        ) as response:
            found = REFERENCE.search(response.text) if response.status_code == 200 else None
            if found and "/offers/bookings/" in response.url:
                # The teacher saw it, so it must be in the database; it goes to the log with this request.
                response.request_meta["context"]["reference"] = found.group(1)
            else:
                response.failure(f"HTTP {response.status_code}, no reference shown")


@events.quitting.add_listener
def close_log(**kwargs: Any) -> None:
    LOG.close()
