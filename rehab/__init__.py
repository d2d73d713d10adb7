"""Runner's-knee home exercise program builder: the domain package (no Streamlit here)."""

from .words.rtl import install as _install_right_to_left

_install_right_to_left()  # before anything imports reportlab: it looks for its bidi module once (words/rtl.py)

from .content.content import load_education, load_templates  # noqa: E402
from .content.library import ExerciseLibrary, load_library  # noqa: E402
from .domain import Dosage, Exercise, Patient, Phase, Program, ProgramItem, Side  # noqa: E402
from .errors import LibraryError, ProgramError, RehabError  # noqa: E402
from .program.document import dump_program, load_program  # noqa: E402


def render_handout(program, clinic=None, *, paper=None, large_print=None, password=None, layout=None,
                   **options) -> bytes:
    """The patient handout PDF; paper, large print and layout ("compact" or "booklet") default to the clinic's
    settings; see rehab.handout."""
    from .services import handouts  # reportlab loads only when a PDF is wanted

    return handouts.render_document(program, clinic, paper=paper, large_print=large_print, password=password,
                                    layout=layout, **options)


__all__ = [
    "Dosage",
    "Exercise",
    "ExerciseLibrary",
    "LibraryError",
    "Patient",
    "Phase",
    "Program",
    "ProgramError",
    "ProgramItem",
    "RehabError",
    "Side",
    "dump_program",
    "load_education",
    "load_library",
    "load_program",
    "load_templates",
    "render_handout",
]
