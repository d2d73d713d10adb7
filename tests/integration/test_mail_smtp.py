"""SmtpMailer against real aiosmtpd servers on loopback: delivery intact, and every fault sorted correctly."""

# ruff: noqa: F811 - the fixtures are imported from smtp_servers and requested by name as arguments

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta

import pytest

from rehab.config import Settings, SettingsError
from rehab.mail import (
    PermanentMailError,
    SmtpMailer,
    TemporaryMailError,
    UncertainMailError,
    after_failure,
    build_handout_email,
    send_test_email,
)
from tests.support.servers import (  # noqa: F401 - fixtures are used by name
    SMTP_PASSWORD,
    SMTP_USER,
    client_tls_context,
    closed_port,
    refusing_server,
    server_tls_context,
    silent_server,
    smtp_auth_server,
    smtp_server,
    smtp_ssl_server,
    smtp_starttls_server,
    tls_ca,
)

PATIENT = "zoe.nunez@example.org"
SENDER = "noreply@clinic.example.org"
CLINIC_DESK = "desk@clinic.example.org"
SHORT_TIMEOUT = 0.5


def small_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    pdf.drawString(72, 770, "Test handout: glute bridge, 3 sets of 12")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


PDF = small_pdf()


def handout(**changes):
    fields = dict(
        to=PATIENT,
        patient_first_name="Zoë",
        clinician="Test Clinician",
        clinic_name="Test Clinic & <Co>",
        clinic_phone="555 0100",
        clinic_email=CLINIC_DESK,
        mail_from=SENDER,
        reply_to=None,
        pdf_bytes=PDF,
    )
    fields.update(changes)
    return build_handout_email(**fields)


def mailer_for(server, security="none", **kwargs) -> SmtpMailer:
    return SmtpMailer(server.hostname, server.port, security, **kwargs)


def test_plain_smtp_delivers_the_handout_intact(smtp_server):
    mailer_for(smtp_server).send(handout())

    (got,) = smtp_server.inbox.received
    assert got.rcpt_tos == [PATIENT]
    assert got.mail_from == SENDER
    assert not got.tls
    msg = got.message
    (sender,) = msg["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Test Clinic & <Co>", SENDER)
    (reply_to,) = msg["Reply-To"].addresses
    assert (reply_to.display_name, reply_to.addr_spec) == ("Test Clinic & <Co>", CLINIC_DESK)
    assert [a.addr_spec for a in msg["To"].addresses] == [PATIENT]
    assert msg["Subject"] == "Your exercise program from Test Clinic & <Co>"
    assert abs(msg["Date"].datetime - datetime.now(UTC)) < timedelta(minutes=5)
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@clinic.example.org>")

    text = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # CRLF on the wire
    assert text.startswith("Hello Zoë,\n")
    assert "call us at 555 0100" in text
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "<p>Hello Zoë,</p>" in html
    assert "Test Clinic &amp; &lt;Co&gt;" in html and "<Co>" not in html

    (attachment,) = msg.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "exercise-program.pdf"
    assert attachment.get_content() == PDF


def test_starttls_with_a_certificate_made_in_the_test(smtp_starttls_server, client_tls_context):
    mailer_for(smtp_starttls_server, "starttls", ssl_context=client_tls_context).send(handout())

    (got,) = smtp_starttls_server.inbox.received
    assert got.tls
    (attachment,) = got.message.iter_attachments()
    assert attachment.get_content() == PDF


def test_implicit_tls(smtp_ssl_server, client_tls_context):
    mailer_for(smtp_ssl_server, "ssl", ssl_context=client_tls_context).send(handout())

    (got,) = smtp_ssl_server.inbox.received
    assert got.rcpt_tos == [PATIENT]
    (attachment,) = got.message.iter_attachments()
    assert attachment.get_content() == PDF


def test_login_over_starttls(smtp_auth_server, client_tls_context):
    mailer = mailer_for(
        smtp_auth_server, "starttls", username=SMTP_USER, password=SMTP_PASSWORD, ssl_context=client_tls_context
    )
    mailer.send(handout())

    (got,) = smtp_auth_server.inbox.received
    assert got.tls and got.authenticated
    assert SMTP_PASSWORD.encode() not in got.data


def test_wrong_password_is_a_temporary_error_that_never_shows_the_password(smtp_auth_server, client_tls_context):
    wrong = "wrong-password-1234"
    mailer = mailer_for(
        smtp_auth_server, "starttls", username=SMTP_USER, password=wrong, ssl_context=client_tls_context
    )
    started = time.monotonic()
    with pytest.raises(TemporaryMailError) as caught:
        mailer.send(handout())

    assert time.monotonic() - started < 2  # a 535 reply, not a hang until the timeout
    assert caught.value.smtp_code == 535
    assert "did not accept the login" in str(caught.value)
    assert wrong not in str(caught.value) and wrong not in repr(mailer)
    assert smtp_auth_server.inbox.received == []


def test_server_down_is_a_temporary_error(closed_port):
    started = time.monotonic()
    with pytest.raises(TemporaryMailError, match="connection refused"):
        SmtpMailer("127.0.0.1", closed_port, "none", timeout=5).send(handout())
    assert time.monotonic() - started < 1


def test_a_server_that_accepts_the_message_late_gets_it_once_and_is_not_a_timeout(smtp_server):
    smtp_server.inbox.data_delay_seconds = 3 * SHORT_TIMEOUT  # replies 250 after the command timeout has passed
    handed_over = []
    mailer_for(smtp_server, timeout=SHORT_TIMEOUT).send(
        handout(), before_final_dot=lambda: handed_over.append(len(smtp_server.inbox.received))
    )
    assert handed_over == [0]  # called once, before the server had the message
    assert len(smtp_server.inbox.received) == 1


def test_no_answer_after_the_whole_message_is_uncertain_never_a_temporary_failure(smtp_server):
    smtp_server.inbox.data_delay_seconds = 10 * SHORT_TIMEOUT
    mailer = mailer_for(smtp_server, timeout=SHORT_TIMEOUT, final_reply_timeout=2 * SHORT_TIMEOUT)
    started = time.monotonic()
    with pytest.raises(UncertainMailError) as caught:
        mailer.send(handout())
    elapsed = time.monotonic() - started

    assert 2 * SHORT_TIMEOUT <= elapsed < 2 * SHORT_TIMEOUT + 1  # waited the final-reply time, not the timeout
    assert not isinstance(caught.value, TemporaryMailError | PermanentMailError)
    assert caught.value.reason.endswith(
        "did not answer after the whole message was handed over (waited up to 1 seconds); it may have the message"
    )
    assert after_failure(1, caught.value).status == "unknown"


def test_the_final_reply_wait_defaults_to_the_ten_minutes_of_rfc_5321():
    assert SmtpMailer("mail.example.org", 25, "none", timeout=5).final_reply_timeout == 600


def test_a_refused_hand_over_closes_the_connection_before_the_final_dot(smtp_server):
    class NotOurs(Exception):
        pass

    def refuse() -> None:
        raise NotOurs

    with pytest.raises(NotOurs):
        mailer_for(smtp_server).send(handout(), before_final_dot=refuse)
    mailer_for(smtp_server).send(handout())  # the server is fine, and gets only this one
    assert len(smtp_server.inbox.received) == 1


def test_server_that_never_greets_gives_up_after_about_the_timeout(silent_server):
    started = time.monotonic()
    with pytest.raises(TemporaryMailError, match="did not answer within"):
        SmtpMailer("127.0.0.1", silent_server, "none", timeout=SHORT_TIMEOUT).send(handout())
    assert SHORT_TIMEOUT <= time.monotonic() - started < SHORT_TIMEOUT + 1


def test_a_5xx_greeting_refuses_the_connection_not_the_message(refusing_server):
    with pytest.raises(TemporaryMailError) as caught:
        SmtpMailer("127.0.0.1", refusing_server, "none", timeout=2).send(handout())
    assert caught.value.smtp_code == 554
    assert "refused the connection: 554 5.3.2 No service here" in caught.value.reason


def test_a_4xx_reply_stays_queued_and_the_retry_delivers_once(smtp_server):
    smtp_server.inbox.data_replies = ["451 4.3.0 Mailbox busy, try again later"]
    mailer = mailer_for(smtp_server)
    msg = handout()

    with pytest.raises(TemporaryMailError) as caught:
        mailer.send(msg)
    assert caught.value.smtp_code == 451
    assert "451 4.3.0 Mailbox busy, try again later" in caught.value.reason
    decision = after_failure(1, caught.value)
    assert (decision.status, decision.delay_seconds) == ("queued", 60)
    assert smtp_server.inbox.received == []

    mailer.send(msg)
    (got,) = smtp_server.inbox.received
    assert got.message["Message-ID"] == msg["Message-ID"]


def test_a_5xx_reply_is_permanent_with_the_servers_reason(smtp_server):
    smtp_server.inbox.data_replies = ["554 5.6.0 Message content rejected"]
    with pytest.raises(PermanentMailError) as caught:
        mailer_for(smtp_server).send(handout())

    assert caught.value.smtp_code == 554
    assert caught.value.reason == "the mail server refused the message: 554 5.6.0 Message content rejected"
    assert after_failure(1, caught.value).status == "failed"


def test_a_refused_recipient_is_permanent_and_the_reason_hides_the_address(smtp_server):
    smtp_server.inbox.rcpt_replies = [f"550 5.1.1 <{PATIENT}>: Recipient address rejected"]
    with pytest.raises(PermanentMailError) as caught:
        mailer_for(smtp_server).send(handout())

    assert caught.value.smtp_code == 550
    assert "550 5.1.1 <<recipient>>: Recipient address rejected" in caught.value.reason
    assert PATIENT not in caught.value.reason


def test_plain_connection_to_a_server_that_requires_starttls_is_temporary(smtp_starttls_server):
    with pytest.raises(TemporaryMailError) as caught:
        mailer_for(smtp_starttls_server, "none").send(handout())
    assert caught.value.smtp_code == 530


def test_an_untrusted_certificate_is_a_tls_failure(smtp_starttls_server):
    with pytest.raises(TemporaryMailError, match="TLS .* failed: the server's certificate was not accepted"):
        mailer_for(smtp_starttls_server, "starttls").send(handout())  # default context: the test CA is unknown
    assert smtp_starttls_server.inbox.received == []


def test_implicit_tls_to_a_plain_server_is_a_tls_failure(smtp_server, client_tls_context):
    with pytest.raises(TemporaryMailError, match="TLS .* failed"):
        mailer_for(smtp_server, "ssl", ssl_context=client_tls_context, timeout=2).send(handout())


def test_send_test_email_uses_the_settings(smtp_auth_server, client_tls_context):
    settings = Settings.from_env(
        {
            "REHAB_SMTP_HOST": smtp_auth_server.hostname,
            "REHAB_SMTP_PORT": str(smtp_auth_server.port),
            "REHAB_SMTP_USERNAME": SMTP_USER,
            "REHAB_SMTP_PASSWORD": SMTP_PASSWORD,
            "REHAB_MAIL_FROM": f"Test Clinic <{SENDER}>",
            "REHAB_MAIL_REPLY_TO": CLINIC_DESK,
        }
    )
    send_test_email(settings, "someone@example.org", ssl_context=client_tls_context)

    (got,) = smtp_auth_server.inbox.received
    assert got.tls and got.authenticated and got.rcpt_tos == ["someone@example.org"]
    msg = got.message
    assert msg["Subject"] == "Test email from the home exercise program app"
    assert msg["From"].addresses[0].display_name == "Test Clinic"
    assert msg["Reply-To"].addresses[0].addr_spec == CLINIC_DESK
    assert f"{smtp_auth_server.hostname}:{smtp_auth_server.port} (starttls)" in msg.get_body().get_content()
    assert SMTP_PASSWORD.encode() not in got.data


def test_send_test_email_without_a_sender_names_the_setting():
    with pytest.raises(SettingsError, match="REHAB_MAIL_FROM"):
        send_test_email(Settings(smtp_host="127.0.0.1"), "someone@example.org")


def test_from_settings_uses_the_default_port_for_each_security_mode():
    for security, port in (("starttls", 587), ("ssl", 465), ("none", 25)):
        mailer = SmtpMailer.from_settings(Settings(smtp_host="mail.example.org", smtp_security=security))
        assert (mailer.host, mailer.port, mailer.security, mailer.timeout) == ("mail.example.org", port, security, 15)


@pytest.mark.parametrize(
    ("kwargs", "variable"),
    [
        ({"host": ""}, "REHAB_SMTP_HOST"),
        ({"security": "tls"}, "REHAB_SMTP_SECURITY"),
        ({"username": "desk"}, "REHAB_SMTP_PASSWORD"),
        ({"security": "none", "username": "desk", "password": "pw-9876"}, "REHAB_SMTP_SECURITY"),
        ({"timeout": 0}, "REHAB_SMTP_TIMEOUT"),
    ],
)
def test_unusable_mailer_settings_name_the_variable(kwargs, variable):
    fields = {"host": "mail.example.org", "port": 587, **kwargs}
    with pytest.raises(SettingsError, match=variable) as caught:
        SmtpMailer(**fields)
    assert "pw-9876" not in str(caught.value)
