"""Embedded font subsets cut and compressed once per process.

Every handout embeds the glyphs it uses from each face: reportlab cuts that subset out of the TrueType file and
compresses it again for every document, about a tenth of a compact handout's time. The subset only depends on the
face and on which character sits at which code, and handouts in one language mostly use the same characters in
the same order (the ASCII letters keep their own codes), so the same subset comes back handout after handout. The
bytes written are the ones reportlab would write: the same subset, compressed the same way.
"""

from __future__ import annotations

import functools
import zlib

from reportlab.pdfbase.ttfonts import TTFont


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
