"""`python -m rehab email` and `outbox send|list|retry`; several worker processes share one outbox."""

# ruff: noqa: F811 - the fixtures are imported from smtp_servers and requested by name as arguments

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from rehab import services
from rehab.cli import main
from rehab.config import Settings
from rehab.domain.clinic import load_clinic
from rehab.program.document import dump_program
from rehab.services import email as outbox
from tests.conftest import ROOT
from tests.support.servers import closed_port, smtp_server  # noqa: F401 - fixtures are used by name
from tests.support.storage_samples import sample_program

SENDER = "Test Clinic <desk@clinic.example.org>"


def smtp_env(port: int) -> dict[str, str]:
    return {
        "REHAB_SMTP_HOST": "127.0.0.1",
        "REHAB_SMTP_PORT": str(port),
        "REHAB_SMTP_SECURITY": "none",
        "REHAB_SMTP_USERNAME": "",
        "REHAB_SMTP_PASSWORD": "",
        "REHAB_SMTP_TIMEOUT": "5",
        "REHAB_MAIL_FROM": SENDER,
        "REHAB_MAIL_REPLY_TO": "",
    }


@pytest.fixture
def cli(db_url, monkeypatch, capsys, tmp_path, smtp_server):
    monkeypatch.setenv("REHAB_DATABASE_URL", db_url)
    for name, value in smtp_env(smtp_server.port).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    def run(*argv) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write(path, program) -> str:
    path.write_text(dump_program(program), encoding="utf-8")
    return str(path)


def only_attachment(received) -> bytes:
    (part,) = list(received.message.iter_attachments())
    return part.get_content()


def test_email_sends_the_handout_and_reuses_the_stored_version(cli, repo, tmp_path, smtp_server):
    path = write(tmp_path / "p.json", sample_program())

    code, out, err = cli("email", path, "--to", "zoe@example.org")

    assert (code, err) == (0, "")
    assert out == "program 1 version 1 (saved)\nsent outbox message 1 to zoe@example.org\n"
    (got,) = smtp_server.inbox.received
    assert got.rcpt_tos == ["zoe@example.org"]
    assert only_attachment(got) == outbox.render_version(1, 1, repo=repo)

    code, out, _ = cli("email", path, "--to", "zoe@example.org")
    assert (code, out) == (0, "program 1 version 1 (already stored)\nsent outbox message 2 to zoe@example.org\n")
    assert [p.current_version for p in services.programs.list_programs(repo=repo)] == [1]
    code, out, _ = cli("outbox", "list", "--status", "sent")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["2", "1"]


def test_email_without_consent_exits_1_and_stores_nothing(cli, repo, tmp_path, smtp_server):
    program = sample_program()
    program = program.model_copy(update={"patient": program.patient.model_copy(update={"email_consent": False})})

    code, out, err = cli("email", write(tmp_path / "p.json", program), "--to", "zoe@example.org")

    assert (code, out) == (1, "")
    assert err.startswith("error: email blocked: ") and "patient.email_consent is not true" in err
    assert services.programs.list_programs(repo=repo) == [] and outbox.list_outbox(repo=repo) == []
    assert smtp_server.inbox.received == []


def test_email_with_a_bad_address_or_no_mail_settings_exits_1(cli, repo, tmp_path, monkeypatch):
    path = write(tmp_path / "p.json", sample_program())
    code, _, err = cli("email", path, "--to", "not-an-address")
    assert code == 1 and "to: not a valid email address" in err and "Traceback" not in err
    monkeypatch.setenv("REHAB_SMTP_HOST", "")
    code, _, err = cli("email", path, "--to", "zoe@example.org")
    assert code == 1 and "REHAB_SMTP_HOST" in err
    assert outbox.list_outbox(repo=repo) == []
    with pytest.raises(SystemExit) as usage:
        cli("email", path)  # --to is required
    assert usage.value.code == 2


def test_email_with_the_server_down_keeps_the_message_queued_then_the_worker_sends_it(
    cli, repo, tmp_path, smtp_server, closed_port, monkeypatch
):
    path = write(tmp_path / "p.json", sample_program())
    monkeypatch.setenv("REHAB_SMTP_PORT", str(closed_port))

    code, out, err = cli("email", path, "--to", "zoe@example.org", "--password", "Blue-Kettle-4821")

    assert code == 1 and out == "program 1 version 1 (saved)\n"
    assert "outbox message 1 is not sent yet: could not connect to the mail server" in err
    assert "it stays queued; the next try is due at " in err
    code, out, _ = cli("outbox", "list")
    assert code == 0 and out.startswith("1  queued, next try ") and "attempts 1" in out and "connection refused" in out

    monkeypatch.setenv("REHAB_SMTP_PORT", str(smtp_server.port))
    assert cli("outbox", "send") == (0, "sent 0, to retry later 0, failed 0\n", "")  # not due for a minute
    assert cli("outbox", "retry", "1")[0] == 0
    assert cli("outbox", "send") == (0, "sent 1, to retry later 0, failed 0; sent: 1\n", "")
    (got,) = smtp_server.inbox.received
    assert "locked with a password" in got.message.get_body(("plain",)).get_content()
    code, _, err = cli("outbox", "retry", "1")
    assert code == 1 and "outbox message 1 was sent on" in err


def test_outbox_list_on_an_empty_outbox_and_usage_errors(cli):
    assert cli("outbox", "list") == (0, "the outbox is empty\n", "")
    assert cli("outbox", "list", "--status", "failed") == (0, "no failed messages\n", "")
    with pytest.raises(SystemExit) as usage:
        cli("outbox", "send", "--limit", "0")
    assert usage.value.code == 2
    assert cli("outbox", "retry", "7")[0] == 1


def queue_batch(repo, port: int, count: int, monkeypatch) -> set[str]:
    """``count`` queued emails of one program version, each to its own address; returns the addresses."""
    services.programs.save_program(sample_program(), repo=repo, actor="t")
    pdf = outbox.render_version(1, 1, repo=repo)
    monkeypatch.setattr(outbox, "_render", lambda *args: pdf)  # the same handout each time: render it once
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", mail_from=SENDER)
    addresses = {f"patient{i}@example.org" for i in range(count)}
    for address in sorted(addresses):
        outbox.queue_handout_email(1, 1, repo=repo, actor="t", settings=settings, to=address)
    return addresses


def test_two_worker_processes_send_every_message_exactly_once(db_url, repo, smtp_server, monkeypatch):
    addresses = queue_batch(repo, smtp_server.port, 30, monkeypatch)
    smtp_server.inbox.data_delay_seconds = 0.1  # each send takes a while, so the two workers overlap
    env = {**os.environ, **smtp_env(smtp_server.port), "REHAB_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "rehab", "outbox", "send"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]
    elapsed = time.monotonic() - started

    assert [w.returncode for w in workers] == [0, 0], results
    received = [rcpt for got in smtp_server.inbox.received for rcpt in got.rcpt_tos]
    assert sorted(received) == sorted(addresses)  # every message once: none lost, none twice
    messages = outbox.list_outbox(repo=repo)
    assert {m.status for m in messages} == {"sent"} and {m.attempts for m in messages} == {1}
    senders = {m.claimed_by for m in messages}
    assert len(senders) == 2, f"one worker did everything in {elapsed:.1f} s; the test did not overlap them"
    counts = sorted(int(out.split()[1].rstrip(",")) for out, _ in results)
    assert sum(counts) == 30 and counts[0] > 0


def test_a_looping_worker_sends_new_messages_and_stops_cleanly_on_sigterm(db_url, repo, smtp_server, monkeypatch):
    env = {**os.environ, **smtp_env(smtp_server.port), "REHAB_DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "rehab", "outbox", "send", "--loop", "--interval", "0.2"], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        addresses = queue_batch(repo, smtp_server.port, 2, monkeypatch)
        deadline = time.monotonic() + 30
        while len(smtp_server.inbox.received) < 2 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert (worker.returncode, err) == (0, "")
    assert sorted(r for got in smtp_server.inbox.received for r in got.rcpt_tos) == sorted(addresses)
    assert "sent" in out and "Traceback" not in out


def test_email_with_a_clinic_file_brands_the_email_and_the_handout(cli, repo, tmp_path, smtp_server):
    clinic = tmp_path / "clinic.json"
    clinic.write_text('{"format": "rehab.clinic/1", "name": "Ολυμπία Physio", "phone": "555 0199"}', encoding="utf-8")
    path = write(tmp_path / "p.json", sample_program())

    assert cli("email", path, "--to", "zoe@example.org", "--clinic", clinic)[0] == 0

    (got,) = smtp_server.inbox.received
    assert got.message["From"].addresses[0].display_name == "Ολυμπία Physio"
    assert "555 0199" in got.message.get_body(("plain",)).get_content()
    assert only_attachment(got) == outbox.render_version(1, 1, repo=repo, clinic=load_clinic(clinic))
