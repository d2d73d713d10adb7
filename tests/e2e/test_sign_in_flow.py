"""Accounts in real Chromium: a fresh server shows only first-run setup, even at a deep link; afterwards a browser
that has not signed in sees only the sign-in page at any address, also right after a restart; clinic A's patient
is invisible to clinic B; the admin pages work; and the server log holds no patient name or email."""

from __future__ import annotations

import pytest

from .conftest import E2E_PASSWORD, AppServer, add_admin, evidence_on_failure, open_page, sign_in
from .test_build_flow import settled, shoot, wait_script_idle

PATIENT = "Zoë O'Brien & <Sons>"
PATIENT_EMAIL = "zoe.obrien@example.org"
ADMIN_A = "ana@example.org"
ADMIN_B = "bo@example.org"
APP_HEADINGS = ["Build program", "Patients", "Review visit", "Exercise library", "Clinic settings", "Audit log"]


def only_the_entry_page(page, heading: str) -> None:
    """The page shows ``heading`` and none of the app: no navigation, no page of the app, no patient."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=30_000)
    wait_script_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_role("link")).to_have_count(0)
    for other in APP_HEADINGS:
        expect(page.get_by_role("heading", name=other, exact=True)).to_have_count(0)
    assert PATIENT not in page.content() and PATIENT_EMAIL not in page.content()


@pytest.mark.slow
def test_sign_in_gate_and_two_clinics(app_server: AppServer, web, chromium, screenshot_dir):
    with evidence_on_failure(web, app_server, screenshot_dir, "accounts_"):
        accounts_session(app_server, web, chromium, screenshot_dir)


def new_tab(chromium):
    return chromium.new_context(viewport={"width": 1400, "height": 1200}).new_page()


def accounts_session(app_server: AppServer, web, chromium, screenshot_dir) -> None:
    from playwright.sync_api import expect

    url = app_server.url
    # A fresh database: every address leads to first-run setup, and nothing else.
    page = web
    page.goto(f"{url}/patients")
    only_the_entry_page(page, "Set up your clinic")
    shoot(page, screenshot_dir, "accounts_1_setup")
    page.get_by_label("Clinic name").fill("Knee & <Run> Clinic")
    page.get_by_label("Your name").fill("Ana Admin")
    page.get_by_label("Your email (you sign in with it)").fill(ADMIN_A)
    page.get_by_role("textbox", name="Password", exact=True).fill(E2E_PASSWORD)
    page.get_by_role("textbox", name="Password again", exact=True).fill(E2E_PASSWORD)
    page.get_by_role("button", name="Create the clinic and my account").click()
    expect(page.get_by_text("Your clinic is set up.")).to_be_visible(timeout=30_000)
    only_the_entry_page(page, "Sign in")
    sign_in(page, page.url, ADMIN_A)
    settled(page, "There are no patients yet.")  # signed in, on the page the address asked for
    expect(page.get_by_text("Signed in as")).to_be_visible()
    open_page(page, "Build program")
    settled(page, "Start here.")

    # Clinic A adds a patient, then signs out: the sign-in page, and the patient is gone from the browser.
    page.get_by_label("Name", exact=True).fill(PATIENT)
    page.get_by_label("Email (optional)").fill(PATIENT_EMAIL)
    page.get_by_role("button", name="Add patient").click()
    settled(page, "Start from this template")
    open_page(page, "Patients")
    expect(page.get_by_role("heading", name=PATIENT)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    only_the_entry_page(page, "Sign in")
    expect(page.get_by_text("You signed out.")).to_be_visible()

    # One generic message for a wrong password.
    page.get_by_label("Email", exact=True).fill(ADMIN_A)
    page.get_by_role("textbox", name="Password", exact=True).fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Email or password is not right.")).to_be_visible(timeout=30_000)
    shoot(page, screenshot_dir, "accounts_2_sign_in_failed")

    # Clinic B in the same database finds nothing of clinic A's.
    add_admin(app_server.database_url, ADMIN_B, clinic="Other Clinic", new_clinic=True)
    other = new_tab(chromium)
    other.goto(f"{url}/patients")
    only_the_entry_page(other, "Sign in")
    shoot(other, screenshot_dir, "accounts_3_sign_in")
    sign_in(other, f"{url}/patients", ADMIN_B)
    settled(other, "There are no patients yet.")  # the Patients page, as the address asked, empty for clinic B
    open_page(other, "Build program")
    settled(other, "Start here.")
    open_page(other, "Audit log")
    assert PATIENT not in other.content() and PATIENT_EMAIL not in other.content()
    other.context.close()

    # Clinic A again: the patient is there, and the admin pages show accounts and the audit log.
    sign_in(page, url, ADMIN_A)
    open_page(page, "Patients")
    expect(page.get_by_role("heading", name=PATIENT)).to_be_visible()
    open_page(page, "Accounts")
    expect(page.get_by_role("heading", name="Accounts", exact=True)).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Cleo Clinician")
    page.get_by_label("Email (they sign in with it)").fill("cleo@example.org")
    page.get_by_role("textbox", name="Their first password", exact=True).fill(E2E_PASSWORD)
    page.get_by_role("textbox", name="Password again", exact=True).fill(E2E_PASSWORD)
    page.get_by_role("button", name="Add account").click()
    settled(page, "Added Cleo Clinician as clinician.")
    shoot(page, screenshot_dir, "accounts_4_accounts")
    open_page(page, "Audit log")
    expect(page.get_by_text("entries shown.")).to_be_visible()
    assert PATIENT not in page.content()
    shoot(page, screenshot_dir, "accounts_5_audit")

    # A restarted server: a deep link opened by a browser that has not signed in gets the sign-in page only.
    app_server.stop()
    app_server.start()
    fresh = new_tab(chromium)
    fresh.goto(f"{app_server.url}/patients")
    only_the_entry_page(fresh, "Sign in")
    fresh.goto(f"{app_server.url}/audit")
    only_the_entry_page(fresh, "Sign in")
    fresh.context.close()

    # Nothing about the patient reached the server logs of either run.
    app_server.stop()
    logs = "".join(path.read_text(encoding="utf-8", errors="replace")
                   for path in sorted(app_server.log_dir.glob("streamlit-*.log")))
    assert logs.strip()  # the logs were written
    for secret in (PATIENT, PATIENT_EMAIL, "Zoë", "O'Brien", E2E_PASSWORD):
        assert secret not in logs
