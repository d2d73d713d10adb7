"""Every word a patient reads, in the program's language: the seam for a second language (docs/translations.md).

``language.py``: which language is being written (``speaking(language)`` around one handout or email);
``catalog.py``: the fixed sentences through gettext catalogues (``locale/<code>/LC_MESSAGES/rehab.po``, compiled
with Babel when first used); ``formats.py``: dates and weekdays through Babel; ``entries.py``: the per-language
entries of the exercise library, the education topics and the templates (``assets/translations/``).
"""

from .catalog import N_, gettext, n_, np_, p_
from .language import LANGUAGES, current_language, speaking

__all__ = ["LANGUAGES", "N_", "current_language", "gettext", "n_", "np_", "p_", "speaking"]
