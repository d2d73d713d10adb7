"""Search keys for names: folded so 'zoe' finds 'Zoë', 'lukasz' finds 'Łukasz' and 'obrien' finds "O'Brien"."""

from __future__ import annotations

import unicodedata

from ..content.library import fold

# Letters that Unicode does not decompose into a base letter plus accent, so fold() keeps them.
_BASE_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t", "æ": "ae", "œ": "oe", "þ": "th"}
)
_DROPPED = "'’‘`ʼ"  # apostrophes join a name ("O'Brien" → "obrien"); other punctuation separates words


def search_key(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    # NFKC first: compatibility forms (𝛢, ﬁ, full-width letters) become plain letters before case folding.
    folded = fold(unicodedata.normalize("NFKC", text)).translate(_BASE_LETTERS)
    kept = "".join("" if ch in _DROPPED else ch if ch.isalnum() else " " for ch in folded)
    return " ".join(kept.split())


def name_terms(name: str) -> list[str]:
    """Every tail of the name's words: 'Zoë Ñúñez Ruiz' → ['zoe nunez ruiz', 'nunez ruiz', 'ruiz']."""
    words = search_key(name).split()
    return list(dict.fromkeys(" ".join(words[i:]) for i in range(len(words))))


def prefix_range(key: str) -> tuple[str, str | None]:
    """[low, high) bounds that hold exactly the strings starting with ``key`` in code-point order."""
    if not key:
        return "", None
    last = ord(key[-1])
    if last >= 0x10FFFF:
        return key, None
    return key, key[:-1] + chr(last + 1)
