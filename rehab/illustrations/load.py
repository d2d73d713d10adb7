"""Which load-dependent props a drawing shows: a band only when the dose's load is a band, an ankle weight only
when it is a weight. The picture must not show equipment the patient was not given."""

from __future__ import annotations

import re

from .props import Band, Weight

# English, and the words the translated loads use (docs/translations.md): Spanish "banda", Polish "guma" in all its
# cases, Arabic "شريط"; weights "peso", "ciężar"/"obciążnik", "ثقل"/"وزن".
BAND_WORDS = re.compile(r"\b(band|theraband|thera-band|tubing|loop|banda|gum[aąyieo]?|شريط)s?\b", re.IGNORECASE)
WEIGHT_WORDS = re.compile(
    r"\b(weight|weights|kg|kilos?|lbs?|pounds?|dumbbells?|pesos?|ciężar\w*|obciążnik\w*|ثقل|وزن)\b", re.IGNORECASE)


def uses_band(load: str | None) -> bool:
    return bool(load and BAND_WORDS.search(load))


def uses_weight(load: str | None) -> bool:
    return bool(load and WEIGHT_WORDS.search(load)) and not uses_band(load)


def shown(prop: object, load: str | None) -> bool:
    """Whether a prop belongs in a drawing for this load: bands and weights follow the load, the rest always."""
    if isinstance(prop, Band):
        return uses_band(load)
    if isinstance(prop, Weight):
        return uses_weight(load)
    return True
