"""A physiotherapist in real Chromium emails the handout: sign in, add a patient who agrees to email, build and
save a program, press "Email to patient", and a real SMTP server on loopback (aiosmtpd) receives one email with
the saved version's PDF attached."""

# ruff: noqa: F811 - the SMTP fixture is imported from smtp_servers and requested by name as an argument

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from rehab import services
from rehab.config import Settings
from rehab.services import email as outbox
from tests.support.servers import smtp_server  # noqa: F401 - fixture used by name
from ui.text import WORD_JOINER

from .conftest import AppServer, add_admin, evidence_on_failure, sign_in
from .test_build_flow import settled, shoot, wait_script_idle

ADMIN_EMAIL = "ana@clinic.example.org"
PATIENT = "Zoë O'Brien & <Sons>"
ADDRESS = "zoe@example.org"
SHOWN_ADDRESS = ADDRESS.replace("@", WORD_JOINER + "@")  # as the page shows it: never a live mailto: link


@pytest.fixture
def email_app(tmp_path, smtp_server) -> Iterator[AppServer]:
    """The app on a fresh database with one admin account, sending email to the aiosmtpd server."""
    url = f"sqlite:///{tmp_path / 'e2e-email.db'}"
    add_admin(url, ADMIN_EMAIL)
    server = AppServer(url, tmp_path, {
        "REHAB_SMTP_HOST": "127.0.0.1",
        "REHAB_SMTP_PORT": str(smtp_server.port),
        "REHAB_SMTP_SECURITY": "none",
        "REHAB_MAIL_FROM": "Knee Clinic <desk@clinic.example.org>",
        "REHAB_SMTP_TIMEOUT": "10",
    })
    server.start()
    yield server
    server.stop()


@pytest.mark.slow
def test_email_to_patient_reaches_the_smtp_server_with_the_pdf(email_app, smtp_server, web, tmp_path,
                                                               screenshot_dir):
    with evidence_on_failure(web, email_app, screenshot_dir, "email_"):
        email_session(email_app, smtp_server, web, screenshot_dir)


def email_session(app: AppServer, smtp_server, web, screenshot_dir) -> None:
    from playwright.sync_api import expect

    page = web
    sign_in(page, app.url, ADMIN_EMAIL)
    settled(page, "Start here.")

    # A new patient who agrees to get handouts by email.
    page.get_by_label("Name", exact=True).fill(PATIENT)
    page.get_by_label("Email (optional)", exact=True).fill(ADDRESS)
    page.get_by_text("Agrees to get handouts by email", exact=True).click()
    page.get_by_role("button", name="Add patient").click()
    settled(page, "Start from this template")
    expect(page.get_by_text("(email OK)", exact=False)).to_be_visible()

    page.get_by_role("button", name="Start from this template").click()
    settled(page, "1. Quad set: 2 sets of 10")
    page.get_by_role("button", name="Save new program").click()
    settled(page, "Save as version 2")

    # Email the saved version.
    page.get_by_role("button", name="Email to patient").first.click()  # open the popover in the action bar
    wait_script_idle(page)
    box = page.get_by_test_id("stPopoverBody").filter(has_text="Attached:")
    expect(box.get_by_text("Email consent:")).to_be_visible()
    expect(box.get_by_text(SHOWN_ADDRESS).first).to_be_visible()
    box.get_by_role("button", name="Email to patient").click()
    settled(page, f"Sent to {SHOWN_ADDRESS} at")
    shoot(page, screenshot_dir, "email_sent")
    expect(page.get_by_test_id("stException")).to_have_count(0)

    # The server got exactly one email, to the patient, with the saved version's handout attached.
    (received,) = smtp_server.inbox.received
    assert received.rcpt_tos == [ADDRESS]
    message = received.message
    assert message["To"].addresses[0].addr_spec == ADDRESS
    assert message["From"].addresses[0].addr_spec == "desk@clinic.example.org"
    assert message["Message-ID"] and message["Date"]
    (part,) = list(message.iter_attachments())
    assert (part.get_content_type(), part.get_filename()) == ("application/pdf", "exercise-program.pdf")
    pdf = part.get_content()
    assert pdf.startswith(b"%PDF-")
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages)
    assert PATIENT in text
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app.database_url}))
    (stored,) = outbox.list_outbox(repo=repo)
    assert (stored.status, stored.attempts, stored.program_version) == ("sent", 1, 1)
    assert pdf == outbox.render_version(stored.program_id, 1, repo=repo)  # the very version that was saved
    repo.engine.dispose()

    # The server log names neither the patient nor the address the handout went to.
    log = app.read_log()
    assert "Zoë" not in log and "O'Brien" not in log and ADDRESS not in log
