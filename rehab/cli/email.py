"""Email commands: ``email FILE --to ADDRESS`` and ``outbox send|list|retry``.

``email`` maps the file to a stored program version first: the newest version of one of that patient's programs
when its document is identical, otherwise a new program (version 1) saved as ``save`` would. It then queues the
email for that version and tries it once. The outbox keeps the message whatever happens, so a later
``outbox send`` (the worker; several may run at once) delivers it. The worker prints counts and message ids only,
so its output can go to a log; ``email`` and ``outbox list`` show recipient addresses to the person at the terminal.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from ..domain.records import OutboxStatus

# SQLAlchemy and reportlab load only when one of these commands runs.


def cmd_email(args: argparse.Namespace) -> int:
    from .. import services
    from ..config import Settings
    from ..domain.clinic import load_clinic
    from ..program.document import load_program
    from ..services import database, email

    settings = Settings.from_env()
    mailer = email.mailer(settings)  # a settings problem stops here, before anything is stored
    clinic = load_clinic(args.clinic) if args.clinic else None
    with database.clinic_opened(settings) as repo:
        with repo.transaction() as tx:
            library = services.exercises.library_for(tx)
        program = load_program(Path(args.file), library=library)
        if not program.patient.email_consent:
            print(
                f"error: email blocked: {args.file}: patient.email_consent is not true; the patient has not agreed "
                "to get email. Once they agree, set it to true and run this again. Nothing was stored or sent.",
                file=sys.stderr,
            )
            return 1
        actor = args.author or program.clinician or "command line"
        info, existed = services.programs.save_unless_stored(program, repo=repo, actor=actor)
        print(f"program {info.program_id} version {info.version} ({'already stored' if existed else 'saved'})")
        message_id = email.queue_handout_email(
            info.program_id, info.version, repo=repo, actor=actor, settings=settings, to=args.to, clinic=clinic,
            password=args.password,
        )
        message = email.send_now(message_id, repo=repo, mailer=mailer)
    return _report(message)


def _report(message) -> int:
    if message.status is OutboxStatus.SENT:
        print(f"sent outbox message {message.id} to {message.recipient}")
        return 0
    if message.status is OutboxStatus.UNKNOWN:
        print(f"error: outbox message {message.id} may or may not have been delivered: {message.last_error}",
              file=sys.stderr)
        print("it is not sent again by itself; check with the patient or the mail server's log, and only if it did "
              f"not arrive run: python -m rehab outbox retry {message.id}", file=sys.stderr)
        return 1
    if message.status is OutboxStatus.FAILED:
        print(f"error: outbox message {message.id} failed: {message.last_error}", file=sys.stderr)
        hint = f"python -m rehab outbox retry {message.id}"
        print(f"it stays in the outbox; fix the cause, then run: {hint}", file=sys.stderr)
        return 1
    reason = f": {message.last_error}" if message.last_error else ""
    when = f"{message.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC"
    print(f"error: outbox message {message.id} is not sent yet{reason}", file=sys.stderr)
    print(f"it stays queued; the next try is due at {when} (run: python -m rehab outbox send)", file=sys.stderr)
    return 1


def cmd_outbox_send(args: argparse.Namespace) -> int:
    from ..config import Settings
    from ..services import database, email

    settings = Settings.from_env()
    mailer = email.mailer(settings)
    worker = email.default_worker_id()
    with database.clinic_opened(settings) as repo:
        if not args.loop:
            _print_run(email.send_due(repo=repo, mailer=mailer, worker_id=worker, limit=args.limit))
            return 0
        stop = threading.Event()
        # Finish the message in hand, then stop: a kill mid-send would leave it claimed until the claim goes stale.
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            while not stop.is_set():
                _loop_run(email, repo, mailer, worker, args.limit)
                stop.wait(args.interval)
        finally:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _loop_run(email, repo, mailer, worker: str, limit: int | None) -> None:
    from ..errors import StorageUnavailable

    try:
        summary = email.send_due(repo=repo, mailer=mailer, worker_id=worker, limit=limit)
    except StorageUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)  # the database may be back by the next run
        return
    if summary.tried:
        _print_run(summary)


def _print_run(summary) -> None:
    ids = (_ids("sent", summary.sent) + _ids("retry later", summary.retry_later) + _ids("failed", summary.failed)
           + _ids("unknown", summary.unknown))
    print(f"{summary}{ids}", flush=True)


def _ids(label: str, ids: list[int]) -> str:
    return f"; {label}: {', '.join(map(str, ids))}" if ids else ""


def cmd_outbox_list(args: argparse.Namespace) -> int:
    from ..services import database, email

    with database.clinic_opened() as repo:
        messages = email.list_outbox(repo=repo, status=args.status, limit=args.limit)
    if not messages:
        print("the outbox is empty" if args.status is None else f"no {args.status} messages")
        return 0
    for m in messages:
        if m.status is OutboxStatus.SENT:
            state = f"sent {m.sent_at:%Y-%m-%d %H:%M} UTC"
        elif m.status is OutboxStatus.QUEUED:
            state = f"queued, next try {m.next_attempt_at:%Y-%m-%d %H:%M} UTC"
        elif m.status is OutboxStatus.UNKNOWN:
            state = "unknown: the server may have it; check before retrying (it is not sent again by itself)"
        else:
            state = m.status
        print(f"{m.id}  {state}  attempts {m.attempts}  program {m.program_id} v{m.program_version}  to {m.recipient}")
        if m.last_error and m.status is not OutboxStatus.SENT:
            print(f"    last error: {m.last_error}")
    return 0


def cmd_outbox_retry(args: argparse.Namespace) -> int:
    from ..services import database, email

    with database.clinic_opened() as repo:
        message = email.retry_message(args.id, repo=repo, actor=args.author or "command line")
    print(f"outbox message {message.id} is queued again; run: python -m rehab outbox send")
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0.1 <= value <= 86_400:
        raise argparse.ArgumentTypeError(f"{value:g} is out of range (0.1 to 86400 seconds)")
    return value


def register(subparsers) -> None:
    p = subparsers.add_parser("email", help="email the handout of a program file to the patient (via the outbox)")
    p.add_argument("file", metavar="FILE", help="program document (JSON); patient.email_consent must be true")
    p.add_argument("--to", required=True, metavar="ADDRESS", help="the patient's email address")
    p.add_argument("--clinic", metavar="C.json", help="clinic profile (default: the stored one)")
    p.add_argument("--password", metavar="PW", help="lock the PDF; the email says the password comes another way")
    p.add_argument("--author", help="who is sending (default: the document's clinician)")
    p.set_defaults(func=cmd_email)

    box = subparsers.add_parser("outbox", help="the email outbox: send what is due, list, retry")
    actions = box.add_subparsers(dest="outbox_command", metavar="ACTION", parser_class=type(box))
    actions.required = True
    p = actions.add_parser("send", help="send every message that is due (safe to run in several processes)")
    p.add_argument("--limit", type=_positive, metavar="N", help="try at most N messages per run")
    p.add_argument("--loop", action="store_true", help="keep running; a new run every --interval seconds")
    p.add_argument("--interval", type=_seconds, default=30.0, metavar="S", help="seconds between runs (default 30)")
    p.set_defaults(func=cmd_outbox_send)
    p = actions.add_parser("list", help="list outbox messages, newest first")
    p.add_argument("--status", choices=[status.value for status in OutboxStatus])
    p.add_argument("--limit", type=_positive, default=50, metavar="N", help="at most N messages (default 50)")
    p.set_defaults(func=cmd_outbox_list)
    p = actions.add_parser("retry", help="queue a failed or unknown message again, with a fresh retry schedule")
    p.add_argument("id", type=int, metavar="ID", help="outbox message id (see: outbox list)")
    p.add_argument("--author", help="who is retrying (default: command line)")
    p.set_defaults(func=cmd_outbox_retry)
