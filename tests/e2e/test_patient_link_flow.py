"""The patient link in real Chromium (issue 16): the clinician makes the link on Patients, the patient opens it on
a phone and on a desktop, sees the moving drawings and checks in; the clinician sees the days done and the pain on
Patients and Review visit; a turned-off link and an expired one show the "no longer works" page; axe-core finds
no serious or critical problem on the patient page at either size."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import AppServer, add_admin, evidence_on_failure, open_page, sign_in
from .test_accessibility import serious_violations, settle

ADMIN = "admin@example.org"
NAME = "Zoë O'Brien & <Sons>"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def seed(database_url: str) -> int:
    from rehab import services
    from rehab.config import Settings
    from rehab.program.templates import program_from_template

    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": database_url}))
    try:
        patient = services.patients.add_patient({"name": NAME}, repo=repo, actor=ADMIN)
        program = program_from_template("phase2_strengthen", patient.as_patient(),
                                        start_date=dt.date.today() - dt.timedelta(days=2))
        return services.programs.save_program(program, repo=repo, actor=ADMIN, patient_id=patient.id).program_id
    finally:
        repo.engine.dispose()


def expire(database_url: str, program_id: int) -> None:
    """Move the link's expiry into the past, as time would."""
    from sqlalchemy import update

    from rehab.storage import tables as t
    from rehab.storage.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(update(t.patient_links).where(t.patient_links.c.program_id == program_id)
                               .values(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
    finally:
        engine.dispose()


def patients_programs(page) -> None:
    from playwright.sync_api import expect

    open_page(page, "Patients")
    page.get_by_test_id("stRadio").get_by_text("Zoë", exact=False).first.click()
    settle(page)
    page.get_by_role("tab", name="Programs").click()
    expect(page.get_by_text("Patient link and check-ins").first).to_be_visible(timeout=30_000)


@pytest.mark.slow
def test_the_clinician_makes_a_link_the_patient_checks_in_and_the_clinician_sees_it(app_server: AppServer, web,
                                                                                     chromium, screenshot_dir):
    from playwright.sync_api import expect

    with evidence_on_failure(web, app_server, screenshot_dir, "link_"):
        add_admin(app_server.database_url, ADMIN)
        program_id = seed(app_server.database_url)
        sign_in(web, app_server.url, ADMIN)
        patients_programs(web)
        web.get_by_role("button", name="Make a patient link").click()
        settle(web)
        address = web.get_by_test_id("stCode").filter(has_text="/p/").first.inner_text().strip()
        assert address.startswith(app_server.url + "/p/")

        strict = chromium.new_context()
        try:  # the page's Content-Security-Policy lets no script run, not even one injected into it
            page = strict.new_page()
            page.goto(address)
            with pytest.raises(Exception, match="Content Security Policy"):
                page.add_script_tag(content="document.title = 'ran'")
        finally:
            strict.close()

        for name, options in (("phone", PHONE), ("desktop", DESKTOP)):
            context = chromium.new_context(bypass_csp=True, **options)  # so axe-core can be injected
            try:
                patient = context.new_page()
                response = patient.goto(address)
                assert response.status == 200 and response.headers["cache-control"] == "no-store"
                expect(patient.get_by_role("heading", level=1)).to_be_visible()
                expect(patient.get_by_text("Hello Zoë.")).to_be_visible()
                assert patient.locator("svg animate").count() > 0  # the drawings move
                assert patient.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
                patient.screenshot(path=screenshot_dir / f"link_patient_{name}.png", full_page=True)
                assert serious_violations(patient) == [], name
                if name == "phone":
                    session = patient.locator("form").filter(has_text="Save today's session")
                    session.get_by_role("checkbox").first.check()
                    session.get_by_text("4", exact=True).click()
                    session.get_by_role("button", name="Save today's session").click()
                    expect(patient.get_by_role("status")).to_have_text("Thank you. Your session is saved.")
                    week = patient.locator("form").filter(has_text="Save this week's answer")
                    week.get_by_text("6", exact=True).click()
                    week.get_by_role("button", name="Save this week's answer").click()
                    expect(patient.get_by_role("status")).to_contain_text("this week is saved")
                    assert serious_violations(patient) == [], "phone, after a check-in"
            finally:
                context.close()

        patients_programs(web)
        expect(web.get_by_text("exercise on 1 of").first).to_be_visible(timeout=30_000)
        web.screenshot(path=screenshot_dir / "link_patients.png", full_page=True)
        web.get_by_role("tab", name="Outcomes").click()
        expect(web.get_by_text("as the patient gave it through their link").first).to_be_visible(timeout=30_000)
        open_page(web, "Review visit")
        expect(web.get_by_text("filled in from what the patient recorded").first).to_be_visible(timeout=30_000)

        patients_programs(web)
        web.get_by_role("button", name="Turn off link").click()
        settle(web)
        context = chromium.new_context(bypass_csp=True)
        gone = context.new_page()
        response = gone.goto(address)
        assert response.status == 404
        expect(gone.get_by_text("This link no longer works")).to_be_visible()
        assert serious_violations(gone) == []

        web.get_by_role("button", name="Make a patient link").click()
        settle(web)
        address = web.get_by_test_id("stCode").filter(has_text="/p/").first.inner_text().strip()
        assert gone.goto(address).status == 200
        expire(app_server.database_url, program_id)
        assert gone.goto(address).status == 404
        context.close()
