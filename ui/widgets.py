"""Widget values that survive page switches: the one scheme every page uses.

Streamlit forgets the state of a widget that is not drawn in a run (for example while the user is on another
page). A kept widget is drawn under its own ``key`` (so ``st.session_state[key]`` is its live value, in callbacks
too) and seeded from a plain copy of its last value, kept under ``kept_widgets`` (a normal session key that
Streamlit never drops); the copy is refreshed every time the widget is drawn.

    kept(st.text_input, "Name", "patients_name", default="")   the widget, showing its kept value
    keep_choice(key, options, default)     before a kept selectbox whose options change
    set_kept(key, value)                   give a widget a new value (before it is drawn in this run)
    forget(*keys)                          start those widgets again from their defaults (after a save)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")
STORE = "kept_widgets"


def _store() -> dict[str, Any]:
    return st.session_state.setdefault(STORE, {})


def kept(make: Callable[..., T], label: str, key: str, default: Any = None, **options: Any) -> T:
    """Draw ``make(label, key=key, **options)`` showing the kept value (or ``default`` the first time)."""
    if key not in st.session_state:
        st.session_state[key] = _store().get(key, default)
    value = make(label, key=key, **options)
    _store()[key] = value
    return value


def kept_value(key: str, default: Any = None) -> Any:
    """The kept value of a widget, also while it is not on screen."""
    return _store().get(key, default)


def keep(key: str, value: Any) -> None:
    """Remember a widget's value drawn without kept() (e.g. st.tabs), so it comes back after a page switch."""
    _store()[key] = value


def set_kept(key: str, value: Any) -> None:
    """Give a widget a new value; call before the widget is drawn in this run (e.g. from a button's on_click)."""
    st.session_state[key] = value
    _store()[key] = value


def forget(*keys: str) -> None:
    """Drop kept values (after a save, or when a form is cleared), so the widgets start again from their defaults."""
    for key in keys:
        st.session_state.pop(key, None)
        _store().pop(key, None)


def keep_choice(key: str, options: Sequence[Any], default: Any = None) -> None:
    """Before a kept selectbox: a remembered choice that is no longer offered falls back to ``default`` (or the
    first option), and so does a choice never made."""
    fallback = default if default in options else (options[0] if options else None)
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = fallback
    if _store().get(key, fallback) not in options or key not in _store():
        _store()[key] = fallback
