"""The sign-in route and the security headers over HTTP (Starlette's test client, a real SQLite database): the
route checks the password, sets an httpOnly SameSite=Strict session cookie (Secure over HTTPS) and a device
cookie, sends the browser back to the page it came from, refuses forms from other sites, and never puts the
email or the session id in an address."""

from __future__ import annotations

import pytest
import streamlit as st
from argon2 import PasswordHasher, Type
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from rehab import services
from rehab.config import Settings
from rehab.security import passwords
from rehab.services import accounts, sessions
from server import cookies, stack
from server.headers import SECURITY_HEADERS, SecurityHeaders
from server.sign_in_route import page_paths

SECRET = "correct horse battery"  # noqa: S105 - a test account's password
ADMIN = "ana@example.org"
SAME_SITE = {"sec-fetch-site": "same-origin"}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'route.db'}"
    monkeypatch.setenv("REHAB_DATABASE_URL", url)
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                            type=Type.ID))
    st.cache_resource.clear()
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": url}))
    accounts.create_clinic_with_admin("Knee Clinic", ADMIN, "Ana Admin", SECRET, repo=repo)
    yield repo
    repo.engine.dispose()
    st.cache_resource.clear()


def client(base_url: str = "http://testserver", *, base_path: str = "", trusted_proxy: str = "",
           peer: str = "testclient") -> TestClient:
    """Our routes and middleware as serve.py puts them around Streamlit (server/stack.py), reached from ``peer``."""
    proxies = Settings.from_env({"REHAB_TRUSTED_PROXY": trusted_proxy}).trusted_proxy
    app = Starlette(routes=stack.routes(base_path), middleware=stack.middleware(proxies))
    return TestClient(app, base_url=base_url, follow_redirects=False, client=(peer, 50000))


def post(web: TestClient, path: str = "/patients", headers: dict | None = None, **fields):
    form = {"email": ADMIN, "password": SECRET, **fields}
    return web.post(path, data=form, headers=SAME_SITE if headers is None else headers)


def set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


def test_every_page_address_takes_the_form():
    assert page_paths()[0] == "/"
    assert {"/build", "/patients", "/password", "/audit"} <= set(page_paths())
    assert "/sign_in" not in page_paths() and "/setup" not in page_paths()


def test_under_a_base_path_every_page_address_takes_the_form_and_returns_there(repo):
    """`streamlit run serve.py --server.baseUrlPath rehab` serves the pages at /rehab/...: the form posts there."""
    assert page_paths("/rehab/")[:2] == ["/rehab/", "/rehab"]
    assert "/rehab/patients" in page_paths("rehab") and "/patients" not in page_paths("rehab")
    web = client(base_path="rehab")
    for path in ("/rehab/patients", "/rehab/"):
        response = post(web, path)
        assert response.status_code == 303 and response.headers["location"] == path
        assert cookies.SESSION in set_cookies(response)
    assert post(web, "/patients").status_code == 404  # outside the base path nothing of ours answers


def test_a_right_password_sets_a_strict_http_only_session_cookie_and_returns_to_the_page(repo):
    response = post(client())
    assert response.status_code == 303 and response.headers["location"] == "/patients"
    made = set_cookies(response)
    session = made[cookies.SESSION].lower()
    assert "httponly" in session and "samesite=strict" in session and "path=/" in session
    assert "secure" not in session and "max-age" not in session  # plain HTTP here; ends with the browser
    device = made[cookies.DEVICE].lower()
    assert "httponly" in device and "samesite=strict" in device and f"max-age={cookies.DEVICE_MAX_AGE}" in device
    token = made[cookies.SESSION].split("=", 1)[1].split(";")[0]
    assert sessions.resume(token, repo=repo, idle_minutes=30).account.email == ADMIN
    assert token not in response.headers["location"]


def test_over_https_the_cookies_are_secure(repo):
    made = set_cookies(post(client("https://testserver")))
    assert "secure" in made[cookies.SESSION].lower() and "secure" in made[cookies.DEVICE].lower()


FORWARDED = {**SAME_SITE, "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}


def test_behind_a_trusted_https_proxy_the_cookies_are_secure(repo):
    """A proxy ends TLS and talks plain HTTP to the app: the cookie must still be Secure (REHAB_TRUSTED_PROXY)."""
    proxied = client(trusted_proxy="10.0.0.0/24", peer="10.0.0.7")
    made = set_cookies(post(proxied, headers=FORWARDED))
    assert "secure" in made[cookies.SESSION].lower() and "secure" in made[cookies.DEVICE].lower()
    unnamed = client(peer="10.0.0.7")  # the same proxy, not named in the setting: its headers are not believed
    assert "secure" not in set_cookies(post(unnamed, headers=FORWARDED))[cookies.SESSION].lower()


def test_behind_a_trusted_proxy_strangers_are_counted_by_their_own_address(repo):
    proxied = client(trusted_proxy="10.0.0.7", peer="10.0.0.7")
    for _ in range(5):  # one stranger's guesses behind the proxy ...
        post(proxied, headers={**FORWARDED, "x-forwarded-for": "203.0.113.9"}, email="guess@example.org",
             password="not the password")
    locked = post(proxied, headers={**FORWARDED, "x-forwarded-for": "203.0.113.9"})
    assert locked.headers["location"].startswith("/patients?sign_in=wait")
    # ... do not slow down another person coming through the same proxy
    assert post(proxied, headers={**FORWARDED, "x-forwarded-for": "198.51.100.4"}).headers["location"] == "/patients"


def test_a_browser_cannot_claim_another_address_or_https_by_sending_proxy_headers(repo):
    attacker = client(trusted_proxy="10.0.0.7", peer="192.0.2.66")  # not the proxy
    for number in range(5):  # a new made-up address with every guess
        post(attacker, headers={**FORWARDED, "x-forwarded-for": f"203.0.113.{number}"}, email="guess@example.org",
             password="not the password")
    response = post(attacker, headers={**FORWARDED, "x-forwarded-for": "203.0.113.99"})
    assert response.headers["location"].startswith("/patients?sign_in=wait")  # counted by its real address
    later = client(trusted_proxy="10.0.0.7", peer="192.0.2.67")
    assert "secure" not in set_cookies(post(later, headers=FORWARDED))[cookies.SESSION].lower()


def test_a_wrong_password_comes_back_with_one_code_and_no_cookie(repo):
    for fields in ({"password": "not the password"}, {"email": "nobody@example.org"}):
        response = post(client(), "/", **fields)
        assert response.headers["location"] == "/?sign_in=failed"
        assert cookies.SESSION not in set_cookies(response)
        assert "example.org" not in response.headers["location"]


def test_an_empty_field_is_named_and_costs_no_attempt(repo):
    response = post(client(), "/build", password="")
    assert response.headers["location"] == "/build?sign_in=empty"


def test_repeated_failures_come_back_with_the_wait(repo):
    web = client()
    for _ in range(5):  # exactly the allowed number of failures, each told plainly ...
        assert post(web, password="not the password").headers["location"] == "/patients?sign_in=failed"
    response = post(web)  # ... then the right password during the lock is refused without being checked
    assert response.headers["location"].startswith("/patients?sign_in=wait&seconds=")
    assert cookies.SESSION not in set_cookies(response)


def test_the_browser_keeps_its_device_cookie_and_stays_known(repo):
    web = client()
    first = set_cookies(post(web))[cookies.DEVICE].split("=", 1)[1].split(";")[0]
    second = set_cookies(post(web))[cookies.DEVICE].split("=", 1)[1].split(";")[0]
    assert first == second
    for _ in range(6):  # strangers lock the account ...
        post(client(), password="not the password")
    assert post(client()).headers["location"].startswith("/patients?sign_in=wait")
    assert post(web).headers["location"] == "/patients"  # ... but not for this browser


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
    {"sec-fetch-site": "same-site"},
    {"origin": "https://evil.example"},
    {"origin": "null"},  # what a browser sends under Referrer-Policy: no-referrer without Sec-Fetch-Site
    {},
])
def test_a_form_from_another_site_is_refused(repo, headers):
    response = post(client(), headers=headers)
    assert response.status_code == 403 and cookies.SESSION not in set_cookies(response)
    assert services.audit.audit_trail(repo=repo)[0].action != "account.sign_in"


def test_an_old_browser_without_sec_fetch_site_is_accepted_from_this_origin(repo):
    assert post(client(), headers={"origin": "http://testserver"}).status_code == 303


def test_a_huge_or_strange_form_is_refused(repo):
    assert post(client(), password="x" * 10_000).status_code == 400
    assert post(client(), a="1", b="2", c="3").status_code == 400  # more fields than the form has


def test_a_database_problem_comes_back_as_a_code_without_details(repo, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError(f"could not connect; {ADMIN}")

    monkeypatch.setattr(accounts, "sign_in", broken)
    response = post(client())
    assert response.headers["location"] == "/patients?sign_in=error"
    assert ADMIN not in caplog.text and "RuntimeError" in caplog.text


def test_a_get_is_not_ours():
    assert client().get("/patients").status_code == 405  # Streamlit serves the page (its route comes next)


def test_every_response_carries_the_security_headers():
    async def page(request):
        return PlainTextResponse("hi", headers={"X-Frame-Options": "SAMEORIGIN"})

    web = TestClient(Starlette(routes=[Route("/", page)], middleware=[Middleware(SecurityHeaders)]))
    response = web.get("/")
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_list(name) == [value]  # replaced, never doubled
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(("own", "sent"), [
    ("default-src 'self'", "default-src 'self'; frame-ancestors 'none'"),  # a page's own policy still refuses frames
    ("default-src 'none'; frame-ancestors 'none'", "default-src 'none'; frame-ancestors 'none'"),
])
def test_a_page_with_its_own_policy_keeps_it_and_is_never_framed_by_default(own, sent):
    async def page(request):
        return PlainTextResponse("hi", headers={"Content-Security-Policy": own})

    response = TestClient(Starlette(routes=[Route("/", page)], middleware=[Middleware(SecurityHeaders)])).get("/")
    assert response.headers.get_list("content-security-policy") == [sent]
    assert response.headers["x-frame-options"] == "DENY"
