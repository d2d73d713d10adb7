"""The email outbox on SQLite and PostgreSQL, against a real aiosmtpd server: queue, send, retry, fail, audit."""

# ruff: noqa: F811 - the fixtures are imported from smtp_servers and requested by name as arguments

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from rehab import services
from rehab.config import Settings, SettingsError
from rehab.content.library import load_library
from rehab.domain.clinic import Clinic
from rehab.domain.records import AuditEntry
from rehab.errors import NotFound
from rehab.handout import render_handout
from rehab.mail import LOCKED_PDF_NOTE, MAX_ATTEMPTS, InvalidEmail, SmtpMailer
from rehab.services import email as outbox
from rehab.storage.db import make_engine
from rehab.storage.transfer import export_data, import_data
from tests.support.servers import closed_port, smtp_server  # noqa: F401 - fixtures are used by name
from tests.support.storage_samples import sample_program

from .conftest import new_database_url

ACTOR = "ana@clinic.example.org"
WORKER = "test-worker:1"
CLINIC = Clinic(name="Test Clinic", phone="555 0100", email="desk@clinic.example.org")
# Ahead of the real clock: queued messages are due from the moment they are written.
T0 = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=1)


def settings_for(port: int) -> Settings:
    sender = "Ignored Name <noreply@clinic.example.org>"  # the From name is always the clinic's
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", mail_from=sender)


def mailer_for(port: int) -> SmtpMailer:
    return SmtpMailer("127.0.0.1", port, "none", timeout=5)


def with_consent(program, consent: bool):
    return program.model_copy(update={"patient": program.patient.model_copy(update={"email_consent": consent})})


@pytest.fixture
def saved(repo):
    """Program 1 with two versions (the second changes the notes), for a patient who agreed to email."""
    services.clinic.save_clinic(CLINIC, repo=repo, actor=ACTOR)
    first = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    services.programs.save_program(
        sample_program(notes="Walk 10 minutes a day."), repo=repo, actor=ACTOR, program_id=first.program_id,
        base_version=1,
    )
    return first


def queue(repo, port: int, version: int = 1, **options) -> int:
    return outbox.queue_handout_email(1, version, repo=repo, actor=ACTOR, settings=settings_for(port), **options)


def attachment(msg) -> bytes:
    (part,) = list(msg.iter_attachments())
    assert (part.get_content_type(), part.get_filename()) == ("application/pdf", "exercise-program.pdf")
    return part.get_content()


def test_a_queued_email_is_sent_with_the_handout_of_that_very_version(repo, saved, smtp_server):
    message_id = queue(repo, smtp_server.port, version=1)
    (queued,) = outbox.list_outbox(repo=repo)
    assert (queued.id, queued.status, queued.attempts, queued.program_version) == (message_id, "queued", 0, 1)
    assert (queued.recipient, queued.subject) == ("zoe@example.org", "Your exercise program from Test Clinic")
    assert smtp_server.inbox.received == []  # queueing never sends

    summary = outbox.send_due(repo=repo, mailer=mailer_for(smtp_server.port), worker_id=WORKER)

    assert (summary.sent, summary.retry_later, summary.failed) == ([message_id], [], [])
    (got,) = smtp_server.inbox.received
    msg = got.message
    assert got.rcpt_tos == ["zoe@example.org"] and got.mail_from == "noreply@clinic.example.org"
    assert (msg["From"].addresses[0].display_name, msg["Reply-To"].addresses[0].addr_spec) == (
        "Test Clinic", "desk@clinic.example.org"
    )
    assert "Hello Zoë," in msg.get_body(("plain",)).get_content()
    version, program = services.programs.get_version(1, 1, repo=repo)
    expected = render_handout(
        program, CLINIC, invariant=True, prepared=version.created_at.date(), library=load_library()
    )
    assert attachment(msg) == expected == outbox.render_version(1, 1, repo=repo)
    assert expected != outbox.render_version(1, 2, repo=repo)
    sent = outbox.get_message(message_id, repo=repo)
    assert (sent.status, sent.attempts, sent.claimed_by, sent.last_error) == ("sent", 1, WORKER, None)
    assert sent.sent_at is not None and sent.sent_at >= sent.created_at


def test_the_message_id_stays_the_same_on_every_try(repo, saved, smtp_server):
    message_id = queue(repo, smtp_server.port)
    smtp_server.inbox.data_replies = ["451 4.3.0 Try again later"]
    mailer = mailer_for(smtp_server.port)
    outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=T0)
    outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=T0 + dt.timedelta(minutes=2))
    (got,) = smtp_server.inbox.received
    assert got.message["Message-ID"] == outbox.stored_email(message_id, repo=repo)["Message-ID"]


@pytest.mark.parametrize(
    ("document_consent", "record_consent", "expected"),
    [
        (False, True, ["program 1 version 1: patient.email_consent is not true"]),
        (True, False, ["patient 1: the patient record has no consent to email"]),
        (False, False, ["patient.email_consent is not true", "the patient record has no consent"]),
    ],
)
def test_without_consent_nothing_is_queued_and_the_reason_is_given(
    repo, smtp_server, document_consent, record_consent, expected
):
    patient = services.patients.add_patient(
        {"name": "Zoë Ñúñez", "email": "zoe@example.org", "email_consent": record_consent}, repo=repo, actor=ACTOR
    )
    program = with_consent(sample_program(), document_consent)
    services.programs.save_program(program, repo=repo, actor=ACTOR, patient_id=patient.id)

    with pytest.raises(outbox.EmailBlocked) as caught:
        queue(repo, smtp_server.port)

    assert str(caught.value).startswith("email blocked: ")
    assert len(caught.value.problems) == len(expected)
    for problem, text in zip(caught.value.problems, expected, strict=True):
        assert text in problem
    assert outbox.list_outbox(repo=repo) == []
    latest = services.audit.audit_trail(repo=repo)[0]
    assert (latest.action, latest.patient_id, latest.program_id, latest.version, latest.outbox_id) == (
        "email.blocked", patient.id, 1, 1, None
    )


def test_consent_withdrawn_later_blocks_the_next_email(repo, saved, smtp_server):
    queue(repo, smtp_server.port)
    patient = services.patients.get_patient(1, repo=repo)
    services.patients.update_patient(1, {**patient.model_dump(include={"name", "email"}),
                                         "email_consent": False}, repo=repo,
                           actor=ACTOR)
    with pytest.raises(outbox.EmailBlocked, match="no consent to email"):
        queue(repo, smtp_server.port)
    assert len(outbox.list_outbox(repo=repo)) == 1


def test_with_the_server_down_the_message_stays_queued_for_a_later_try(repo, saved, closed_port):
    message_id = queue(repo, closed_port)
    summary = outbox.send_due(repo=repo, mailer=mailer_for(closed_port), worker_id=WORKER, now=T0)
    assert summary.retry_later == [message_id]
    waiting = outbox.get_message(message_id, repo=repo)
    assert (waiting.status, waiting.attempts, waiting.next_attempt_at) == ("queued", 1, T0 + dt.timedelta(minutes=1))
    assert "connection refused" in waiting.last_error and waiting.claimed_by is None
    mailer = mailer_for(closed_port)
    assert outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=T0 + dt.timedelta(seconds=30)).tried == 0
    assert outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=T0 + dt.timedelta(seconds=60)).tried == 1
    again = outbox.get_message(message_id, repo=repo)
    assert (again.status, again.attempts) == ("queued", 2)
    assert again.next_attempt_at == T0 + dt.timedelta(seconds=60 + 300)


def test_a_4xx_reply_is_retried_on_the_next_due_run_and_then_sent(repo, saved, smtp_server):
    message_id = queue(repo, smtp_server.port)
    smtp_server.inbox.rcpt_replies = ["451 4.3.0 Mailbox busy, try again later"]
    mailer = mailer_for(smtp_server.port)

    first = outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=T0)
    early = outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=T0 + dt.timedelta(seconds=59))
    waiting = outbox.get_message(message_id, repo=repo)
    due = outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=T0 + dt.timedelta(seconds=61))

    assert (first.retry_later, early.tried, due.sent) == ([message_id], 0, [message_id])
    assert waiting.status == "queued" and "451 4.3.0 Mailbox busy" in waiting.last_error
    sent = outbox.get_message(message_id, repo=repo)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)
    assert len(smtp_server.inbox.received) == 1


def test_temporary_faults_give_up_after_the_last_attempt(repo, saved, closed_port):
    message_id = queue(repo, closed_port)
    moment = T0
    for _ in range(MAX_ATTEMPTS):
        outbox.send_due(repo=repo, mailer=mailer_for(closed_port), worker_id=WORKER, now=moment)
        moment = outbox.get_message(message_id, repo=repo).next_attempt_at
    failed = outbox.get_message(message_id, repo=repo)
    assert (failed.status, failed.attempts) == ("failed", MAX_ATTEMPTS)
    assert failed.last_error.startswith(f"gave up after {MAX_ATTEMPTS} attempts: could not connect")


def test_a_5xx_reply_fails_with_the_servers_reason_and_retry_sends_it(repo, saved, smtp_server):
    message_id = queue(repo, smtp_server.port)
    smtp_server.inbox.rcpt_replies = ["550 5.1.1 No such user here"]
    mailer = mailer_for(smtp_server.port)

    assert outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER).failed == [message_id]
    failed = outbox.get_message(message_id, repo=repo)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.last_error == "the mail server refused the recipient: 550 5.1.1 No such user here"
    assert outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER).tried == 0  # failed stays failed

    retried = outbox.retry_message(message_id, repo=repo, actor=ACTOR)
    assert (retried.status, retried.attempts, retried.last_error) == ("queued", 0, failed.last_error)
    assert outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER).sent == [message_id]
    assert len(smtp_server.inbox.received) == 1
    with pytest.raises(outbox.OutboxError, match=f"outbox message {message_id} was sent on .*nothing to retry"):
        outbox.retry_message(message_id, repo=repo, actor=ACTOR)


def test_send_now_sends_once_and_never_twice(repo, saved, smtp_server):
    message_id = queue(repo, smtp_server.port)
    mailer = mailer_for(smtp_server.port)
    assert outbox.send_now(message_id, repo=repo, mailer=mailer).status == "sent"
    assert outbox.send_now(message_id, repo=repo, mailer=mailer).status == "sent"
    assert outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER).tried == 0
    assert len(smtp_server.inbox.received) == 1


def test_a_claim_left_by_a_dead_worker_is_taken_over_only_when_stale(repo, saved, smtp_server):
    abandoned, busy = queue(repo, smtp_server.port), queue(repo, smtp_server.port)
    now = dt.datetime.now(dt.UTC)
    with repo.transaction(write=True) as tx:
        long_ago = now - dt.timedelta(seconds=outbox.STALE_CLAIM_SECONDS + 1)
        hour_before = long_ago - dt.timedelta(hours=1)
        assert tx.claim_outbox_message(abandoned, "dead-worker:9", long_ago, hour_before, due_only=False)
        assert tx.claim_outbox_message(busy, "busy-worker:8", now, hour_before, due_only=False)
        held = tx.claim_outbox_message(busy, "another:7", now, hour_before, due_only=False)
        assert not held  # held: nobody else gets it

    summary = outbox.send_due(repo=repo, mailer=mailer_for(smtp_server.port), worker_id=WORKER)

    assert (summary.sent, summary.tried) == ([abandoned], 1)
    assert outbox.get_message(busy, repo=repo).status == "sending"
    assert len(smtp_server.inbox.received) == 1


def test_a_locked_pdf_is_sent_with_the_note_and_the_password_goes_nowhere(repo, engine, saved, smtp_server):
    password = "Blue-Kettle-4821"
    message_id = queue(repo, smtp_server.port, password=password)
    outbox.send_due(repo=repo, mailer=mailer_for(smtp_server.port), worker_id=WORKER)

    (got,) = smtp_server.inbox.received
    text = got.message.get_body(("plain",)).get_content()
    assert LOCKED_PDF_NOTE in text and password not in text
    assert password.encode() not in got.data and password.encode() not in outbox.stored_email(message_id, repo=repo)
    reader = PdfReader(io.BytesIO(attachment(got.message)))
    assert reader.is_encrypted and reader.decrypt(password) and len(reader.pages) >= 3
    assert password not in json.dumps(export_data(engine))  # neither in any table nor in any stored email

    with pytest.raises(InvalidEmail, match="no password was given"):
        queue(repo, smtp_server.port, password_protected=True)
    assert len(outbox.list_outbox(repo=repo)) == 1


def test_bad_input_and_missing_settings_queue_nothing(repo, saved, smtp_server):
    with pytest.raises(InvalidEmail, match="to: exactly one recipient"):
        queue(repo, smtp_server.port, to="a@example.org, b@example.org")
    with pytest.raises(InvalidEmail, match="to: contains a line break"):
        queue(repo, smtp_server.port, to="zoe@example.org\r\nBcc: x@example.org")
    with pytest.raises(SettingsError, match="REHAB_MAIL_FROM"):
        outbox.queue_handout_email(1, 1, repo=repo, actor=ACTOR, settings=Settings(smtp_host="127.0.0.1"))
    with pytest.raises(SettingsError, match="REHAB_SMTP_HOST"):
        outbox.queue_handout_email(1, 1, repo=repo, actor=ACTOR, settings=Settings(mail_from="a@example.org"))
    with pytest.raises(NotFound, match="no version 7"):
        queue(repo, smtp_server.port, version=7)
    assert outbox.list_outbox(repo=repo) == []


def test_every_step_is_audited_with_ids_only(repo, saved, smtp_server, closed_port):
    message_id = queue(repo, smtp_server.port, to="other@example.org")
    outbox.send_due(repo=repo, mailer=mailer_for(closed_port), worker_id=WORKER, now=T0)
    outbox.retry_message(message_id, repo=repo, actor=ACTOR)
    outbox.send_due(repo=repo, mailer=mailer_for(smtp_server.port), worker_id=WORKER)

    trail = [e for e in services.audit.audit_trail(repo=repo) if e.outbox_id == message_id][::-1]
    assert [(e.action, e.actor) for e in trail] == [
        ("email.queue", ACTOR), ("email.deferred", WORKER), ("email.retry", ACTOR), ("email.sent", WORKER)
    ]
    assert {(e.patient_id, e.program_id, e.version) for e in trail} == {(1, 1, 1)}
    assert set(AuditEntry.model_fields) == {
        "id", "at", "actor", "action", "patient_id", "program_id", "version", "outbox_id", "template_id"
    }


def test_the_outbox_lists_by_status_and_keeps_every_message(repo, saved, smtp_server):
    first = queue(repo, smtp_server.port)
    second = queue(repo, smtp_server.port, version=2)
    outbox.send_now(first, repo=repo, mailer=mailer_for(smtp_server.port))
    assert [m.id for m in outbox.list_outbox(repo=repo)] == [second, first]
    assert [m.id for m in outbox.list_outbox(repo=repo, status="sent")] == [first]
    assert [m.id for m in outbox.list_outbox(repo=repo, status="queued", program_id=1)] == [second]
    assert outbox.list_outbox(repo=repo, patient_id=99) == []
    with pytest.raises(NotFound, match="outbox message 99 does not exist"):
        outbox.get_message(99, repo=repo)


def test_the_clinics_own_templates_are_used(repo, saved, smtp_server):
    templates = {
        "email_subject_template": "Exercises from {clinic_name}",
        "email_body_template": "Hi {patient_first_name}.",
    }
    own = Clinic.model_validate({**CLINIC.model_dump(), **templates})
    services.clinic.save_clinic(own, repo=repo, actor=ACTOR)
    message_id = queue(repo, smtp_server.port)
    stored = outbox.get_message(message_id, repo=repo)
    assert (stored.subject, stored.body.strip()) == ("Exercises from Test Clinic", "Hi Zoë.")
    given = queue(repo, smtp_server.port, subject_template="From {clinic_name}")
    assert outbox.get_message(given, repo=repo).subject == "From Test Clinic"


def test_export_and_import_keep_the_outbox_and_its_stored_emails(request, tmp_path, engine, repo, saved, smtp_server):
    sent = queue(repo, smtp_server.port)
    outbox.send_now(sent, repo=repo, mailer=mailer_for(smtp_server.port))
    waiting = queue(repo, smtp_server.port, version=2)
    exported = export_data(engine)

    target = make_engine(new_database_url(request, engine.dialect.name, tmp_path, name="copy"))
    request.addfinalizer(target.dispose)
    copy = services.bootstrap.connect(engine=target)
    import_data(target, exported)

    assert export_data(target) == exported
    assert outbox.list_outbox(repo=copy) == outbox.list_outbox(repo=repo)
    assert bytes(outbox.stored_email(waiting, repo=copy)) == bytes(outbox.stored_email(waiting, repo=repo))
    assert outbox.send_due(repo=copy, mailer=mailer_for(smtp_server.port), worker_id=WORKER).sent == [waiting]
