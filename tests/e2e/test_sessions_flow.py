"""Sessions in real Chromium against `streamlit run serve.py`: the cookie keeps a person signed in across a reload, a
new tab and a server restart; signing out kills a copied cookie at once (and blanks the thief's open page); an
idle session blanks the screen by itself; every response carries the security headers and no other site can show
the app in a frame; no session id reaches an address, the server log or the audit trail."""

from __future__ import annotations

import datetime as dt
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import select, update

from rehab import services
from rehab.storage import tables as t
from rehab.storage.db import make_engine
from rehab.storage.repository import Repository
from server import cookies
from server.headers import SECURITY_HEADERS

from .conftest import E2E_PASSWORD, AppServer, add_admin, evidence_on_failure, open_page, sign_in
from .test_build_flow import settled, shoot, wait_script_idle

ADMIN = "ana@example.org"
PATIENT = "Zoë O'Brien & <Sons>"
BLANK_WITHIN_MS = 40_000  # the timed check runs every 15 s; a loaded machine gets some slack


def signed_in(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    wait_script_idle(page)


def on_sign_in_page(page, timeout: int = 30_000) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible(timeout=timeout)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # The sidebar is blank too: no page links (app.py draws them with st.page_link) and no name.
    expect(page.get_by_role("link", name="Patients")).to_have_count(0)
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def session_cookie(context) -> dict:
    [cookie] = [c for c in context.cookies() if c["name"] == cookies.SESSION]
    return cookie


def with_database(server: AppServer, action):
    engine = make_engine(server.database_url)
    try:
        return action(engine)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_the_session_cookie_keeps_you_signed_in_and_sign_out_kills_every_copy(app_server, web, chromium,
                                                                              screenshot_dir):
    from playwright.sync_api import expect

    add_admin(app_server.database_url, ADMIN)
    with_database(app_server, lambda engine: services.patients.add_patient({"name": PATIENT}, repo=Repository(engine),
                                                                 actor=ADMIN))
    page = web
    with evidence_on_failure(web, app_server, screenshot_dir, "sessions_"):
        sign_in(page, f"{app_server.url}/patients", ADMIN)
        settled(page, PATIENT)
        cookie = session_cookie(page.context)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] == -1
        assert cookies.SESSION not in page.evaluate("document.cookie")  # no script can read it
        assert cookie["value"] not in page.url

        page.reload()  # a reload ...
        signed_in(page)
        second = page.context.new_page()  # ... a new tab ...
        second.goto(f"{app_server.url}/patients")
        signed_in(second)
        second.close()
        app_server.stop()  # ... and a server restart keep you signed in
        app_server.start()
        page.goto(f"{app_server.url}/patients")
        signed_in(page)
        settled(page, PATIENT)

        # Someone copies the cookie into another browser: it works, until the owner signs out.
        thief = chromium.new_context(viewport={"width": 1400, "height": 1200})
        thief.add_cookies([cookie | {"sameSite": "Strict"}])
        stolen = thief.new_page()
        stolen.goto(f"{app_server.url}/patients")
        signed_in(stolen)
        settled(stolen, PATIENT)
        # A second computer of the owner's is listed on Your account, and the owner ends its session from here.
        laptop = chromium.new_context(viewport={"width": 1400, "height": 1200}).new_page()
        sign_in(laptop, f"{app_server.url}/patients", ADMIN)
        open_page(page, "Your account")
        expect(page.get_by_text("· this browser")).to_be_visible()  # the thief shares this browser's session
        shoot(page, screenshot_dir, "sessions_1_your_account")
        page.get_by_role("button", name="Sign out there").click()
        settled(page, "That browser is signed out.")
        expect(page.get_by_role("button", name="Sign out there")).to_have_count(0)
        on_sign_in_page(laptop, timeout=BLANK_WITHIN_MS)
        laptop.context.close()

        page.get_by_role("button", name="Sign out", exact=True).click()
        on_sign_in_page(page)
        # The thief's open page blanks by itself, without a click, and a reload does not bring it back.
        on_sign_in_page(stolen, timeout=BLANK_WITHIN_MS)
        assert PATIENT not in stolen.content()
        stolen.reload()
        on_sign_in_page(stolen)
        thief.close()

        # The session id is nowhere but in the cookie: not in the log, the audit trail or the database.
        app_server.stop()
        logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in app_server.log_dir.glob("*.log"))
        stored = with_database(app_server, lambda engine: repr([
            tuple(row) for table in (t.audit_log, t.sessions)
            for row in engine.connect().execute(select(table))
        ]))
        assert cookie["value"] not in logs and cookie["value"] not in stored


@pytest.mark.slow
def test_an_idle_session_blanks_the_screen_by_itself(app_server, web, screenshot_dir):
    add_admin(app_server.database_url, ADMIN)
    with_database(app_server, lambda engine: services.patients.add_patient({"name": PATIENT,
                                                                            "email": "zoe@example.org"},
                                                                 repo=Repository(engine), actor=ADMIN))
    page = web
    with evidence_on_failure(web, app_server, screenshot_dir, "idle_"):
        sign_in(page, f"{app_server.url}/patients", ADMIN)
        settled(page, PATIENT)

        def idle_for_31_minutes(engine):
            with engine.begin() as connection:
                connection.execute(update(t.sessions).values(
                    last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)))

        with_database(app_server, idle_for_31_minutes)  # nobody touches the page from here on
        on_sign_in_page(page, timeout=BLANK_WITHIN_MS)
        from playwright.sync_api import expect

        expect(page.get_by_text("You were signed out after 30 minutes without activity.")).to_be_visible()
        assert PATIENT not in page.content() and "zoe@example.org" not in page.content()
        shoot(page, screenshot_dir, "idle_1_signed_out")


def test_every_response_carries_the_security_headers(app_server):
    for path in ("/", "/patients", "/_stcore/health", "/_stcore/host-config"):
        with urllib.request.urlopen(app_server.url + path, timeout=10) as response:  # noqa: S310 - our own server
            for name, value in SECURITY_HEADERS.items():
                assert response.headers.get_all(name) == [value], (path, name)


def test_another_site_cannot_show_the_app_in_a_frame(app_server, web):
    add_admin(app_server.database_url, ADMIN)
    page = web
    frame_page = f'<h1>Another site</h1><iframe src="{app_server.url}/" width="900" height="600"></iframe>'
    page.route("http://other-site.test/**", lambda route: route.fulfill(body=frame_page, content_type="text/html"))
    page.goto("http://other-site.test/frame.html")
    page.wait_for_timeout(3000)
    [frame] = [f for f in page.frames if f is not page.main_frame]
    assert not frame.url.startswith(app_server.url)  # Chromium refused it (an error page)
    assert "Sign in" not in frame.content() and frame.locator("input").count() == 0
    # The same page without the frame shows the app, so the frame was refused, not the server down.
    page.goto(app_server.url)
    on_sign_in_page(page)


@pytest.mark.slow
def test_served_below_a_base_path_sign_in_works_and_a_reload_keeps_you_signed_in(tmp_path, web, screenshot_dir):
    """`streamlit run serve.py --server.baseUrlPath rehab`: the form posts to /rehab/patients, which must be ours."""
    server = AppServer(f"sqlite:///{tmp_path / 'base.db'}", tmp_path, base_path="rehab")
    add_admin(server.database_url, ADMIN)
    server.start()
    try:
        assert server.url.endswith("/rehab")
        with evidence_on_failure(web, server, screenshot_dir, "base_path_"):
            sign_in(web, f"{server.url}/patients", ADMIN)
            assert web.url == f"{server.url}/patients"
            web.reload()
            signed_in(web)
            shoot(web, screenshot_dir, "base_path_1_patients")
            for path in ("/", "/patients"):  # headers below the base path too
                with urllib.request.urlopen(server.url + path, timeout=10) as response:  # noqa: S310 - ours
                    assert response.headers["x-frame-options"] == "DENY"
    finally:
        server.stop()


def test_behind_a_proxy_on_this_machine_the_real_server_marks_the_cookie_secure(app_server):
    """A proxy at 127.0.0.1 ends TLS and forwards plain HTTP with X-Forwarded-Proto: https (uvicorn believes it;
    REHAB_TRUSTED_PROXY names proxies elsewhere, tests/integration/test_sign_in_route.py)."""
    add_admin(app_server.database_url, ADMIN)

    def set_cookie(extra: dict) -> str:
        form = urllib.parse.urlencode({"email": ADMIN, "password": E2E_PASSWORD}).encode()
        request = urllib.request.Request(f"{app_server.url}/patients", data=form, method="POST",  # noqa: S310
                                         headers={"sec-fetch-site": "same-origin", **extra})
        opener = urllib.request.build_opener(NoRedirect)
        with opener.open(request, timeout=30) as response:
            return " ".join(response.headers.get_all("set-cookie") or [])

    assert cookies.SESSION in set_cookie({}) and "secure" not in set_cookie({}).lower()
    proxied = set_cookie({"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"})
    assert cookies.SESSION in proxied and "Secure" in proxied


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def http_error_303(self, req, fp, code, msg, headers):
        return fp
