"""The clinic profile ``rehab.clinic/1``: who hands out the program, and how the handout is branded.

In a JSON file the logo is a path (relative to the file); in memory and in the database it is the image bytes.
Logo bytes are checked (``rehab.images.check_image``) whenever a Clinic is built, so a bad logo is a clear error
here and can never reach the PDF.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from ..errors import InvalidEmail, RehabError
from ..images import MAX_IMAGE_BYTES, check_image
from ..words.problems import messages
from . import Language
from .email_address import LINE_BREAK, email_problem
from .email_template import placeholders_in

CLINIC_FORMAT = "rehab.clinic/1"
MAX_CLINIC_FILE_BYTES = 64 * 1024  # the JSON itself; the logo is a separate file
DEFAULT_EMERGENCY_NUMBER = "112"  # the EU-wide number; a clinic elsewhere sets its own (999, 911, 000, …)
MAX_EMERGENCY_NUMBER = 15
EMERGENCY_NUMBER_RULE = (f"use digits and spaces, with + only at the start, at most {MAX_EMERGENCY_NUMBER} "
                         "characters, such as 112, 999 or 911")


class ClinicError(RehabError):
    """A clinic profile or its logo is invalid. ``problems`` lists one line per field."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


class HandoutLayout(StrEnum):
    COMPACT = "compact"
    BOOKLET = "booklet"


Line = Annotated[str, StringConstraints(max_length=200)]


def check_emergency_number(value: Any) -> str:
    """The emergency number tidied (spaces collapsed), or ValueError with a plain reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("required; enter the local emergency number, such as 112, 999 or 911")
    if not isinstance(value, str):
        raise ValueError(EMERGENCY_NUMBER_RULE)
    number = re.sub(" +", " ", value.strip())  # plain spaces only: a line break or tab is no part of a number
    digits = number.removeprefix("+").replace(" ", "")
    if len(number) > MAX_EMERGENCY_NUMBER or not re.fullmatch("[0-9]+", digits):
        raise ValueError(EMERGENCY_NUMBER_RULE)
    return number


class Clinic(BaseModel):
    """A clinic profile. ``logo`` holds PNG or JPEG bytes (None: the project's own drawn logo)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Annotated[str, StringConstraints(pattern=r"^rehab\.clinic/1$")] = CLINIC_FORMAT
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] = Field(
        description="Clinic name, shown in the header of every page and as the PDF author."
    )
    address: Annotated[str, StringConstraints(max_length=400)] = Field("", description="Postal address; lines allowed.")
    phone: Annotated[str, StringConstraints(max_length=40)] = Field("", description="Phone number patients call.")
    emergency_number: str = Field(
        DEFAULT_EMERGENCY_NUMBER,
        description="The local emergency number the handout tells patients to call for urgent care "
        "(112, 999, 911, …). Required; profiles without it use 112.",
    )
    email: Annotated[str, StringConstraints(max_length=254)] = Field("", description="Email address for patients.")
    website: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="Web address; the handout prints it and a QR code that opens it."
    )
    primary_color: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")] = Field(
        "#1F5F8B", description="Brand colour as #RRGGBB; darkened in the PDF where text needs more contrast."
    )
    logo: bytes | None = Field(None, description="PNG or JPEG, at most 5 MB and 25 megapixels.", repr=False)
    footer_note: Line = Field("", description="One short line printed above the footer of every page.")
    default_paper: Paper = Field(Paper.A4, description="Paper size when none is asked for: a4 or letter.")
    language: Language = Field(
        Language.EN, description="Language of handouts for patients whose program names none: en, es, pl or ar."
    )
    large_print: bool = Field(False, description="Print handouts in large print (16 pt) by default.")
    handout_layout: HandoutLayout = Field(
        HandoutLayout.COMPACT, description="compact: a one-page fridge sheet, then cards two or three to a page; "
        "booklet: one exercise card per page."
    )
    link_weeks_after_end: int = Field(
        4, ge=1, le=52, description="A new or renewed patient link works until this many weeks after the program ends."
    )
    email_subject_template: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="Subject of handout emails with {placeholders}; empty uses the app's default."
    )
    email_body_template: Annotated[str, StringConstraints(max_length=10_000)] = Field(
        "", description="Text of handout emails with {placeholders}; empty uses the app's default."
    )

    @field_validator("email_subject_template", "email_body_template")
    @classmethod
    def _valid_template(cls, value: str, info: ValidationInfo) -> str:
        if not value.strip():
            return ""
        name = "subject" if info.field_name == "email_subject_template" else "body"
        if name == "subject" and len(value.splitlines()) > 1:
            raise ValueError("the subject must be one line")
        try:
            placeholders_in(value, name=name)
        except InvalidEmail as exc:
            raise ValueError(str(exc)) from None  # pydantic reports ValueError with the field named
        return value

    @field_validator("logo")
    @classmethod
    def _valid_logo(cls, value: bytes | None) -> bytes | None:
        if value is not None:
            check_image(value)
        return value

    @field_validator("emergency_number", mode="before")
    @classmethod
    def _valid_emergency_number(cls, value: Any) -> str:
        return check_emergency_number(value)

    @field_validator("phone", "email", "website", "footer_note")
    @classmethod
    def _strip(cls, value: str, info: ValidationInfo) -> str:
        # The one email rule (rehab.domain.email_address): replies to handout emails go to this address, so one the
        # mailer would refuse is refused here, where it is typed. A line break could add an email header.
        problem = email_problem(value.strip()) if info.field_name == "email" and value.strip() else None
        if problem == LINE_BREAK:
            raise ValueError("must be one line, without line breaks or control characters")
        if problem:
            raise ValueError(f"is not an email address: {problem}")
        return value.strip()

    def qr_url(self) -> str | None:
        """The website as a full URL for the QR code, or None when there is none."""
        site = self.website.strip()
        if not site or any(ch.isspace() for ch in site):
            return None
        return site if "://" in site else "https://" + site


def default_clinic() -> Clinic:
    """A neutral profile for handouts made before a clinic is set up; its logo is drawn by the project."""
    return Clinic(name="Your physiotherapy clinic")


def _read_logo(value: Any, base_dir: Path) -> Any:
    """A logo path from JSON becomes bytes; bytes pass through; anything else is left for pydantic to reject."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    path = Path(value)
    path = path if path.is_absolute() else base_dir / path
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise ClinicError(
                [f"logo: {path.name} is {size / 1024 / 1024:.1f} MB; at most {MAX_IMAGE_BYTES // 1024 // 1024} MB"]
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ClinicError([f"logo: file not found: {path}"]) from None
    except IsADirectoryError:
        raise ClinicError([f"logo: {path} is a folder, not an image file"]) from None
    except OSError as exc:
        raise ClinicError([f"logo: cannot read {path}: {exc.strerror}"]) from None


def _read_json(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ClinicError([f"file not found: {path}"]) from None
    except OSError as exc:
        raise ClinicError([f"cannot read {path}: {exc.strerror}"]) from None
    if len(raw) > MAX_CLINIC_FILE_BYTES:
        raise ClinicError([f"{path.name} is {len(raw):,} bytes; a clinic profile is at most {MAX_CLINIC_FILE_BYTES:,}"])
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ClinicError([f"{path.name} is not UTF-8 text"]) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ClinicError([f"{path.name}: not valid JSON: {exc.msg} at {where}"]) from None


def load_clinic(source: str | Path | dict, *, base_dir: str | Path | None = None) -> Clinic:
    """A clinic from a JSON file path or a dict; a logo path is read relative to the file (or ``base_dir``)."""
    if isinstance(source, dict):
        data, base = dict(source), Path(base_dir or ".")
    elif isinstance(source, (str, Path)):
        path = Path(source)
        data, base = _read_json(path), Path(base_dir) if base_dir else path.parent
    else:
        raise ClinicError([f"cannot read a clinic profile from {type(source).__name__}"])
    if not isinstance(data, dict):
        raise ClinicError(["document: must be a JSON object"])
    if data.get("format") != CLINIC_FORMAT:
        raise ClinicError([f"format: {data.get('format')!r} is not supported; expected '{CLINIC_FORMAT}'"])
    if "logo" in data:
        data["logo"] = _read_logo(data["logo"], base)
    try:
        return Clinic.model_validate(data)
    except ValidationError as exc:
        raise ClinicError(messages(exc)) from None


def dump_clinic(clinic: Clinic, logo_path: str | None = None) -> str:
    """The clinic as ``rehab.clinic/1`` JSON; the caller saves the logo bytes at ``logo_path`` itself."""
    data = clinic.model_dump(mode="json", exclude={"logo"})
    data["logo"] = logo_path
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def clinic_json_schema() -> dict[str, Any]:
    schema = Clinic.model_json_schema(mode="serialization")
    schema["properties"]["logo"] = {"type": ["string", "null"], "description": "Path to a PNG or JPEG file."}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = CLINIC_FORMAT
    return schema


__all__ = [
    "DEFAULT_EMERGENCY_NUMBER",
    "MAX_EMERGENCY_NUMBER",
    "Clinic",
    "ClinicError",
    "HandoutLayout",
    "Paper",
    "check_emergency_number",
    "default_clinic",
    "dump_clinic",
    "load_clinic",
]
