"""Locust users for benchmarks/bench_patient_link.py: each is a patient with their own link who opens the page
(as a browser does, accepting gzip) and now and then records a check-in. Tokens come from the file named by
REHAB_BENCH_TOKENS, one per line; user n takes line n."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import os
from pathlib import Path

from locust import HttpUser, between, task

TOKENS = Path(os.environ["REHAB_BENCH_TOKENS"]).read_text(encoding="utf-8").split()
_next = itertools.count()


def form_token(token: str) -> str:  # server/patient_route.py's, without importing the app into locust
    key = hashlib.sha256(token.encode()).hexdigest().encode()
    return hmac.new(key, b"rehab check-in form", hashlib.sha256).hexdigest()


class Patient(HttpUser):
    wait_time = between(0.5, 1.5)  # a person reading and tapping, not a script in a loop

    def on_start(self) -> None:
        self.token = TOKENS[next(_next) % len(TOKENS)]

    @task(10)
    def open_page(self) -> None:
        self.client.get(f"/p/{self.token}", name="/p/[token]", headers={"Accept-Encoding": "gzip"})

    @task(1)
    def check_in(self) -> None:
        self.client.post(f"/p/{self.token}/check-in", name="/p/[token]/check-in", allow_redirects=False,
                         data={"csrf": form_token(self.token), "kind": "week", "pain": "3"},
                         headers={"Sec-Fetch-Site": "same-origin"})
