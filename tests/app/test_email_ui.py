"""Email to patient in AppTest, against a real aiosmtpd server on loopback: blocked without consent (and says how
to record it), sent with the PDF attached, kept in the outbox when the server is down, and Retry on Patients."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.mail.message import LOCKED_PDF_NOTE
from rehab.program.templates import program_from_template
from rehab.services import email as outbox
from rehab.words.email import EMAIL_OFF, HOW_TO_RECORD_CONSENT, NO_ADDRESS
from tests.conftest import ROOT
from tests.support.servers import closed_port, silent_server, smtp_server  # noqa: F401 - fixtures
from ui.text import md

APP = str(ROOT / "app.py")
ADDRESS = "zoe@example.org"


@pytest.fixture
def repo(app_database):
    return services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))


def email_env(monkeypatch, port: int, timeout: str = "3") -> None:
    monkeypatch.setenv("REHAB_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("REHAB_SMTP_PORT", str(port))
    monkeypatch.setenv("REHAB_SMTP_SECURITY", "none")
    monkeypatch.setenv("REHAB_MAIL_FROM", "Knee Clinic <desk@example.org>")
    monkeypatch.setenv("REHAB_SMTP_TIMEOUT", timeout)


def patient_with_program(repo, name="Zoë Ñúñez", *, consent=True, versions=1, email=ADDRESS):
    patient = services.patients.add_patient({"name": name, "email": email, "email_consent": consent}, repo=repo,
                                  actor="Test Physio")
    program = program_from_template("phase1_settle", patient.as_patient(), start_date=dt.date(2026, 1, 5))
    info = services.programs.save_program(program, repo=repo, actor="Test Physio", patient_id=patient.id)
    for version in range(2, versions + 1):
        program = program.model_copy(update={"duration_weeks": program.duration_weeks + 1})
        services.programs.save_program(program, repo=repo, actor="Test Physio", program_id=info.program_id,
                             base_version=version - 1)
    return patient, info.program_id


def build_page(patient_id: int, program_id: int) -> AppTest:
    """The Build page with the saved program loaded (handed over as from Patients) and Email to patient open.
    Every AppTest starts signed in as an admin (tests/app/conftest.py)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["current_patient_id"] = patient_id
    at.session_state["current_program_id"] = program_id
    at.run()
    at.session_state["build_email_open"] = True
    at.run()
    assert not at.exception
    return at


def patients_page(patient_id: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["current_patient_id"] = patient_id
    at.run()
    at.switch_page("app_pages/patients.py").run()
    assert not at.exception
    return at


def send(at: AppTest, program_id: int, version: int = 1, *, page: str = "build") -> AppTest:
    at.button(key=f"{page}_email_{program_id}_{version}_send").click().run()
    assert not at.exception
    return at


def said(elements, start: str) -> bool:
    return any(e.value.startswith(start) for e in elements)


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def attachment(message):
    (part,) = list(message.iter_attachments())
    return part


def test_without_email_settings_the_button_explains_and_points_to_clinic_settings(repo):
    patient, program_id = patient_with_program(repo)
    at = build_page(patient.id, program_id)
    assert EMAIL_OFF in texts(at.info)
    assert at.button(key=f"build_email_{program_id}_1_send_off").disabled
    links = [e.proto.page for e in at.main.get("page_link")]  # not the sidebar's page links
    assert links == ["settings"]  # the Clinic settings page (admins only)


def test_missing_consent_blocks_sending_and_says_how_to_record_it(repo, monkeypatch, smtp_server):  # noqa: F811
    email_env(monkeypatch, smtp_server.port)
    patient, program_id = patient_with_program(repo, consent=False)
    at = build_page(patient.id, program_id)
    warning = texts(at.warning)
    assert "Sending is blocked: the patient has not agreed to get handouts by email" in warning
    assert HOW_TO_RECORD_CONSENT in warning
    assert at.button(key=f"build_email_{program_id}_1_send").disabled
    assert "**Email consent:** missing" in texts(at.markdown)
    assert outbox.list_outbox(repo=repo) == [] and smtp_server.inbox.received == []


def test_a_patient_without_an_email_address_is_told_where_to_add_it(repo, monkeypatch, smtp_server):  # noqa: F811
    email_env(monkeypatch, smtp_server.port)
    patient, program_id = patient_with_program(repo, email=None)
    at = build_page(patient.id, program_id)
    assert "**To:** no email address" in texts(at.markdown)
    assert NO_ADDRESS in texts(at.warning)
    assert at.button(key=f"build_email_{program_id}_1_send").disabled


def test_unsaved_changes_are_saved_before_emailing(repo, monkeypatch, smtp_server):  # noqa: F811
    email_env(monkeypatch, smtp_server.port)
    patient, program_id = patient_with_program(repo)
    at = build_page(patient.id, program_id)
    at.number_input(key="build_f_weeks").set_value(6).run()
    assert "You have unsaved changes. Save them first" in texts(at.info)
    assert not [b for b in at.button if b.key == f"build_email_{program_id}_1_send"]


def test_a_version_saved_before_the_consent_is_saved_again_with_it_then_sent(repo, monkeypatch,
                                                                             smtp_server):  # noqa: F811
    email_env(monkeypatch, smtp_server.port)
    patient, program_id = patient_with_program(repo, consent=False)
    services.patients.update_patient(patient.id, {**patient.model_dump(include={"name", "email"}),
                                                  "email_consent": True},
                          repo=repo, actor="Test Physio")
    at = build_page(patient.id, program_id)
    assert "version 1 was saved before the patient agreed" in texts(at.warning)
    assert at.button(key=f"build_email_{program_id}_1_send").disabled
    at.button(key=f"build_email_{program_id}_1_fix").click().run()
    assert not at.exception
    _, saved = services.programs.get_version(program_id, 2, repo=repo)
    assert saved.patient.email_consent is True
    send(at, program_id, 2)
    assert len(smtp_server.inbox.received) == 1


@pytest.mark.parametrize("name", ["Zoë Ñúñez", "O'Brien & <Sons>"])
def test_with_consent_the_server_receives_one_email_with_the_handout_attached(
    repo, monkeypatch, smtp_server, name  # noqa: F811
):
    email_env(monkeypatch, smtp_server.port)
    patient, program_id = patient_with_program(repo, name)
    at = build_page(patient.id, program_id)
    assert f"**To:** {md(ADDRESS)}" in texts(at.markdown)
    assert "**Email consent:** yes" in texts(at.markdown)
    send(at, program_id)
    assert said(at.success, md(f"Sent to {ADDRESS} at "))
    (received,) = smtp_server.inbox.received
    assert received.rcpt_tos == [ADDRESS]
    message = received.message
    assert message["To"].addresses[0].addr_spec == ADDRESS
    assert message["From"].addresses[0].addr_spec == "desk@example.org"
    pdf = attachment(message)
    assert pdf.get_content_type() == "application/pdf" and pdf.get_filename() == "exercise-program.pdf"
    assert pdf.get_content() == outbox.render_version(program_id, 1, repo=repo)
    assert name.split()[0] in message.get_body(("plain",)).get_content()
    (stored,) = outbox.list_outbox(repo=repo)
    assert stored.status == "sent" and stored.attempts == 1 and stored.program_version == 1


def test_a_pdf_password_locks_the_attachment_and_is_never_in_the_email(repo, monkeypatch, smtp_server):  # noqa: F811
    email_env(monkeypatch, smtp_server.port)
    patient, program_id = patient_with_program(repo)
    at = build_page(patient.id, program_id)
    box = next(t for t in at.text_input if t.label == "PDF password (optional)")
    assert box.proto.type == box.proto.PASSWORD
    box.input("knee-2026-secret")
    send(at, program_id)
    (received,) = smtp_server.inbox.received
    assert b"knee-2026-secret" not in received.data
    assert LOCKED_PDF_NOTE in received.message.get_body(("plain",)).get_content()
    reader = PdfReader(io.BytesIO(attachment(received.message).get_content()))
    assert reader.is_encrypted and reader.decrypt("knee-2026-secret")
    box = next(t for t in at.text_input if t.label == "PDF password (optional)")
    assert box.value == ""  # a fresh, empty box: the password is not kept on the page


def test_server_down_says_it_will_retry_and_the_email_stays_queued(repo, monkeypatch, closed_port):  # noqa: F811
    email_env(monkeypatch, closed_port)
    patient, program_id = patient_with_program(repo)
    at = build_page(patient.id, program_id)
    send(at, program_id)
    said = at.warning[-1].value
    assert said.startswith(md(f"Not sent yet to {ADDRESS}. Could not connect to the mail server"))
    assert "It will be tried again automatically at" in said and "try 2 of 6" in said
    (stored,) = outbox.list_outbox(repo=repo)
    assert stored.status == "queued" and stored.attempts == 1 and "connection refused" in stored.last_error


def test_retry_on_the_patients_page_sends_the_waiting_email(repo, monkeypatch, closed_port, smtp_server):  # noqa: F811
    email_env(monkeypatch, closed_port)
    patient, program_id = patient_with_program(repo)
    send(build_page(patient.id, program_id), program_id)
    (waiting,) = outbox.list_outbox(repo=repo)
    at = patients_page(patient.id)
    assert ":orange-badge[Waiting to be sent]" in texts(at.markdown)
    assert "Could not connect to the mail server" in texts(at.caption)
    email_env(monkeypatch, smtp_server.port)  # the server is back
    at.run()
    at.button(key=f"patients_emails_retry_{waiting.id}").click().run()
    assert not at.exception
    assert said(at.success, md(f"Sent to {ADDRESS} at "))
    assert ":green-badge[Sent]" in texts(at.markdown)
    assert not [b for b in at.button if b.key == f"patients_emails_retry_{waiting.id}"]  # nothing left to retry
    (received,) = smtp_server.inbox.received
    assert attachment(received.message).get_content() == outbox.render_version(program_id, 1, repo=repo)
    assert outbox.get_message(waiting.id, repo=repo).status == "sent"


def test_any_version_is_emailed_from_the_program_history(repo, monkeypatch, smtp_server):  # noqa: F811
    email_env(monkeypatch, smtp_server.port)
    patient, program_id = patient_with_program(repo, versions=2)
    at = patients_page(patient.id)
    at.selectbox(key=f"patients_version_{program_id}").set_value(1).run()
    at.session_state[f"patients_email_{program_id}_1_open"] = True
    at.run()
    send(at, program_id, 1, page="patients")
    assert said(at.success, md(f"Sent to {ADDRESS}"))
    (received,) = smtp_server.inbox.received
    assert attachment(received.message).get_content() == outbox.render_version(program_id, 1, repo=repo)
    assert attachment(received.message).get_content() != outbox.render_version(program_id, 2, repo=repo)
    (stored,) = outbox.list_outbox(repo=repo, patient_id=patient.id)
    assert stored.program_version == 1


def test_a_patient_without_emails_is_told_how_to_send_one(repo):
    patient, _ = patient_with_program(repo)
    at = patients_page(patient.id)
    assert "No emails yet" in texts(at.info)


def test_a_silent_server_never_holds_the_page_longer_than_the_timeout(repo, monkeypatch, silent_server):  # noqa: F811
    email_env(monkeypatch, silent_server, timeout="1")
    patient, program_id = patient_with_program(repo)
    at = build_page(patient.id, program_id)
    started = time.monotonic()
    send(at, program_id)
    took = time.monotonic() - started
    assert took < 1 + 3  # one second for the server, the rest for rendering the PDF and drawing the page
    said = at.warning[-1].value
    assert "did not finish within 1 seconds" in said or "did not answer within 1 seconds" in said
    deadline = time.monotonic() + 10
    while outbox.list_outbox(repo=repo)[0].status == "sending" and time.monotonic() < deadline:
        time.sleep(0.05)  # let the try that went on in the background record its result
    assert outbox.list_outbox(repo=repo)[0].status == "queued"


def test_an_email_the_server_never_confirms_is_shown_as_unknown_with_retry_for_a_person(
    repo, monkeypatch, smtp_server  # noqa: F811
):
    email_env(monkeypatch, smtp_server.port, timeout="1")
    smtp_server.inbox.data_delay_seconds = 60  # takes the whole email, then keeps the page waiting for its answer
    patient, program_id = patient_with_program(repo)
    at = build_page(patient.id, program_id)
    send(at, program_id)
    said = at.warning[-1].value
    assert said.startswith(md(f"The email to {ADDRESS} is with the mail server, which has not confirmed it yet"))
    assert "Do not send it again meanwhile" in said
    (stored,) = outbox.list_outbox(repo=repo)
    assert stored.status == "unknown" and smtp_server.inbox.handed_over == 1

    at = patients_page(patient.id)
    assert ":violet-badge[Unknown: check first]" in texts(at.markdown)
    assert md("It may have arrived, so it is not sent again by itself.") in texts(at.caption)
    retry = at.button(key=f"patients_emails_retry_{stored.id}")
    assert retry.help == "Only if the patient did not get it"
