"""One rule for every email address the app keeps or sends to: patients', accounts' and the clinic's outbox.

Syntax only (whether mail arrives is the mail server's business), and only forms the mailer can send: an
address that passes here is never refused later by rehab.mail. Quoted local parts, brackets, parentheses,
spaces and line breaks are all refused, so an "address" such as ``![i](http://host/x.png)@x.org`` cannot be
stored and later shown as Markdown.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


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
