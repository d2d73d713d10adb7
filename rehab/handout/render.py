"""render_handout: a Program becomes the patient's PDF in one of two layouts, both printing the same
HandoutContent (rehab/handout_content):

compact (default): page 1 is the whole fridge sheet; cards two or three to a page; plan, diary and education flow on.
booklet: the same fridge sheet · one card a page · the week plan and the stage's goals · diary · education · notes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zlib
from collections.abc import Mapping
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate

from ..content.library import ExerciseLibrary, load_library
from ..domain import Language, Program
from ..domain.clinic import Clinic, HandoutLayout, Paper, default_clinic
from ..errors import RehabError
from ..handout_content import HandoutContent, build_content
from ..images import check_image
from ..program.document import load_program
from ..words import current_language, speaking
from ..words.choice import handout_language, second_handout_language
from ..words.entries import translate_library, translate_program
from .bilingual import Second, laid_over, second, with_second
from .blocks import LeavePageOne, Tight, least_start
from .cards import exercise_cards
from .compact import booklet_sections, compact_story, fitted_fridge_sheet, page_one_height
from .compact import cards as compact_cards
from .context import Handout, illustrations
from .education import clinician_notes, education_pages
from .encrypt import check_password, encrypt_pdf
from .fonts import register_fonts
from .frame import NumberedCanvas, PageDecor
from .look import Look, grey_everything, load_look, make_palette
from .plan import diary, week_plan
from .styles import build_styles
from .words import w

# Binary (Flate only) streams instead of ASCII85-wrapped ones: 10 % smaller files and less work. reportlab reads
# this setting when it writes, process-wide; any PDF reader opens both.
rl_config.useA85 = 0
# reportlab shapes with discretionary ligatures on (dlig), which no shaper turns on by default: a Latin name in an
# Arabic handout printed "Test" with an old-style st ligature, which copies out as "Teﬆ". Joined Arabic letters and
# lam-alef need only the default features (init, medi, fina, rlig).
_shaping_features = ttfonts.shapeFragWord.__defaults__[0] if ttfonts.shapeFragWord.__defaults__ else None
if isinstance(_shaping_features, dict):
    _shaping_features["dlig"] = False


class _QuickerFlate(pdfdoc.PDFStreamFilterZCompress):
    """Flate at level 4, not zlib's default 6: a compact handout's page streams compress in half the time (about
    a twentieth of its render) for 2 % more bytes. The embedded fonts are compressed once (subsets.py), at 6."""

    def encode(self, text):
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 4)


pdfdoc.PDFZCompress = _QuickerFlate()  # reportlab looks it up when it writes a stream, process-wide like useA85


def _paper(value: str | Paper | None, clinic: Clinic) -> Paper:
    if value is None:
        return clinic.default_paper
    try:
        return Paper(str(value.value if isinstance(value, Paper) else value).lower())
    except ValueError:
        raise RehabError(f"paper: {value!r} is not a paper size; use one of: a4, letter") from None


def _check_photo(exercise_id: str, photo: bytes) -> None:
    problem = _photo_problem(photo)
    if problem:
        raise RehabError(f"photos[{exercise_id}]: {problem}")


@functools.lru_cache(maxsize=32)  # the same photos come back in handout after handout
def _photo_problem(photo: bytes) -> str | None:
    try:
        check_image(photo)
    except ValueError as exc:
        return str(exc)
    return None


def build_handout(
    program: Program,
    clinic: Clinic,
    *,
    paper: Paper,
    large_print: bool,
    grayscale: bool,
    prepared: dt.date,
    library: ExerciseLibrary,
    look: Look,
    photos: Mapping[str, bytes] | None = None,
) -> Handout:
    look = look.printed(large_print)
    fonts = register_fonts(look.font.regular, look.font.bold)
    sizes = look.size(large_print)
    palette = make_palette(look, clinic.primary_color, grayscale=grayscale)
    return Handout(
        program=program, clinic=clinic, library=library, look=look, sizes=sizes, palette=palette,
        styles=build_styles(look, sizes, palette, fonts), fonts=fonts, paper=paper, large_print=large_print,
        grayscale=grayscale, prepared=prepared, drawing_for=illustrations(), photos=dict(photos or {}),
    )


class KeepHeadingWithNext(KeepTogether):
    """What platypus wraps a heading (keepWithNext) and the flowable after it in. Plain KeepTogether moves the
    pair to the next page whenever it does not fit here, even a table longer than any page, which left page 1
    with 40 exercises empty below its title. A pair taller than a whole frame starts where it is instead, when a
    quarter of the frame is left: the table splits by row and repeats its header row. So does a pair that would
    fit a page, when the heading, its text and the table's first rows fit here: a page is not left half empty."""

    def split(self, avail_width, avail_height):
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        frame = getattr(self, "_frame", None)
        if (frame is not None and avail_height > frame._height / 4
                and least_start(self._content, avail_width) <= avail_height):
            return list(self._content)
        return super().split(avail_width, avail_height)


def _layout(value: str | HandoutLayout | None, clinic: Clinic) -> HandoutLayout:
    if value is None:
        return clinic.handout_layout
    try:
        return HandoutLayout(str(value.value if isinstance(value, HandoutLayout) else value).lower())
    except ValueError:
        raise RehabError(f"layout: {value!r} is not a handout layout; use one of: compact, booklet") from None


def content_of(h: Handout) -> HandoutContent:
    content = build_content(h.program, h.clinic, h.library, prepared=h.prepared, schedule=h.schedule)
    extra = second()
    if extra is None:
        return content
    with speaking(extra.language):  # the same handout decided again in the second language, laid beneath
        other = build_content(translate_program(extra.program, extra.language), h.clinic,
                              translate_library(extra.library, extra.language), prepared=h.prepared,
                              schedule=h.schedule)
    return laid_over(content, other)


def story(h: Handout, layout: HandoutLayout = HandoutLayout.BOOKLET) -> list:
    content = content_of(h)
    if layout is HandoutLayout.COMPACT:
        return compact_story(h, content)
    parts = [*fitted_fridge_sheet(h, content), LeavePageOne()]
    if h.large_print:  # the diary's tall 16-pt rows right after the plan; the stage's short boxes after it, where
        # they lead into the education pages (before the diary they were left alone on a page)
        parts += [*compact_cards(h, content, Tight(h), page_after=True), _plan_break(h), *week_plan(h, content.plan),
                  *diary(h, content.diary), *booklet_sections(h, content)]
    else:
        parts += [*exercise_cards(h, content), _plan_break(h), *week_plan(h, content.plan),
                  *booklet_sections(h, content), *diary(h, content.diary)]
    return parts + [*education_pages(h, content), *clinician_notes(h, content)]


def _plan_break(h: Handout) -> CondPageBreak:
    """The week plan starts a page, unless the last card left more than half of its page empty."""
    return CondPageBreak(page_one_height(h) * 0.5)


def _document(h: Handout, out: io.BytesIO, *, invariant: bool) -> tuple[BaseDocTemplate, PageDecor]:
    page, height = h.look.page, h.pagesize[1]
    frame_w = h.frame_width
    decor = PageDecor(h)
    room = decor.heights  # header and footer grow with long clinic details (frame.py)
    bottom = page.margin_bottom + room.footer

    def frame(header: float, name: str) -> Frame:
        top = height - page.margin_top - header
        return Frame(page.margin_left, bottom, frame_w, top - bottom, id=name,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    doc = BaseDocTemplate(
        out,
        pagesize=h.pagesize,
        title=h.line(h.program.title) or w("pdf_subject"),
        author=h.line(h.clinic.name),
        subject=w("pdf_subject"),
        creator="rehab",
        producer="rehab (reportlab)",
        lang=str(current_language()),
        keepTogetherClass=KeepHeadingWithNext,
        invariant=1 if invariant else 0,
        enforceColorSpace=grey_everything if h.grayscale else None,
        leftMargin=page.margin_left, rightMargin=page.margin_right,
        topMargin=page.margin_top, bottomMargin=page.margin_bottom,
    )
    doc.addPageTemplates([
        PageTemplate(id="first", frames=[frame(room.first_header, "first")], onPage=decor.first_page,
                     autoNextPageTemplate="later"),
        PageTemplate(id="later", frames=[frame(room.header, "later")], onPage=decor.later_page),
    ])
    return doc, decor


def render_handout(
    program: Program | Any,
    clinic: Clinic | None = None,
    *,
    paper: str | Paper | None = None,
    large_print: bool | None = None,
    password: str | None = None,
    grayscale: bool = False,
    invariant: bool = False,
    prepared: dt.date | None = None,
    library: ExerciseLibrary | None = None,
    photos: Mapping[str, bytes] | None = None,
    layout: str | HandoutLayout | None = None,
    language: str | Language | None = None,
    second_language: str | Language | None = None,
) -> bytes:
    """The patient handout as PDF bytes.

    ``program``: a Program, or anything ``load_program`` reads. ``clinic``: None uses ``default_clinic()``.
    ``paper`` and ``large_print``: None takes the clinic's defaults. ``password``: AES-256 encryption.
    ``grayscale``: every colour as the grey of the same luminance. ``invariant``: byte-identical output for the
    same input (tests). ``prepared``: the date printed as "Prepared" (default today). ``library``: one with the
    clinic's custom exercises, if the program uses any. ``photos``: the clinic's photos of its own exercises by
    exercise id (PNG or JPEG), shown on their cards (``records.program_photos`` gives a stored program's).
    ``layout``: "compact" (a one-page fridge sheet, cards two or three to a page) or "booklet" (one card per
    page); None takes the clinic's ``handout_layout``. ``language``: en, es, pl or ar; None takes the program's
    ``patient.language``, else the clinic's (docs/translations.md). ``second_language``: every block again
    beneath, smaller, in this language (a two-language handout; any two of en, es, pl, ar); None takes the
    program's ``patient.second_language`` (one language when it has none, or when it is the handout's own).
    """
    if not isinstance(program, Program):
        program = load_program(program, library)
    clinic = clinic or default_clinic()
    chosen = _layout(layout, clinic)
    speak = handout_language(program, clinic, language)
    also = second_handout_language(program, clinic, speak, second_language)
    original_library = library or load_library()
    if password is not None:
        check_password(password)  # before the work, so a bad password costs nothing
    for exercise_id, photo in (photos or {}).items():
        _check_photo(exercise_id, photo)
    extra = Second(also, program, original_library) if also is not None else None
    with speaking(speak), with_second(extra):
        h = build_handout(
            translate_program(program, speak), clinic,
            paper=_paper(paper, clinic),
            large_print=clinic.large_print if large_print is None else bool(large_print),
            grayscale=grayscale,
            prepared=prepared or dt.date.today(),
            library=translate_library(original_library, speak),
            look=load_look(),
            photos=photos,
        )
        out = io.BytesIO()
        doc, decor = _document(h, out, invariant=invariant)
        doc.build(story(h, chosen), canvasmaker=functools.partial(NumberedCanvas, page_label=decor.page_label))
    pdf = out.getvalue()
    return encrypt_pdf(pdf, password) if password is not None else pdf
