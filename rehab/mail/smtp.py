"""Send one message over SMTP and sort every fault into "try again later" or "refused for good".

TemporaryMailError: connection refused, timeout, TLS failure, login failure, a 4xx reply, a dropped connection.
PermanentMailError: a 5xx reply to the sender, recipient or message (not a login or STARTTLS problem).

UncertainMailError: the whole message was handed over (the final "." of DATA sent) but no reply came within
``final_reply_timeout``: the server may have it, so it must not be resent automatically.

``timeout`` bounds the connect and each command's reply separately, so a server that hangs costs at most
``timeout`` seconds from its last answer. The reply to the end of the message is the exception: a server may
take a while to accept a message (checking it for spam or viruses), and a client that gives up and sends it again
makes copies. So that reply is awaited for ``final_reply_timeout`` seconds, by default the 10 minutes RFC 5321
(4.5.3.2.6) asks clients to allow. ``send(..., before_final_dot=...)`` runs a callback just before that point of
no return, so a caller can record it first. Error texts never contain the password, and the recipient's address
is replaced by "<recipient>" in server replies, so they are safe to store with the outbox message.
"""

from __future__ import annotations

import functools
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from email.message import EmailMessage

from ..config import SMTP_SECURITY, Settings, SettingsError
from .errors import InvalidEmail, MailDeliveryError, PermanentMailError, TemporaryMailError, UncertainMailError

# 5xx replies that mean "log in / start TLS first" or "login refused": a settings problem, not this message's.
_LOGIN_CODES = frozenset({530, 534, 535, 538})
_MAX_REASON_CHARS = 500
_QUIT_SECONDS = 2.0
FINAL_REPLY_SECONDS = 600.0  # RFC 5321 4.5.3.2.6: the "DATA Termination" timeout is 10 minutes


@functools.cache
def _local_hostname() -> str:
    # smtplib looks this up (a reverse DNS query) on every connection, outside the timeout; once is enough.
    return socket.getfqdn()


class _NoFinalReply(smtplib.SMTPException):
    """The message was handed over in full, but the server's reply to it never came (or the line dropped)."""


class _HandsOverOnce:
    """smtplib's DATA, split at the point of no return: the message, then ``before_final_dot``, then the final
    "." with its own, longer wait for the reply. Mixed into smtplib.SMTP and SMTP_SSL."""

    final_reply_timeout: float = FINAL_REPLY_SECONDS
    before_final_dot: Callable[[], None] | None = None

    def data(self, msg):
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        content = re.sub(rb"(?m)^\.", b"..", msg)  # smtplib's dot-stuffing; msg is bytes from send_message
        if content[-2:] != b"\r\n":
            content += b"\r\n"
        self.send(content)
        if self.before_final_dot is not None:
            self.before_final_dot()
        try:
            self.sock.settimeout(self.final_reply_timeout)
            self.send(b".\r\n")
            return self.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            timed_out = isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)
            raise _NoFinalReply("did not answer" if timed_out else "closed the connection") from None


class _SMTP(_HandsOverOnce, smtplib.SMTP):
    pass


class _SMTP_SSL(_HandsOverOnce, smtplib.SMTP_SSL):  # noqa: N801 - named after smtplib's class
    pass


class SmtpMailer:
    """Sends messages through one SMTP server. ``security``: "starttls" (default), "ssl" (implicit TLS) or "none"."""

    def __init__(
        self,
        host: str,
        port: int,
        security: str = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 15.0,
        ssl_context: ssl.SSLContext | None = None,
        final_reply_timeout: float = FINAL_REPLY_SECONDS,
    ):
        if not host:
            raise SettingsError("REHAB_SMTP_HOST: empty, so email is off; set it to the mail server's host name")
        if security not in SMTP_SECURITY:
            allowed = ", ".join(SMTP_SECURITY)
            raise SettingsError(f"REHAB_SMTP_SECURITY: {security!r} is not allowed; use one of {allowed}")
        if bool(username) != bool(password):
            raise SettingsError("REHAB_SMTP_USERNAME and REHAB_SMTP_PASSWORD: set both to log in, or neither")
        if username and security == "none":
            raise SettingsError(
                "REHAB_SMTP_SECURITY: 'none' would send the password unencrypted; use starttls or ssl to log in"
            )
        if not 0 < timeout <= 600:
            raise SettingsError(f"REHAB_SMTP_TIMEOUT: {timeout:g} is out of range (more than 0, at most 600 seconds)")
        self.host = host
        self.port = int(port)
        self.security = security
        self.username = username or None
        self._password = password or None
        self.timeout = float(timeout)
        self.final_reply_timeout = max(float(final_reply_timeout), self.timeout)
        self._ssl_context = ssl_context

    @classmethod
    def from_settings(cls, settings: Settings, *, ssl_context: ssl.SSLContext | None = None) -> SmtpMailer:
        """A mailer for the configured server; SettingsError naming the variable if email is not set up."""
        return cls(
            settings.smtp_host or "",
            settings.smtp_port_or_default,
            settings.smtp_security,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_timeout,
            ssl_context,
        )

    def __repr__(self) -> str:
        login = f", username={self.username!r}, password='********'" if self.username else ""
        return f"SmtpMailer({self.host!r}, {self.port}, {self.security!r}{login}, timeout={self.timeout:g})"

    def describe(self) -> str:
        """Host, port and security in words, e.g. for the test email; never the login."""
        return f"{self.host}:{self.port} ({self.security})"

    def send(self, msg: EmailMessage, *, before_final_dot: Callable[[], None] | None = None) -> None:
        """Deliver ``msg`` (exactly one To address, no Cc/Bcc) or raise TemporaryMailError / PermanentMailError /
        UncertainMailError. ``before_final_dot`` runs once the whole message is with the server, just before the
        final "." that tells it to take the message; if it raises, the message is not handed over."""
        sender, recipient = _envelope(msg)
        smtp = None
        try:
            smtp = self._connect()
            smtp.final_reply_timeout = self.final_reply_timeout
            smtp.before_final_dot = before_final_dot
            if self.security == "starttls":
                smtp.starttls(context=self._context())
            if self.username:
                smtp.login(self.username, self._password or "")
            smtp.send_message(msg, from_addr=sender, to_addrs=[recipient])
        except (smtplib.SMTPException, OSError) as exc:
            if smtp is not None:
                smtp.close()  # no QUIT: after a timeout it would wait the whole timeout again
            raise self._classify(exc, recipient) from None
        except BaseException:  # e.g. ``before_final_dot`` refused: hang up without the final "."
            if smtp is not None:
                smtp.close()
            raise
        _quit_quietly(smtp)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return _SMTP_SSL(
                self.host, self.port, local_hostname=_local_hostname(), timeout=self.timeout, context=self._context()
            )
        return _SMTP(self.host, self.port, local_hostname=_local_hostname(), timeout=self.timeout)

    def _context(self) -> ssl.SSLContext:
        # The default context checks the certificate and that it names self.host.
        return self._ssl_context or ssl.create_default_context()

    def _classify(self, exc: BaseException, recipient: str) -> MailDeliveryError:
        server = f"{self.host}:{self.port}"
        if isinstance(exc, _NoFinalReply):
            return UncertainMailError(
                f"the mail server at {server} {exc} after the whole message was handed over "
                f"(waited up to {self.final_reply_timeout:g} seconds); it may have the message"
            )
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            text = self._scrub(_reply_text(exc.smtp_error), recipient)
            reason = f"the mail server did not accept the login: {exc.smtp_code} {text}"
            return TemporaryMailError(reason, exc.smtp_code)
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            code, reply = next(iter(exc.recipients.values()), (None, b""))
            return self._by_code(code, reply, "refused the recipient", recipient)
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return self._by_code(exc.smtp_code, exc.smtp_error, "refused the sender address", recipient)
        if isinstance(exc, smtplib.SMTPDataError):
            return self._by_code(exc.smtp_code, exc.smtp_error, "refused the message", recipient)
        if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPHeloError):
            # A refusal at greeting or EHLO is about this connection, not this message: try again later.
            text = self._scrub(_reply_text(exc.smtp_error), recipient)
            reason = f"the mail server at {server} refused the connection: {exc.smtp_code} {text}"
            return TemporaryMailError(reason, exc.smtp_code)
        if isinstance(exc, smtplib.SMTPResponseException):
            return self._by_code(exc.smtp_code, exc.smtp_error, "replied with an error", recipient)
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return TemporaryMailError(f"the mail server at {server} does not support this: {exc}")
        if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, TimeoutError):
            # smtplib reports a reply that never came as a disconnect; the timeout is the real cause.
            return TemporaryMailError(f"the mail server at {server} did not answer within {self.timeout:g} seconds")
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return TemporaryMailError(f"the mail server at {server} closed the connection unexpectedly")
        if isinstance(exc, smtplib.SMTPException):
            text = self._scrub(str(exc), recipient)
            return TemporaryMailError(f"the mail server at {server} could not be used: {text}")
        if isinstance(exc, ssl.SSLError):
            return TemporaryMailError(f"TLS with the mail server at {server} failed: {_tls_reason(exc)}")
        if isinstance(exc, TimeoutError):
            return TemporaryMailError(f"the mail server at {server} did not answer within {self.timeout:g} seconds")
        if isinstance(exc, ConnectionRefusedError):
            return TemporaryMailError(f"could not connect to the mail server at {server}: connection refused")
        if isinstance(exc, socket.gaierror):
            return TemporaryMailError(f"could not find the mail server {self.host!r}: {exc.strerror or exc}")
        return TemporaryMailError(f"network problem with the mail server at {server}: {exc.strerror or exc}")

    def _by_code(self, code: int | None, reply: bytes | str, what: str, recipient: str) -> MailDeliveryError:
        text = self._scrub(_reply_text(reply), recipient)
        reason = f"the mail server {what}: {code} {text}" if code is not None else f"the mail server {what}: {text}"
        if code is not None and 500 <= code <= 599 and code not in _LOGIN_CODES:
            return PermanentMailError(reason, code)
        return TemporaryMailError(reason, code)

    def _scrub(self, text: str, recipient: str) -> str:
        if self._password and len(self._password) >= 4:
            text = text.replace(self._password, "********")
        if recipient:
            text = re.sub(re.escape(recipient), "<recipient>", text, flags=re.IGNORECASE)
        return text


def _envelope(msg: EmailMessage) -> tuple[str, str]:
    for header in ("Cc", "Bcc"):
        if msg[header] is not None:
            raise InvalidEmail(f"{header}: not allowed; each message goes to exactly one recipient")
    to = msg["To"]
    recipients = list(getattr(to, "addresses", ())) if to is not None else []
    if len(recipients) != 1:
        raise InvalidEmail(f"to: exactly one recipient is allowed, got {len(recipients)}")
    sender = msg["From"]
    senders = list(getattr(sender, "addresses", ())) if sender is not None else []
    if len(senders) != 1:
        raise InvalidEmail("mail_from: the message needs exactly one From address")
    return senders[0].addr_spec, recipients[0].addr_spec


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = " ".join(text.split())
    return text if len(text) <= _MAX_REASON_CHARS else text[: _MAX_REASON_CHARS - 1] + "…"


def _tls_reason(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the server's certificate was not accepted ({exc.verify_message})"
    return exc.reason or str(exc)


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    # The message is accepted: a slow or failed QUIT must not turn success into an error (and a duplicate on retry).
    try:
        if smtp.sock is not None:
            smtp.sock.settimeout(min(smtp.sock.gettimeout() or _QUIT_SECONDS, _QUIT_SECONDS))
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        pass
    finally:
        smtp.close()
