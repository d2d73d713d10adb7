"""Clinic-editable email templates: ``{placeholder}`` fields filled with plain values, nothing else.

Pure rules of the clinic profile's two template fields (rehab.domain.clinic checks them; rehab.mail fills them in).

Only the four names in PLACEHOLDERS are allowed, with no attribute or index access, format spec or conversion,
so a template can never reach into Python objects. Values are inserted as they are (never formatted again), so
braces inside a clinic or patient name stay literal.

A line whose placeholder has an empty value is left out ("Call us at {clinic_phone}." disappears when the
clinic has no phone number), so one template works with or without the optional fields.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from ..errors import InvalidEmail

PLACEHOLDERS = ("patient_first_name", "clinician", "clinic_name", "clinic_phone")
MAX_SUBJECT_TEMPLATE_CHARS = 200
MAX_BODY_TEMPLATE_CHARS = 10_000

DEFAULT_SUBJECT_TEMPLATE = "Your exercise program from {clinic_name}"

DEFAULT_BODY_TEMPLATE = """\
Hello {patient_first_name},

Your home exercise program is attached to this email. It is a PDF file.
Open it to see each exercise, how to do it, and how often.
You can print it or keep it on your phone.

Do you have a question? Reply to this email.
You can also call us at {clinic_phone}.

Best wishes,
{clinician}
{clinic_name}
"""

# Added to the body when the PDF is encrypted; the password itself is never part of any email.
LOCKED_PDF_NOTE = (
    "Note: the PDF is locked with a password. We will give you the password in another way. "
    "It is never sent by email."
)

_ALLOWED = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
_BRACE_HINT = "write placeholders like {clinic_name}, and {{ or }} for a brace on its own"


def placeholders_in(template: str, *, name: str) -> tuple[str, ...]:
    """The placeholders a template uses, in order; InvalidEmail naming the template and line if any is wrong."""
    return tuple(field for number, line in _lines(template, name) for field in _fields(line, name, number))


def render_template(template: str, values: Mapping[str, str], *, name: str) -> str:
    """Fill in the placeholders. Lines with an empty placeholder value are dropped (see the module doc)."""
    kept = []
    for number, line in _lines(template, name):
        pieces = []
        empty = False
        for literal, field in _parse(line, name, number):
            pieces.append(literal)
            if field is not None:
                value = values.get(field) or ""
                empty = empty or not value.strip()
                pieces.append(value)
        if not empty:
            kept.append("".join(pieces))
    return "\n".join(kept)


def _lines(template: str, name: str) -> list[tuple[int, str]]:
    if not isinstance(template, str):
        raise InvalidEmail(f"{name} template: must be text")
    limit = MAX_SUBJECT_TEMPLATE_CHARS if name == "subject" else MAX_BODY_TEMPLATE_CHARS
    if len(template) > limit:
        raise InvalidEmail(f"{name} template: {len(template)} characters; at most {limit}")
    text = template.replace("\r\n", "\n").replace("\r", "\n")
    return list(enumerate(text.split("\n"), start=1))


def _fields(line: str, name: str, number: int) -> list[str]:
    return [field for _, field in _parse(line, name, number) if field is not None]


def _parse(line: str, name: str, number: int) -> list[tuple[str, str | None]]:
    where = f"{name} template, line {number}"
    try:
        parsed = list(string.Formatter().parse(line))
    except ValueError:
        raise InvalidEmail(f"{where}: a stray '{{' or '}}'; {_BRACE_HINT}") from None
    result = []
    for literal, field, spec, conversion in parsed:
        if field is not None:
            _check_field(field, spec, conversion, where)
        result.append((literal, field))
    return result


def _check_field(field: str, spec: str | None, conversion: str | None, where: str) -> None:
    shown = "{" + field + "}"
    if field == "":
        raise InvalidEmail(f"{where}: empty placeholder {{}}; use one of {_ALLOWED}")
    if field not in PLACEHOLDERS:
        raise InvalidEmail(f"{where}: unknown placeholder {shown}; use one of {_ALLOWED}")
    if spec or conversion:
        raise InvalidEmail(f"{where}: placeholder {{{field}}} takes no format or conversion; write {{{field}}}")
