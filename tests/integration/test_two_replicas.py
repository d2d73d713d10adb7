"""Two app processes (`streamlit run serve.py`, as in production) on one PostgreSQL database: a patient link works
on both, check-ins posted to both at once land exactly once each, and turning the link off stops it on both. The
patient route keeps no state in a process (docs/deployment.md)."""

from __future__ import annotations

import concurrent.futures
import itertools
import urllib.error
import urllib.parse
import urllib.request

import pytest

from rehab import services
from rehab.config import Settings
from rehab.domain.links import CheckInKind
from rehab.services import patient_links as links
from server.patient_route import form_token
from tests.e2e.conftest import AppServer
from tests.support.storage_samples import sample_program

from .conftest import new_database_url

POSTS = 16  # under the per-link limit of 20 an hour


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode()


@pytest.fixture
def pg_url(request, tmp_path) -> str:
    return new_database_url(request, "postgresql", tmp_path)


@pytest.fixture
def replicas(pg_url, tmp_path):
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": pg_url}))  # the schema, once
    servers = []
    try:
        for n in (1, 2):
            folder = tmp_path / f"replica{n}"
            folder.mkdir()
            server = AppServer(pg_url, folder)
            servers.append(server)
            server.start()
        yield repo, servers
    finally:
        for server in servers:
            server.stop()
        repo.engine.dispose()


@pytest.mark.slow
def test_a_link_works_on_both_replicas_and_check_ins_from_both_land_once(replicas):
    repo, (one, two) = replicas
    program_id = services.programs.save_program(sample_program(), repo=repo, actor="ana@example.org").program_id
    _, token = links.create_link(program_id, repo=repo, actor="ana@example.org")
    for server in (one, two):
        status, page = fetch(f"{server.url}/p/{token}")
        assert status == 200 and "Hello Zoë." in page

    def post(n: int, server: AppServer) -> int:
        fields = {"csrf": form_token(token), "kind": "week", "pain": str(n % 11)}
        return fetch(f"{server.url}/p/{token}/check-in", fields, {"Sec-Fetch-Site": "same-origin"})[0]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(post, range(POSTS), itertools.islice(itertools.cycle((one, two)), POSTS)))
    assert codes == [303] * POSTS
    kept = links.check_ins([program_id], repo=repo)
    assert len(kept) == POSTS and len({c.id for c in kept}) == POSTS
    assert sorted(c.pain for c in kept) == sorted(n % 11 for n in range(POSTS))
    assert {c.kind for c in kept} == {CheckInKind.WEEK}

    links.revoke_link(program_id, repo=repo, actor="ana@example.org")
    for server in (one, two):
        assert fetch(f"{server.url}/p/{token}")[0] == 404
    for server in (one, two):
        assert token not in server.read_log()  # no process logs the token
