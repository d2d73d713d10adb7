"""Build the handout email (pure: no network, no settings, no logging).

The message is multipart/mixed: a text/plain body with a text/html alternative, then the PDF. Every header
value is checked for line breaks first: Python's email package before 3.11.10 lets a newline in a name or
subject start a new header (CVE-2024-6923), so such input is refused with the field named, never cleaned up.
Errors never repeat the value itself, so they are safe to show or store.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid

from ..domain.email_address import NotAnEmailAddress, ascii_address
from ..domain.email_template import DEFAULT_BODY_TEMPLATE, DEFAULT_SUBJECT_TEMPLATE, LOCKED_PDF_NOTE, render_template
from ..words import p_
from .errors import InvalidEmail

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
DEFAULT_FILENAME = "exercise-program.pdf"
_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}\.pdf")
# Characters that str.splitlines() and the email parser treat as line ends, on top of CR and LF.
_LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def build_handout_email(
    *,
    to: str | Sequence[str],
    patient_first_name: str,
    clinician: str | None,
    clinic_name: str,
    clinic_phone: str | None,
    clinic_email: str | None,
    mail_from: str,
    reply_to: str | None,
    subject_template: str | None = None,
    body_template: str | None = None,
    pdf_bytes: bytes,
    filename: str = DEFAULT_FILENAME,
    password_protected: bool = False,
) -> EmailMessage:
    """The email that carries the handout PDF to one patient.

    ``mail_from`` is the sender address ("desk@example.org" or "Name <desk@example.org>"); the From header
    shows ``clinic_name`` with that address. Replies go to ``reply_to``, else ``clinic_email``, else the sender.
    Templates default to DEFAULT_SUBJECT_TEMPLATE / DEFAULT_BODY_TEMPLATE. With ``password_protected`` the
    body ends with LOCKED_PDF_NOTE; the password itself is never passed in, so it cannot leak into the email.
    Raises InvalidEmail naming the field for any bad input.
    """
    values = {
        "patient_first_name": _one_line("patient_first_name", patient_first_name or ""),
        "clinician": _one_line("clinician", clinician or ""),
        "clinic_name": _one_line("clinic_name", clinic_name or "").strip(),
        "clinic_phone": _one_line("clinic_phone", clinic_phone or ""),
    }
    if not values["clinic_name"]:
        raise InvalidEmail("clinic_name: empty; the From line shows the clinic name")
    recipient = _recipient(to)
    _, sender = _mailbox("mail_from", mail_from)
    if reply_to:
        _, reply = _mailbox("reply_to", reply_to)
    elif clinic_email:
        reply = _address("clinic_email", clinic_email)
    else:
        reply = sender
    # the app's own wording in the language being written (the program's: rehab.words.speaking); a clinic's
    # own template is sent as the clinic wrote it
    subject = _subject(subject_template or p_("email_subject", DEFAULT_SUBJECT_TEMPLATE), values)
    text = render_template(body_template or p_("email_body", DEFAULT_BODY_TEMPLATE), values, name="body").strip()
    if not text:
        raise InvalidEmail("body template: the body is empty after filling in the placeholders")
    if password_protected:
        text = f"{text}\n\n{p_('email_locked', LOCKED_PDF_NOTE)}"
    _check_pdf(pdf_bytes)
    _check_filename(filename, values["patient_first_name"])

    msg = _headers(
        sender=Address(display_name=values["clinic_name"], addr_spec=sender),
        recipient=Address(addr_spec=recipient),
        reply_to=Address(display_name=values["clinic_name"], addr_spec=reply),
        subject=subject,
    )
    _set_body(msg, subject, text)
    msg.add_attachment(bytes(pdf_bytes), maintype="application", subtype="pdf", filename=filename)
    return msg


def build_test_email(*, to: str, mail_from: str, reply_to: str | None, server: str) -> EmailMessage:
    """A short message for the settings page's "Send test email" button; ``server`` says which server sent it."""
    recipient = _recipient(to)
    sender_name, sender = _mailbox("mail_from", mail_from)
    reply = _mailbox("reply_to", reply_to)[1] if reply_to else sender
    subject = "Test email from the home exercise program app"
    text = (
        "This is a test email. If you can read it, the app can send email.\n\n"
        f"It was sent through {_one_line('server', server)}."
    )
    msg = _headers(
        sender=Address(display_name=sender_name, addr_spec=sender),
        recipient=Address(addr_spec=recipient),
        reply_to=Address(display_name=sender_name, addr_spec=reply),
        subject=subject,
    )
    _set_body(msg, subject, text)
    return msg


def build_reminder_email(*, to: str, patient_first_name: str, clinic_name: str, clinic_phone: str | None,
                         mail_from: str, reply_to: str | None, stop_url: str) -> EmailMessage:
    """The exercise reminder a patient asked for on their link page (issue 16). ``stop_url`` stops the reminders
    in one click, also from the mail program's own unsubscribe button (RFC 8058 one-click)."""
    first = _one_line("patient_first_name", patient_first_name or "")
    clinic = _one_line("clinic_name", clinic_name or "").strip()
    if not clinic:
        raise InvalidEmail("clinic_name: empty; the From line shows the clinic name")
    stop = _one_line("stop_url", stop_url)
    if not stop.startswith(("https://", "http://")):
        raise InvalidEmail("stop_url: must be a full web address")
    recipient = _recipient(to)
    _, sender = _mailbox("mail_from", mail_from)
    reply = _mailbox("reply_to", reply_to)[1] if reply_to else sender
    subject = "A reminder: your exercises today"
    phone = _one_line("clinic_phone", clinic_phone or "").strip()
    text = (
        f"Hello {first},\n\n" if first else "Hello,\n\n"
    ) + (
        "This is the reminder you asked for: today is one of your exercise days.\n\n"
        "Open your exercise page from the link your physio gave you. After you exercise, tell your physio how "
        "it went on that page.\n\n"
        + (f"Questions? Call us on {phone}.\n\n" if phone else "")
        + f"To stop these reminders, open this link:\n{stop}\n\n{clinic}"
    )
    msg = _headers(
        sender=Address(display_name=clinic, addr_spec=sender),
        recipient=Address(addr_spec=recipient),
        reply_to=Address(display_name=clinic, addr_spec=reply),
        subject=subject,
    )
    msg["List-Unsubscribe"] = f"<{stop}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    _set_body(msg, subject, text)
    return msg


def _headers(*, sender: Address, recipient: Address, reply_to: Address, subject: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = recipient
    msg["Reply-To"] = reply_to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.domain)
    return msg


def _set_body(msg: EmailMessage, subject: str, text: str) -> None:
    # quoted-printable keeps every line 7-bit, so servers without 8BITMIME pass the text through unchanged.
    msg.set_content(text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(_html(subject, text), subtype="html", charset="utf-8", cte="quoted-printable")


def _html(subject: str, text: str) -> str:
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line, quote=True) for line in p.split("\n")) + "</p>" for p in paragraphs
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(subject, quote=True)}</title>\n</head>\n"
        '<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5;">\n'
        f"{body}\n</body>\n</html>\n"
    )


def _subject(template: str, values: dict[str, str]) -> str:
    _one_line("subject_template", template)
    subject = render_template(template, values, name="subject").strip()
    if not subject:
        raise InvalidEmail("subject template: the subject is empty after filling in the placeholders")
    return subject


def _one_line(field: str, value: str) -> str:
    """The value unchanged, or InvalidEmail if it holds a line break or other control character."""
    if not isinstance(value, str):
        raise InvalidEmail(f"{field}: must be text")
    for char in value:
        if char in _LINE_BREAKS:
            raise InvalidEmail(f"{field}: contains a line break; it must be one line (no CR or LF)")
        if unicodedata.category(char) == "Cc":
            raise InvalidEmail(f"{field}: contains a control character (U+{ord(char):04X}); remove it")
    return value


def _recipient(to: str | Sequence[str]) -> str:
    if isinstance(to, str):
        candidates = [to]
    elif isinstance(to, Sequence):
        candidates = list(to)
    else:
        raise InvalidEmail("to: must be one email address")
    if len(candidates) != 1:
        raise InvalidEmail(f"to: exactly one recipient is allowed, got {len(candidates)}")
    address = _one_line("to", candidates[0]).strip()
    if "," in address or ";" in address:
        raise InvalidEmail("to: exactly one recipient is allowed; give one address, with no comma or semicolon")
    return _address("to", address)


def _mailbox(field: str, value: str) -> tuple[str, str]:
    """(display name, checked address) from "a@b.org" or "Name <a@b.org>"."""
    _one_line(field, value or "")
    pairs = getaddresses([value or ""])
    if len(pairs) != 1 or not pairs[0][1]:
        raise InvalidEmail(f"{field}: give one address, e.g. desk@example.org or Clinic <desk@example.org>")
    name, address = pairs[0]
    return name.strip(), _address(field, address)


def _address(field: str, value: str) -> str:
    """The address in ASCII form (an international domain becomes punycode), or InvalidEmail."""
    _one_line(field, value)
    try:
        return ascii_address(value.strip())
    except NotAnEmailAddress as exc:
        raise InvalidEmail(f"{field}: not a valid email address: {exc}") from None


def _check_pdf(pdf_bytes: bytes) -> None:
    if not isinstance(pdf_bytes, bytes | bytearray | memoryview):
        raise InvalidEmail("attachment: the PDF must be bytes")
    size = len(pdf_bytes)
    if size > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // 1024 // 1024
        raise InvalidEmail(f"attachment: the PDF is {size / 1024 / 1024:.1f} MB; at most {limit} MB can be emailed")
    if not bytes(pdf_bytes[:5]) == b"%PDF-":
        raise InvalidEmail("attachment: this is not a PDF file")


def _check_filename(filename: str, patient_first_name: str) -> None:
    _one_line("filename", filename)
    if not _FILENAME.fullmatch(filename):
        raise InvalidEmail(
            "filename: use letters, digits, '.', '-' or '_' only, at most 100 characters, ending in .pdf"
        )
    # File names are ASCII, so compare with accents removed: "Zoë" must not slip through as "zoe".
    first = "".join(c for c in unicodedata.normalize("NFKD", patient_first_name) if not unicodedata.combining(c))
    first = first.strip().casefold()
    if len(first) >= 2 and first in filename.casefold():
        raise InvalidEmail(
            "filename: must not contain the patient's name; use a neutral name like exercise-program.pdf"
        )
