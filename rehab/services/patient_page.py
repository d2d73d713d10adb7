"""What the patient's web page shows (issue 16): the handout's own content model, so the page says exactly what
the PDF says, plus the moving drawings and what the check-in form offers. No HTML here: server/patient_page.py
turns this into the page, escaping every string."""

from __future__ import annotations

import base64
import collections
import dataclasses
import threading

from ..domain.clinic import default_clinic
from ..handout_content import HandoutContent, build_content
from ..images import thumbnail_jpeg
from ..words import speaking
from ..words.choice import handout_language
from ..words.entries import translate_library, translate_program
from .clinic import get_clinic
from .patient_links import Resolved
from .programs import version_handout

__all__ = ["PatientPage", "first_name", "patient_page", "page_pdf"]


@dataclasses.dataclass(frozen=True)
class PatientPage:
    clinic_name: str
    colour: str  # the clinic's #RRGGBB
    first_name: str  # never the whole name: the page may be seen over a shoulder
    content: HandoutContent
    drawings: dict[str, str]  # exercise id -> the looping SVG (library exercises; the clinic's own have none)
    photos: dict[str, str]  # exercise id -> the clinic's photo as a data URI (its own exercises, when it has one)
    today: tuple[tuple[str, str], ...]  # (exercise id, name) of the exercises done from now: the check-in list
    version: int
    reminder_days: tuple[int, ...]
    can_remind: bool  # the clinic has the patient's email address
    language: str = "en"  # the program's (docs/translations.md): the page says what the handout says, in it


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else ""


_CACHE: collections.OrderedDict[tuple, PatientPage] = collections.OrderedDict()
_CACHE_SIZE = 512
PHOTO_WIDTH = 360  # CSS pixels of the picture column on a desktop; a phone shows it full width
_LOCK = threading.Lock()


def patient_page(resolved: Resolved) -> PatientPage:
    """The page of the version the link shows now, branded with the clinic's profile now.

    Kept in a small per-process cache keyed by everything it is made from (the database, the clinic, the program
    version, which never changes, and when the clinic's profile and own exercises last changed), so a reload
    costs no rebuild and a change anywhere shows at once, on every app process alike.
    """
    link = resolved.link
    key = (str(resolved.repo.engine.url), link.clinic_id, link.program_id, resolved.version, resolved.stamp,
           link.reminder_days, resolved.has_email)
    with _LOCK:
        page = _CACHE.get(key)
        if page is not None:
            _CACHE.move_to_end(key)
            return page
    page = _build(resolved)
    with _LOCK:
        _CACHE[key] = page
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return page


def _build(resolved: Resolved) -> PatientPage:
    from ..illustrations import animation_svg  # reportlab loads when a page is made, not with the services

    info, program, library, photos = version_handout(resolved.link.program_id, resolved.version,
                                                     repo=resolved.repo)
    clinic = get_clinic(repo=resolved.repo) or default_clinic()
    language = handout_language(program, clinic)
    with speaking(language):  # the content in the program's language, as its PDF prints it
        content = build_content(translate_program(program, language), clinic, translate_library(library, language),
                                prepared=info.created_at.date())
    drawings, pictures = {}, {}
    for card in content.cards:
        if not library.get(card.exercise_id).custom:
            svg = animation_svg(card.exercise_id, load=card.load)
            if svg is not None:
                drawings[card.exercise_id] = svg
        elif card.exercise_id in photos:
            picture = _inline_photo(photos[card.exercise_id])
            if picture is not None:
                pictures[card.exercise_id] = picture
    now = tuple((card.exercise_id, card.name) for card in content.cards if not card.later)
    return PatientPage(clinic_name=clinic.name, colour=clinic.primary_color,
                       first_name=first_name(program.patient.name), content=content, drawings=drawings,
                       photos=pictures, today=now,
                       version=info.version, reminder_days=resolved.link.reminder_days,
                       can_remind=resolved.has_email, language=language.value)


def _inline_photo(photo: bytes) -> str | None:
    """A clinic exercise's photo as a small JPEG data URI (the page makes no other requests), or None when the
    stored image cannot be read: the card then shows its words without a picture instead of failing."""
    from PIL import Image  # Pillow loads when a page with a photo is made

    try:
        return "data:image/jpeg;base64," + base64.b64encode(thumbnail_jpeg(photo, PHOTO_WIDTH)).decode("ascii")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def page_pdf(resolved: Resolved) -> bytes:
    """The exact handout PDF of the version shown (logged as a render by the link)."""
    from .programs import handout_pdf

    return handout_pdf(resolved.link.program_id, resolved.version, repo=resolved.repo, actor=resolved.actor)
