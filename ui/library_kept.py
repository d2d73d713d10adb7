"""Widget values that survive page switches, for the Exercise library and Clinic settings pages.

Streamlit forgets the state of a widget that is not drawn in a run (for example while the user is on another
page). Each widget here is seeded from a plain copy of its last value, kept under ``<page>_kept`` (a normal
session key that Streamlit never drops), and that copy is refreshed every time the widget is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")


def _store(key: str) -> dict[str, Any]:
    return st.session_state.setdefault(key.split("_", 1)[0] + "_kept", {})


def kept(make: Callable[..., T], label: str, *, key: str, default: Any = None, **options: Any) -> T:
    """Draw ``make(label, key=key, **options)`` showing the kept value (or ``default`` the first time)."""
    if key not in st.session_state:
        st.session_state[key] = _store(key).get(key, default)
    value = make(label, key=key, **options)
    _store(key)[key] = value
    return value


def kept_value(key: str, default: Any = None) -> Any:
    """The kept value of a widget, also while it is not on screen."""
    return _store(key).get(key, default)


def keep(key: str, value: Any) -> None:
    """Remember a widget's value drawn without kept() (e.g. st.tabs), so it comes back after a page switch."""
    _store(key)[key] = value


def set_kept(key: str, value: Any) -> None:
    """Give a widget a new value; call before the widget is drawn in this run (e.g. from a button's on_click)."""
    st.session_state[key] = value
    _store(key)[key] = value


def forget(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)
        _store(key).pop(key, None)
