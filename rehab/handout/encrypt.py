"""Password protection: AES-256 (PDF 2.0, revision 6).

reportlab can write AES-256 itself, but that output (revision 5) is unreadable to poppler 22 and pypdf 7, so
the finished PDF is encrypted afterwards with pypdf, whose revision-6 output qpdf, poppler and pypdf all open.
"""

from __future__ import annotations

import io

from ..errors import RehabError

MAX_PASSWORD_CHARS = 127  # the limit PDF revision 6 puts on a UTF-8 password


class PasswordError(RehabError):
    pass


def check_password(password: str) -> None:
    if not password:
        raise PasswordError("password: must not be empty")
    if len(password.encode("utf-8")) > MAX_PASSWORD_CHARS:
        raise PasswordError(f"password: too long; at most {MAX_PASSWORD_CHARS} bytes")


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """The same PDF, openable only with ``password``.

    The owner password is the same one: the patient who can open the handout may also print and copy from it,
    so permission flags would protect nothing.
    """
    from pypdf import PdfReader, PdfWriter

    check_password(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
