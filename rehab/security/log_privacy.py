"""Logs without patient data: exception messages are kept out of the app's log records.

Our own log calls pass ids and fixed words only. An exception's message is another matter: a bug can raise with
a value in it (a validation error quotes its input, a KeyError its key), and the traceback in the server log
would carry it. ``install()`` makes every record of the ``rehab`` and ``streamlit`` loggers (Streamlit logs
uncaught page errors there) carry the exception's type and where it happened (files, lines, source lines of
code), never its message, and leaves out chained exceptions, whose messages could quote the same data.

SQL logging is the other way data could leak. rehab.storage.db makes engines with ``hide_parameters=True``, so
statements are logged without their values; with SQLAlchemy's logger at DEBUG it would still log each fetched row,
so ``install()`` replaces the values of those DEBUG records with a note.
"""

from __future__ import annotations

import logging
import threading
import traceback

WITHHELD = ("rehab", "streamlit", "__main__")
NOTE = "message withheld: it may quote patient data"
ROWS_NOTE = "(values withheld: rows hold patient data)"

_lock = threading.Lock()
_installed = False


def withhold_exception_text(record: logging.LogRecord) -> None:
    """Replace the record's exception by its type and stack, without the message."""
    if not record.exc_info or record.exc_info[0] is None:
        return
    kind, _, stack = record.exc_info
    frames = "".join(traceback.format_tb(stack)).rstrip("\n")
    record.exc_text = f"Traceback (most recent call last):\n{frames}\n{kind.__module__}.{kind.__qualname__} ({NOTE})"
    record.exc_info = None


def withhold_row_values(record: logging.LogRecord) -> None:
    """SQLAlchemy's DEBUG records ("Row %r", "Col %r") lose their values; the message says where they were."""
    if record.levelno <= logging.DEBUG and record.args:
        record.msg = str(record.msg).split("%", 1)[0] + ROWS_NOTE
        record.args = ()


def install() -> None:
    """Apply the two rules above to every new log record of this process; safe to call repeatedly."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def private_record(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if record.name.split(".", 1)[0] in WITHHELD:
                withhold_exception_text(record)
            elif record.name.startswith("sqlalchemy.engine"):
                withhold_row_values(record)
            return record

        logging.setLogRecordFactory(private_record)
        _installed = True
