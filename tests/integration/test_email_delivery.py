"""The app's "Email to patient" and Retry (rehab.services.email) on SQLite and PostgreSQL, against real SMTP
servers on loopback: queued first, tried once, and the caller never waits longer than REHAB_SMTP_TIMEOUT."""

# ruff: noqa: F811 - the fixtures are imported from smtp_servers and requested by name as arguments

from __future__ import annotations

import time

import pytest

from rehab import services
from rehab.config import Settings, SettingsError
from rehab.domain.records import AuditAction
from rehab.mail import InvalidEmail
from rehab.services import email as outbox
from rehab.services.email import check_password, email_handout, retry_now, send_in_time, setup_problem
from rehab.words.email import EMAIL_OFF, NO_SENDER
from tests.support.servers import (  # noqa: F401 - fixtures are used by name
    closed_port,
    dawdling_server,
    smtp_server,
)
from tests.support.storage_samples import sample_program

ACTOR = "ana@clinic.example.org"


def settings_for(port: int, timeout: float = 5.0, **changes) -> Settings:
    values = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
              "mail_from": "Knee Clinic <desk@clinic.example.org>", "smtp_timeout": timeout}
    return Settings(**{**values, **changes})


@pytest.fixture
def program_id(repo) -> int:
    return services.programs.save_program(sample_program(), repo=repo, actor=ACTOR).program_id


def settle(repo, message_id: int, seconds: float = 15) -> outbox.OutboxMessage:
    """The message once a try still running in the background has recorded its result."""
    deadline = time.monotonic() + seconds
    message = outbox.get_message(message_id, repo=repo)
    while message.status == "sending" and time.monotonic() < deadline:
        time.sleep(0.05)
        message = outbox.get_message(message_id, repo=repo)
    return message


def test_email_handout_queues_then_sends_the_versions_pdf(repo, program_id, smtp_server):
    message = email_handout(program_id, 1, repo=repo, settings=settings_for(smtp_server.port), actor=ACTOR)
    assert (message.status, message.attempts, message.program_version) == ("sent", 1, 1)
    (received,) = smtp_server.inbox.received
    assert received.rcpt_tos == ["zoe@example.org"]
    (part,) = list(received.message.iter_attachments())
    assert part.get_content() == outbox.render_version(program_id, 1, repo=repo)
    actions = [e.action for e in services.audit.audit_trail(repo=repo) if e.outbox_id == message.id]
    assert AuditAction.EMAIL_QUEUE in actions and AuditAction.EMAIL_SENT in actions


def test_a_server_that_is_down_leaves_the_email_queued_for_a_later_try(repo, program_id, closed_port):
    message = email_handout(program_id, 1, repo=repo, settings=settings_for(closed_port), actor=ACTOR)
    assert (message.status, message.attempts) == ("queued", 1)
    assert "connection refused" in message.last_error
    assert message.next_attempt_at > message.created_at


def test_retry_now_sends_a_waiting_email_and_is_audited(repo, program_id, closed_port, smtp_server):
    waiting = email_handout(program_id, 1, repo=repo, settings=settings_for(closed_port), actor=ACTOR)
    sent = retry_now(waiting.id, repo=repo, settings=settings_for(smtp_server.port), actor=ACTOR)
    assert (sent.id, sent.status, sent.attempts) == (waiting.id, "sent", 1)  # Retry starts a fresh count
    assert len(smtp_server.inbox.received) == 1
    actions = [e.action for e in services.audit.audit_trail(repo=repo) if e.outbox_id == waiting.id]
    assert AuditAction.EMAIL_RETRY in actions
    with pytest.raises(outbox.OutboxError):  # a sent email is not sent again
        retry_now(waiting.id, repo=repo, settings=settings_for(smtp_server.port), actor=ACTOR)
    assert len(smtp_server.inbox.received) == 1


def test_the_caller_never_waits_longer_than_the_timeout(repo, program_id, dawdling_server):
    config = settings_for(dawdling_server, timeout=1.0)
    message_id = outbox.queue_handout_email(program_id, 1, repo=repo, actor=ACTOR, settings=config)
    started = time.monotonic()
    message = send_in_time(message_id, repo=repo, settings=config)
    waited = time.monotonic() - started
    assert waited < 1.0 + 0.3  # every reply alone is in time; the whole conversation is not
    assert message.status == "sending"  # the try goes on in the background ...
    finished = settle(repo, message_id)
    assert finished.status in {"queued", "failed"} and finished.attempts == 1  # ... and records its result


def test_setup_problems_are_said_plainly_and_nothing_is_queued(repo, program_id):
    assert setup_problem(Settings()) == EMAIL_OFF
    assert setup_problem(settings_for(25, mail_from=None)) == NO_SENDER
    problem = setup_problem(settings_for(25, smtp_security="starttls", smtp_username="desk"))
    assert problem.startswith("The email settings need fixing: REHAB_SMTP_USERNAME")
    assert setup_problem(settings_for(25)) is None
    with pytest.raises(SettingsError):
        email_handout(program_id, 1, repo=repo, settings=Settings(), actor=ACTOR)
    assert outbox.list_outbox(repo=repo) == []


def test_a_pdf_password_must_fit_the_pdf(repo, program_id, smtp_server):
    assert check_password("") is None and check_password(None) is None
    assert check_password("Zoë-2026") == "Zoë-2026"
    with pytest.raises(InvalidEmail, match="^password: too long"):
        email_handout(program_id, 1, repo=repo, settings=settings_for(smtp_server.port), actor=ACTOR,
                      password="ż" * 64)  # 128 bytes in UTF-8
    assert outbox.list_outbox(repo=repo) == [] and smtp_server.inbox.received == []
