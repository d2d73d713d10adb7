"""Servers for tests on loopback: ``free_port`` (the one copy), and real aiosmtpd servers for the mail
tests; import the fixtures a test module uses.

Each server keeps what it received in ``server.inbox`` (an Inbox). Scripted replies make it answer 4xx/5xx
or stall, so every fault the mailer sorts is produced by a real SMTP conversation, not a mock.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER = "clinic-desk"
SMTP_PASSWORD = "correct horse battery staple"  # noqa: S105 - the test server's own login


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    authenticated: bool

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Inbox:
    """aiosmtpd handler. ``rcpt_replies`` / ``data_replies`` are used up first, one per command, before 250."""

    received: list[Received] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)
    data_delay_seconds: float = 0.0
    handed_over: int = 0  # whole messages the server was given (each DATA to its final "."), answered or not

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.handed_over += 1
        if self.data_delay_seconds:
            await asyncio.sleep(self.data_delay_seconds)  # cancelled by Controller.stop()
        if self.data_replies:
            return self.data_replies.pop(0)
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                data=envelope.original_content or envelope.content,
                tls=session.ssl is not None,
                authenticated=bool(session.authenticated),
            )
        )
        return "250 Message accepted for delivery"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == SMTP_USER.encode()
        and auth_data.password == SMTP_PASSWORD.encode()
    )
    # handled=False makes aiosmtpd send 535; the default (True) sends nothing and the client hangs.
    return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)


def _start(**kwargs) -> Controller:
    controller = Controller(Inbox(), hostname="127.0.0.1", port=free_port(), **kwargs)  # port=0 does not work
    controller.start()
    controller.inbox = controller.handler
    return controller


@pytest.fixture(scope="session")
def tls_ca():
    import trustme

    return trustme.CA()


@pytest.fixture(scope="session")
def server_tls_context(tls_ca) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def client_tls_context(tls_ca) -> ssl.SSLContext:
    """Trusts only the test CA and checks the host name, like the default context does for a real server."""
    context = ssl.create_default_context()
    tls_ca.configure_trust(context)
    return context


@pytest.fixture
def smtp_server():
    """Plain SMTP, no TLS, no login."""
    controller = _start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp_starttls_server(server_tls_context):
    """Refuses MAIL (530) until the client has run STARTTLS."""
    controller = _start(tls_context=server_tls_context, require_starttls=True)
    yield controller
    controller.stop()


@pytest.fixture
def smtp_ssl_server(server_tls_context):
    """Implicit TLS: the TLS handshake comes first, as on port 465."""
    controller = _start(ssl_context=server_tls_context)
    yield controller
    controller.stop()


@pytest.fixture
def smtp_auth_server(server_tls_context):
    """STARTTLS required, then AUTH (offered only over TLS) with SMTP_USER / SMTP_PASSWORD."""
    controller = _start(
        tls_context=server_tls_context,
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    yield controller
    controller.stop()


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening: connecting is refused at once."""
    return free_port()


@pytest.fixture
def silent_server():
    """Accepts TCP connections (the kernel's backlog) but never says a word: the greeting never comes."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        yield listener.getsockname()[1]


@contextlib.contextmanager
def serving(handle: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """A loopback TCP server that passes each connection to ``handle`` in its own thread; yields the port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(conn, stop), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()


@pytest.fixture
def refusing_server():
    """Greets every connection with "554 5.3.2 No service here" and hangs up, like a server that refuses us."""

    def refuse(conn: socket.socket, stop: threading.Event) -> None:
        with conn:
            conn.sendall(b"554 5.3.2 No service here\r\n")

    with serving(refuse) as port:
        yield port


@pytest.fixture
def dawdling_server():
    """A server that answers every command, each reply just inside a 1-second socket timeout: only a limit on the
    whole conversation stops a client waiting on it."""

    def talk(conn: socket.socket, stop: threading.Event) -> None:
        with conn:
            conn.settimeout(0.1)
            time.sleep(0.8)
            conn.sendall(b"220 slow.example ESMTP\r\n")
            while not stop.is_set():
                try:
                    if not conn.recv(4096):
                        return
                except TimeoutError:
                    continue
                except OSError:
                    return
                time.sleep(0.8)
                try:
                    conn.sendall(b"250 ok\r\n")
                except OSError:
                    return

    with serving(talk) as port:
        yield port
