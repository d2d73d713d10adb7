"""A mail server that answers late, or never, after it was handed the whole email: the outbox sends no copies.

The server here is the real aiosmtpd one whose reply to the end of DATA is slow (smtp_servers.Inbox), and the
times are scaled down: a 0.5-second command timeout stands for REHAB_SMTP_TIMEOUT=5, and a final-reply wait of a
second or two for the 10 minutes RFC 5321 allows.
"""

# ruff: noqa: F811 - the fixtures are imported from smtp_servers and requested by name as arguments

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

from rehab import services
from rehab.cli import main
from rehab.config import Settings
from rehab.domain.records import HANDED_OVER
from rehab.mail import MAX_ATTEMPTS, RETRY_DELAYS_SECONDS, SmtpMailer
from rehab.services import email as outbox
from tests.conftest import ROOT
from tests.support.servers import smtp_server  # noqa: F401 - a fixture, used by name
from tests.support.storage_samples import sample_program

ACTOR = "ana@clinic.example.org"
WORKER = "test-worker:1"
TIMEOUT = 0.5  # stands for REHAB_SMTP_TIMEOUT=5
SENDER = "Test Clinic <desk@clinic.example.org>"


def queue(repo, port: int) -> int:
    services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", mail_from=SENDER)
    return outbox.queue_handout_email(1, 1, repo=repo, actor=ACTOR, settings=settings)


def run_every_retry(repo, mailer: SmtpMailer) -> list[outbox.SendSummary]:
    """The worker's runs at each moment a retry would be due, and a day later: what a real worker would do."""
    start = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    moments = [start + dt.timedelta(seconds=sum(RETRY_DELAYS_SECONDS[:n]) + 1) for n in range(MAX_ATTEMPTS)]
    return [
        outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=moment, stale_after_seconds=0)
        for moment in [*moments, start + dt.timedelta(days=1)]
    ]


def test_a_server_that_accepts_after_the_timeout_gets_one_copy_not_six(repo, smtp_server):
    message_id = queue(repo, smtp_server.port)
    smtp_server.inbox.data_delay_seconds = 3 * TIMEOUT  # "250 after 8 s with a 5 s timeout"
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, "none", timeout=TIMEOUT)  # the 10-minute final wait

    runs = run_every_retry(repo, mailer)

    assert runs[0].sent == [message_id] and sum(run.tried for run in runs[1:]) == 0
    assert (smtp_server.inbox.handed_over, len(smtp_server.inbox.received)) == (1, 1)
    message = outbox.get_message(message_id, repo=repo)
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, None)


def test_no_answer_after_the_hand_over_makes_the_message_unknown_and_no_worker_sends_it_again(repo, smtp_server):
    message_id = queue(repo, smtp_server.port)
    smtp_server.inbox.data_delay_seconds = 60  # never answers within the final-reply wait
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, "none", timeout=TIMEOUT, final_reply_timeout=2 * TIMEOUT)

    runs = run_every_retry(repo, mailer)

    assert runs[0].unknown == [message_id] and sum(run.tried for run in runs[1:]) == 0
    assert "unknown 1 (check before retrying)" in str(runs[0])
    assert smtp_server.inbox.handed_over == 1  # one copy at most, whatever the server did with it
    message = outbox.get_message(message_id, repo=repo)
    assert (message.status, message.attempts) == ("unknown", 1)
    assert message.last_error.endswith("did not answer after the whole message was handed over (waited up to 1 "
                                       "seconds); it may have the message")
    assert [m.id for m in outbox.list_outbox(repo=repo, status="unknown")] == [message_id]
    actions = [entry.action.value for entry in services.audit.audit_trail(repo=repo, limit=10)]
    assert actions[0] == "email.unknown" and "email.deferred" not in actions

    smtp_server.inbox.data_delay_seconds = 0  # a person checked: it never arrived, so they press Retry
    assert outbox.retry_message(message_id, repo=repo, actor=ACTOR).status == "queued"
    assert outbox.send_now(message_id, repo=repo, mailer=mailer).status == "sent"
    assert smtp_server.inbox.handed_over == 2


def test_a_worker_killed_while_waiting_for_the_answer_leaves_the_message_unknown_not_resent(
    db_url, repo, smtp_server
):
    message_id = queue(repo, smtp_server.port)
    smtp_server.inbox.data_delay_seconds = 60
    env = {
        **os.environ, "PYTHONPATH": str(ROOT), "REHAB_DATABASE_URL": db_url, "REHAB_SMTP_HOST": "127.0.0.1",
        "REHAB_SMTP_PORT": str(smtp_server.port), "REHAB_SMTP_SECURITY": "none", "REHAB_SMTP_USERNAME": "",
        "REHAB_SMTP_PASSWORD": "", "REHAB_SMTP_TIMEOUT": "5", "REHAB_MAIL_FROM": SENDER,
    }
    worker = subprocess.Popen([sys.executable, "-m", "rehab", "outbox", "send"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while smtp_server.inbox.handed_over == 0 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert smtp_server.inbox.handed_over == 1, "the worker never handed the message over"
    finally:
        worker.send_signal(signal.SIGKILL)  # dies while the server holds the message and has not answered
        worker.wait(30)

    message = outbox.get_message(message_id, repo=repo)
    assert (message.status, message.last_error) == ("unknown", HANDED_OVER)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=15, seconds=1)  # when a stale claim is taken over
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, "none", timeout=TIMEOUT)
    assert outbox.send_due(repo=repo, mailer=mailer, worker_id=WORKER, now=later).tried == 0
    assert smtp_server.inbox.handed_over == 1


def test_outbox_list_shows_unknown_messages_with_what_to_do(db_url, repo, smtp_server, monkeypatch, capsys):
    message_id = queue(repo, smtp_server.port)
    smtp_server.inbox.data_delay_seconds = 60
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, "none", timeout=TIMEOUT, final_reply_timeout=TIMEOUT)
    outbox.send_now(message_id, repo=repo, mailer=mailer)
    monkeypatch.setenv("REHAB_DATABASE_URL", db_url)

    assert main(["outbox", "list", "--status", "unknown"]) == 0
    out = capsys.readouterr().out
    assert f"{message_id}  unknown: the server may have it; check before retrying (it is not sent again by " in out
    assert "it may have the message" in out
    assert main(["outbox", "retry", str(message_id)]) == 0
    assert outbox.get_message(message_id, repo=repo).status == "queued"
