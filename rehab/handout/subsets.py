"""Embedded font subsets cut and compressed once per process, and a text's subset codes found without a loop.

Every handout embeds the glyphs it uses from each face: reportlab cuts that subset out of the TrueType file and
compresses it again for every document, about a tenth of a compact handout's time. The subset only depends on the
face and on which character sits at which code, and handouts in one language mostly use the same characters in
the same order (the ASCII letters keep their own codes), so the same subset comes back handout after handout. The
bytes written are the ones reportlab would write: the same subset, compressed the same way.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import weakref
import zlib

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, makeToUnicodeCMap


class _Compressed:
    """A stream filter that hands back bytes compressed earlier (reportlab's FlateDecode output for them)."""

    pdfname = "FlateDecode"

    def __init__(self, data: bytes):
        self.data = data

    def encode(self, text) -> bytes:
        return self.data


@functools.lru_cache(maxsize=64)  # a subset is some tens of kilobytes: a few handouts' worth per face
def _cut(face, subset: tuple[int, ...]) -> tuple[bytes, bytes]:
    raw = type(face).makeSubset(face, list(subset))
    return raw, zlib.compress(raw)


def cache_subsets(font: TTFont) -> None:
    """Make ``font`` reuse the subsets it cut for earlier documents."""
    face = font.face
    if getattr(face, "_cached_subsets", False):
        return
    add_objects = face.addSubsetObjects

    def make_subset(subset) -> bytes:
        return _cut(face, tuple(subset))[0]

    def add_subset_objects(doc, fontname, subset):
        reference = add_objects(doc, fontname, subset)
        stream = doc.idToObject.get(f"fontFile:{face.filename}({fontname})")
        if doc.compression and stream is not None and stream.filters:
            stream.filters = [_Compressed(_cut(face, tuple(subset))[1])]
        return reference

    face.makeSubset = make_subset
    face.addSubsetObjects = add_subset_objects
    face._cached_subsets = True
    font.addObjects = functools.partial(_add_objects, font)


class _Formatted(pdfdoc.PDFObject):
    """A PDF value written as the bytes reportlab wrote for it before."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document) -> bytes:
        return self.data


@functools.lru_cache(maxsize=256)
def _widths(face, subset: tuple[int, ...]) -> bytes:
    return pdfdoc.PDFArray([face.getCharWidth(code) for code in subset]).format(None)


@functools.lru_cache(maxsize=256)
def _to_unicode(base_font_name: str, subset: tuple[int, ...]) -> tuple[str, bytes]:
    content = makeToUnicodeCMap(base_font_name, subset)
    return content, pdfdoc.PDFZCompress.encode(content)


def _add_objects(font: TTFont, doc) -> None:
    """reportlab's ``TTFont.addObjects``, with each subset's widths and character map (the same for the same
    subset, handout after handout) written from the bytes worked out the first time: the same objects, the same
    bytes, not formatted and compressed again for every document."""
    try:
        state = font.state[doc]
    except KeyError:
        state = font.state[doc] = TTFont.State(font._asciiReadable)
    state.frozen = 1
    face = font.face
    for n, subset in enumerate(state.subsets):
        key = tuple(subset)
        internal_name = font.getSubsetInternalName(n, doc)[1:]
        base_font_name = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
        pdf_font = pdfdoc.PDFTrueTypeFont()
        pdf_font.__Comment__ = f"Font {font.fontName} subset {n}"
        pdf_font.Name = internal_name
        pdf_font.BaseFont = base_font_name
        pdf_font.FirstChar = 0
        pdf_font.LastChar = len(subset) - 1
        pdf_font.Widths = _Formatted(_widths(face, key))
        content, compressed = _to_unicode(base_font_name, key)
        cmap = pdfdoc.PDFStream()
        cmap.content = content
        if doc.compression:
            cmap.filters = [_Compressed(compressed)]
        pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_font_name)
        pdf_font.FontDescriptor = face.addSubsetObjects(doc, base_font_name, subset)
        doc.Reference(pdf_font, internal_name)
        doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
    del font.state[doc]


class _KnownCodes:
    """The characters of one document's font state that already have a code in the first subset, as a charmap
    codec's encoding table (C speed for any script: ``str.translate`` and set checks make a new object for each
    non-Latin character, ~10x slower on an Arabic line): kept up to date from the state's assignments, which only
    ever grow."""

    __slots__ = ("assignments", "seen", "decoding", "encoder", "chars")

    def __init__(self, assignments: dict[int, int]) -> None:
        self.assignments = assignments
        self.seen = 0
        self.decoding = ["\ufffe"] * 256  # code -> character; U+FFFE: no character has this code yet
        self.decoding[0] = "\x00"  # the codec's fast table needs it (reportlab gives code 0 to U+0000 too)
        self.encoder = codecs.charmap_build("".join(self.decoding))
        self.chars: set[str] = set()

    def update(self) -> None:
        assignments = self.assignments
        if len(assignments) == self.seen:
            return
        for code, n in itertools.islice(assignments.items(), self.seen, None):
            if n < 256:
                self.decoding[n] = chr(code)
                self.chars.add(chr(code))
        self.seen = len(assignments)
        self.encoder = codecs.charmap_build("".join(self.decoding))

    def encode(self, text: str) -> bytes | None:
        """The codes of ``text``, or None when a character has none in the first subset yet."""
        if "\xa0" in text and " " in self.chars:  # reportlab prints a no-break space as the space
            text = text.replace("\xa0", " ")
        try:
            return codecs.charmap_encode(text, "strict", self.encoder)[0]
        except UnicodeEncodeError:  # U+FFFE, the table's "no code", lands here too
            return None


def fast_split(font: TTFont) -> None:
    """Make ``font.splitString`` (which subset and which codes a text is written with) take a shortcut when every
    character already has a code in the first subset, as nearly all do after a handout's first lines: one
    charmap encoding instead of reportlab's loop over each character. Any new character goes through reportlab's
    own code, which assigns it; the result is the same either way."""
    split = font.splitString
    last: list = [(None, None)]  # (weak reference to the last document, its codes): looked up once a document

    def split_string(text, doc, encoding="utf-8"):
        if not isinstance(text, str):
            return split(text, doc, encoding)
        ref, codes = last[0]
        if ref is None or ref() is not doc:
            state = font.state.get(doc)
            if state is None:  # the document's first text in this font: reportlab makes its state
                return split(text, doc, encoding)
            codes = getattr(state, "known_codes", None)
            if codes is None:
                codes = state.known_codes = _KnownCodes(state.assignments)
            last[0] = (weakref.ref(doc), codes)  # one tuple: another thread sees a whole pair
        if not text:
            return []
        codes.update()
        encoded = codes.encode(text)
        if encoded is None:
            # reportlab assigns codes to new characters in the order they first appear: give it just those
            split("".join(sorted(set(text) - codes.chars, key=text.index)), doc, encoding)
            codes.update()
            encoded = codes.encode(text)
            if encoded is None:  # a character the face lacks, or past the first subset
                return split(text, doc, encoding)
        return [(0, encoded)]

    font.splitString = split_string
