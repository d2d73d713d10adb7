"""What the Build page keeps between reruns so a rerun stays fast: the library (per database and change stamp),
search results, drawings, and the handout preview (per program content)."""

from __future__ import annotations

import functools

import streamlit as st

from rehab import services
from rehab.content.library import ExerciseLibrary
from rehab.domain import Category, Exercise, Phase, Program, TargetArea
from rehab.domain.clinic import default_clinic
from rehab.images import pdf_page_count, pdf_page_images, thumbnail_png
from rehab.program.document import load_program
from rehab.services import catalog
from rehab.services.drawings import svg_for
from ui.build import state
from ui.context import actor, repository, settings, signed_in

PREVIEW_SCALE = 1.0
PHOTO_WIDTH = 300


def _database() -> str:
    """The cache key of what this session sees: the database and the signed-in clinic (clinics share a server)."""
    account = signed_in()
    return f"{settings().database_url} clinic {account.clinic_id if account else None}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _library(database: str, stamp: tuple) -> ExerciseLibrary:
    return services.exercises.clinic_library(repo=repository())


def stamps() -> catalog.Stamps:
    return catalog.stamps(repository())


def library(current: catalog.Stamps | None = None) -> ExerciseLibrary:
    """Built-in plus custom exercises; rebuilt only when a custom exercise changes."""
    current = current or stamps()
    return _library(_database(), current.library)


@st.cache_resource(show_spinner=False, max_entries=128)
def _search(
    database: str,
    stamp: tuple,
    text: str,
    category: Category | None,
    equipment: str | None,
    area: TargetArea | None,
    phase: Phase | None,
) -> tuple[str, ...]:
    found = _library(database, stamp).search(text, category=category, equipment=equipment, area=area, phase=phase)
    return tuple(exercise.id for exercise in found)


def search(current: catalog.Stamps, text: str, **filters) -> tuple[str, ...]:
    return _search(_database(), current.library, text.strip(), filters.get("category"), filters.get("equipment"),
                   filters.get("area"), filters.get("phase"))


@st.cache_resource(show_spinner=False, max_entries=4)
def _equipment(database: str, stamp: tuple) -> list[str]:
    return _library(database, stamp).equipment()


def equipment(current: catalog.Stamps) -> list[str]:
    return _equipment(_database(), current.library)


@functools.lru_cache(maxsize=512)
def thumbnail(exercise_id: str) -> str | None:
    """The exercise drawing as SVG (made by our code from our pose data: no user text in it), or None."""
    return svg_for(exercise_id, width=300, height=125)


@st.cache_resource(show_spinner=False, max_entries=256)
def _photo(database: str, stamp: tuple, exercise_id: str) -> bytes | None:
    photo = services.exercises.custom_exercise_photo(exercise_id, repo=repository())
    return None if photo is None else thumbnail_png(photo, PHOTO_WIDTH)


def picture(exercise: Exercise, current: catalog.Stamps) -> str | bytes | None:
    """Our drawing (SVG) for a built-in exercise, the clinic's photo (a small PNG) for its own, or None."""
    if exercise.custom:
        return _photo(_database(), current.library, exercise.id)
    return thumbnail(exercise.id)


def _clinic(stamp):
    return services.clinic.get_clinic(repo=repository())


@st.cache_data(show_spinner=False, max_entries=16)
def _handout(document: str, database: str, library_stamp: tuple, clinic_stamp,
             layout: str | None = None) -> tuple[bytes, int]:
    """The handout PDF of a program's content in a layout (None: the clinic's) and its page count."""
    library = _library(database, library_stamp)  # library_stamp changes with any photo
    pdf = services.programs.program_handout_pdf(load_program(document, library=library), _clinic(clinic_stamp),
                                                repo=repository(), library=library, layout=layout)
    return pdf, pdf_page_count(pdf)


@st.cache_data(show_spinner=False, max_entries=64)
def _page_images(document: str, database: str, library_stamp: tuple, clinic_stamp, first: int, last: int,
                 scale: float, layout: str | None = None) -> list[bytes]:
    pdf, _ = _handout(document, database, library_stamp, clinic_stamp, layout)
    return pdf_page_images(pdf, scale, range(first, last), image_format="JPEG")


def _render_ids() -> dict:
    """The audit ids of the program on the page; no version while it has unsaved changes (or was never saved)."""
    work = state.work()
    saved = work is not None and work.program_id is not None and not state.dirty()
    return {"patient_id": state.patient_id(), "program_id": work.program_id if work else None,
            "version": work.base_version if saved else None}


def clinic_layout(current: catalog.Stamps) -> str:
    """The clinic's default handout layout: compact or booklet (no profile yet: the default clinic's)."""
    clinic = _clinic(current.clinic) or default_clinic()
    return clinic.handout_layout.value


def clinic_language(current: catalog.Stamps) -> str:
    """The clinic's handout language, for programs that name none (no profile yet: the default clinic's)."""
    clinic = _clinic(current.clinic) or default_clinic()
    return clinic.language.value


def preview_pages(program: Program, current: catalog.Stamps, first: int, last: int,
                  layout: str | None = None) -> tuple[list[bytes], int]:
    """JPEG images of pages ``first`` to ``last`` - 1 (0-based) of the real handout in ``layout`` (None: the
    clinic's), and its page count; only the pages shown are drawn (drawing every page of a 16-page handout took
    ~0.9 s), each cached per program content, library, clinic profile and layout. Logged as a render
    (program.render) once per person and program in services.audit.VIEW_LOG_WINDOW."""
    document = services.programs.canonical_document(program)
    _, count = _handout(document, _database(), current.library, current.clinic, layout)
    pages = _page_images(document, _database(), current.library, current.clinic, first, min(last, count),
                         PREVIEW_SCALE, layout)
    services.programs.record_render(repo=repository(), actor=actor(),
                                    once_within=services.audit.VIEW_LOG_WINDOW, **_render_ids())
    return pages, count


def handout_maker(program: Program, current: catalog.Stamps, layout: str | None = None):
    """A function that renders the handout PDF when the clinician clicks Download (not on every rerun), and logs
    each download (program.render). Paper size and large print come from the clinic profile's defaults; the
    layout is the one chosen on the page (None: the clinic's)."""
    repo, lib, who, ids = repository(), library(current), actor(), _render_ids()  # the click runs outside the script

    def make() -> bytes:
        pdf = services.programs.program_handout_pdf(program, services.clinic.get_clinic(repo=repo), repo=repo,
                                                    library=lib, layout=layout)
        services.programs.record_render(repo=repo, actor=who, **ids)
        return pdf

    return make
