"""What `make load` simulates: members who search, read, vote, answer, write
journal entries and check their notifications, through the site's own pages
and API. Run by ``tests/load/run.py`` at each step of ``manage.py load_test`` (which
starts the stack); any response other than the expected one counts as an error.

Settings come from the environment: ``LOAD_USERS`` (comma-separated demo
usernames), ``LOAD_PASSWORD``, ``LOAD_QUERIES`` (a file of query strings, one
per line: real question titles).
"""

import os
import random
import re

from locust import HttpUser, between, task

USERS = os.environ.get("LOAD_USERS", "alice,bram,chen").split(",")
PASSWORD = os.environ.get("LOAD_PASSWORD", "hallway-demo")
with open(os.environ["LOAD_QUERIES"], encoding="utf-8") as queries:
    QUERIES = [line.strip() for line in queries if line.strip()]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# How many simulated people have signed in (the runner measures only after all).
READY = 0


class Member(HttpUser):
    """One person on a working day: mostly reading and searching, some writing."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.username = random.choice(USERS)
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )
        response = self.client.post(
            "/api/v1/auth/token",
            json={"username": self.username, "password": PASSWORD},
            name="api token",
        )
        self.api = {"Authorization": f"Bearer {response.json()['token']}"}
        listing = self.client.get(
            "/api/v1/questions?sort=active", headers=self.api, name="api questions"
        ).json()["results"]
        # Others' open questions: one's own take no vote, closed ones no answer.
        self.questions = [
            q
            for q in listing
            if q["author"]["username"] != self.username and q["status"] == "open"
        ]
        self.urls = [q["url"] for q in listing]
        global READY
        READY += 1

    @task(6)
    def search_page(self) -> None:
        self.client.get(
            "/search/", params={"q": random.choice(QUERIES)}, name="/search/?q="
        )

    @task(3)
    def search_api(self) -> None:
        self.client.get(
            "/api/v1/search",
            params={"q": random.choice(QUERIES)},
            headers=self.api,
            name="/api/v1/search?q=",
        )

    @task(2)
    def autocomplete(self) -> None:
        words = random.choice(QUERIES).split()
        self.client.get(
            "/api/v1/search/autocomplete",
            params={"q": " ".join(words[:2])[:12]},
            headers=self.api,
            name="/api/v1/search/autocomplete",
        )

    @task(5)
    def read_question(self) -> None:
        if self.urls:
            self.client.get(random.choice(self.urls), name="question page")

    @task(2)
    def notifications(self) -> None:
        self.client.get("/notifications/", name="/notifications/")

    @task(1)
    def vote(self) -> None:
        if self.questions:
            question = random.choice(self.questions)
            with self.client.post(
                f"/api/v1/questions/{question['id']}/vote",
                json={"value": random.choice([1, 1, 1, 0])},
                headers=self.api,
                name="vote",
                catch_response=True,
            ) as response:
                # Voting the same way twice, or taking back a vote never cast (the
                # simulated people share four accounts), is refused by design with
                # a 422 naming the vote: the right answer, not an error.
                refused = response.status_code == 422 and "value" in (
                    response.json().get("errors") or {}
                )
                if refused:
                    response.success()

    @task(1)
    def answer(self) -> None:
        if self.questions:
            question = random.choice(self.questions)
            self.client.post(
                f"/api/v1/questions/{question['id']}/answers",
                json={
                    "body": "From the load test: check the runbook first, then "
                    "ask the platform team."
                },
                headers=self.api,
                name="answer",
            )

    @task(1)
    def journal_entry(self) -> None:
        self.client.post(
            "/api/v1/journal/entries",
            json={
                "body": "Working on the lease renewal checklist today.",
                "visibility": "organisation",
            },
            headers=self.api,
            name="journal entry",
        )
