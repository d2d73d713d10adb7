"""One rule for every email address the app keeps or sends to: patients', accounts' and the clinic's outbox.

Syntax only (whether mail arrives is the mail server's business), and only forms the mailer can send: an
address that passes here is never refused later by rehab.mail. Quoted local parts, brackets, parentheses,
spaces and line breaks are all refused, so an "address" such as ``![i](http://host/x.png)@x.org`` cannot be
stored and later shown as Markdown.
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

MAX_CHARS = 254  # the longest address SMTP carries
LINE_BREAK = "it has a line break or a control character"
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # text read backwards


class NotAnEmailAddress(ValueError):
    """The value is not an email address; the message says why without repeating the whole value."""


def ascii_address(value: str) -> str:
    """The address in ASCII form (an international domain becomes punycode), or NotAnEmailAddress."""
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise NotAnEmailAddress(str(exc)) from None
    return checked.ascii_email or checked.normalized


def is_email_address(value: str) -> bool:
    """Whether ``value`` (already stripped) passes the one rule."""
    try:
        ascii_address(value)
    except NotAnEmailAddress:
        return False
    return True


def has_control_characters(value: str) -> bool:
    """Line breaks, other control codes, lone surrogates, bidi overrides (a line break in an address could add an
    email header: CR/LF injection); joiners some scripts need are fine."""
    return any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI_CONTROLS
               or (ch.isspace() and ch != " ") for ch in value)


def email_problem(value: str) -> str | None:
    """Why ``value`` (already stripped) is not an address the app keeps or sends to, in plain words (``LINE_BREAK``
    for a line break or control character); None when it is one. The one rule for patients', accounts' and the
    clinic's addresses, which the mailer then never refuses."""
    if has_control_characters(value):
        return LINE_BREAK
    if len(value) > MAX_CHARS:
        return f"it is longer than {MAX_CHARS} characters"
    if not is_email_address(value):
        return "it is not an address like name@example.org"
    return None
