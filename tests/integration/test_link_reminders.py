"""Reminder emails from the patient link (issue 16), on SQLite and PostgreSQL with a real SMTP server: the patient
opts in on the page (consent recorded), a daily run queues one email per chosen day through the outbox, the
worker sends it, and its stop link (or the mail program's one-click unsubscribe) stops them without signing in."""

# ruff: noqa: F811 - the SMTP fixture is imported and requested by name

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from rehab import services
from rehab.config import Settings
from rehab.domain.records import AuditAction
from rehab.mail import SmtpMailer
from rehab.services import email as outbox
from rehab.services import link_reminders
from rehab.services import patient_links as links
from server.patient_route import form_token, routes
from tests.support.servers import smtp_server  # noqa: F401 - a fixture, used by name
from tests.support.storage_samples import sample_program
from ui.context import accounts_repository

NOW = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)  # a Monday
BASE = "https://clinic.example.org"
SETTINGS = Settings(smtp_host="127.0.0.1", smtp_port=25, smtp_security="none", mail_from="desk@example.org")
SAME_SITE = {"sec-fetch-site": "same-origin"}


def linked(repo, email: str | None = "zoe@example.org") -> tuple[int, str]:
    program = sample_program(email=email)
    program_id = services.programs.save_program(program, repo=repo, actor="ana@example.org").program_id
    return program_id, links.create_link(program_id, repo=repo, actor="ana@example.org", now=NOW)[1]


def queue(repo, day_offset: int = 0) -> int:
    now = NOW + dt.timedelta(days=day_offset)
    return link_reminders.queue_due_reminders(repo=repo, settings=SETTINGS, base_url=BASE, now=now)


def test_a_reminder_is_queued_once_on_each_chosen_day_and_sent_with_its_stop_link(repo, smtp_server):
    program_id, token = linked(repo)
    links.set_reminders(links.resolve(token, repo=repo, now=NOW), (0, 3))  # Mondays and Thursdays
    assert links.link_for(program_id, repo=repo).reminder_consent_at is not None
    assert queue(repo) == 1 and queue(repo) == 0  # Monday: once, however often the job runs
    assert queue(repo, 1) == 0  # Tuesday: not chosen
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, "none", timeout=5)
    assert len(outbox.send_due(repo=repo, mailer=mailer, worker_id="w").sent) == 1
    [received] = smtp_server.inbox.received
    message = received.message
    assert received.rcpt_tos == ["zoe@example.org"] and "reminder" in message["Subject"].lower()
    stop = message["List-Unsubscribe"].strip("<>")
    assert stop.startswith(BASE + "/r/") and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert stop in text and "Hello Zoë" in text and token not in received.data.decode("ascii", "replace")
    assert links.stop_reminders(stop.rsplit("/", 1)[1], repo=repo)
    assert queue(repo, 3) == 0  # Thursday, but stopped
    entries = {e.action for e in services.audit.audit_trail(repo=repo)}
    assert {AuditAction.LINK_REMINDERS, AuditAction.EMAIL_QUEUE, AuditAction.EMAIL_SENT} <= entries


def test_no_reminder_for_a_revoked_link_an_archived_program_or_a_patient_without_email(repo):
    program_id, token = linked(repo)
    links.set_reminders(links.resolve(token, repo=repo, now=NOW), (0,))
    links.revoke_link(program_id, repo=repo, actor="ana@example.org")
    other_id, other = linked(repo, email=None)
    links.set_reminders(links.resolve(other, repo=repo, now=NOW), (0,))
    assert queue(repo) == 0


@pytest.fixture
def web(repo, monkeypatch):
    monkeypatch.setenv("REHAB_DATABASE_URL", str(repo.engine.url.render_as_string(hide_password=False)))
    st.cache_resource.clear()
    yield TestClient(Starlette(routes=routes()), follow_redirects=False)
    accounts_repository().engine.dispose()  # the route's own engine (one per server), before it is forgotten
    st.cache_resource.clear()


def test_the_page_turns_reminders_on_and_off_and_the_stop_link_works_in_one_click(repo, web):
    program_id, token = linked(repo)
    page = web.get(f"/p/{token}").text
    assert "Email reminders" in page and 'name="day" value="0"' in page
    turned_on = web.post(f"/p/{token}/reminders", data={"csrf": form_token(token), "day": ["0", "4"]},
                         headers=SAME_SITE)
    assert turned_on.status_code == 303 and "saved=reminders" in turned_on.headers["location"]
    assert links.link_for(program_id, repo=repo).reminder_days == (0, 4)
    assert 'value="4" checked' in web.get(f"/p/{token}").text
    assert web.post(f"/p/{token}/reminders", data={"csrf": form_token(token), "day": ["9"]},
                    headers=SAME_SITE).status_code == 400
    assert web.post(f"/p/{token}/reminders", data={"csrf": form_token(token), "day": ["1"]},
                    headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert queue(repo) == 1
    message = outbox.list_outbox(repo=repo)[0]
    stop = outbox.stored_email(message.id, repo=repo)["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    shown = web.get(stop)
    assert shown.status_code == 200 and "Stop my reminder emails" in shown.text  # a scanner's GET stops nothing
    assert links.link_for(program_id, repo=repo).reminder_days == (0, 4)
    one_click = web.post(stop, data={"List-Unsubscribe": "One-Click"}, headers={"sec-fetch-site": "cross-site"})
    assert one_click.status_code == 200 and "Reminders stopped" in one_click.text
    assert links.link_for(program_id, repo=repo).reminder_days == ()
    assert web.post("/r/made-up", data={}).text == one_click.text  # unknown ids answer the same


def test_a_patient_without_an_email_address_is_told_to_ask_the_clinic(repo, web):
    _, token = linked(repo, email=None)
    assert "Ask your clinic to add your email address" in web.get(f"/p/{token}").text
    assert web.post(f"/p/{token}/reminders", data={"csrf": form_token(token), "day": ["0"]},
                    headers=SAME_SITE).status_code == 400
