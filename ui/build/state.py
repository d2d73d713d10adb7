"""Session state of the Build page: the working program, what was last saved, and the widgets that edit it.

The working program (``rehab.program.builder.WorkingProgram``) under ``build_work`` is the one source of truth. Widget
keys only mirror it: their values are folded back in at the start of every run (``sync``), and written from it
whenever a new program is loaded. So edits survive reruns and page switches (Streamlit drops the state of
widgets that are not on screen; the working program is not a widget and stays).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from rehab.domain import Language, PainRule, Phase, Program
from rehab.program import builder
from rehab.program.builder import ROW_FIELDS, WorkingProgram

WORK = "build_work"
SAVED = "build_saved_fp"  # fingerprint of the working program as last loaded or saved; None: never saved
AUTOSAVED = "build_autosaved_fp"  # fingerprint of the draft this session last wrote to the database
PATIENT = "build_patient_id"
GRID_REV = "build_grid_rev"
GRID_BASE = "build_grid_base"  # (revision, rows) the dose grid was drawn from
CONFLICT = "build_conflict"
NOTICE = "build_notice"
SEEN_SHARED = "build_seen_shared"
OUTPUT_TAB = "build_output_tab"  # "Copy for notes" or "Handout preview": the preview runs only while open
LAYOUT = "build_handout_layout"
ADD_OPEN = "build_add_open"  # the "Add exercises" expander (its own widget state)
ADD_OPEN_FIRST = "build_add_open_first"  # how it starts for this program: open when the program is empty
SECOND_CLEARED = "build_second_cleared"  # the second language just cleared for being the first one now

# Program fields: working-program attribute -> widget key.
FIELDS = {
    "title": "build_f_title",
    "language": "build_f_language",
    "second_language": "build_f_second_language",
    "phase": "build_f_phase",
    "start_date": "build_f_start",
    "duration_weeks": "build_f_weeks",
    "education": "build_f_education",
    "green_max": "build_f_green",
    "amber_max": "build_f_amber",
    "settle_minutes": "build_f_settle",
    "clinician": "build_f_clinician",
    "notes": "build_f_notes",
}
# The language pickers' option for None (the clinic's language; no second language): a select whose value is None
# shows "Choose an option" instead of the option's own words.
NO_LANGUAGE = ""
LANGUAGE_FIELDS = ("language", "second_language")
_NUMBERS = {
    "duration_weeks": builder.bounds(Program, "duration_weeks"),
    "green_max": builder.bounds(PainRule, "green_max"),
    "amber_max": builder.bounds(PainRule, "amber_max"),
    "settle_minutes": builder.bounds(PainRule, "settle_minutes"),
}


def work() -> WorkingProgram | None:
    return st.session_state.get(WORK)


def patient_id() -> int | None:
    return st.session_state.get(PATIENT)


def grid_key() -> str:
    return f"build_grid_{st.session_state.get(GRID_REV, 0)}"


def _widget_value(field: str, value: Any) -> Any:
    """A value the widget accepts (number inputs refuse values outside their range)."""
    if field in _NUMBERS:
        lo, hi = _NUMBERS[field]
        number = builder.clean_number(value)
        if not isinstance(number, int):
            return lo if field == "duration_weeks" else getattr(PainRule(), field, lo)
        return min(max(number, lo), hi)
    if field == "start_date":
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return dt.date.today()
    if field == "phase":
        return value if value in {p.value for p in Phase} else Phase.STRENGTHEN.value
    if field == "education":
        return list(value or ())
    if field in LANGUAGE_FIELDS:
        return value if value in {language.value for language in Language} else NO_LANGUAGE
    return "" if value is None else str(value)


def fill_widgets(program: WorkingProgram, *, only_missing: bool = False) -> None:
    """Show the working program's values in the field widgets (call before the widgets are drawn)."""
    for field, key in FIELDS.items():
        if only_missing and key in st.session_state:
            continue
        st.session_state[key] = _widget_value(field, getattr(program, field))


def set_work(program: WorkingProgram | None, *, saved: bool = False) -> None:
    """Replace the working program (a new start, a load, or a change of rows): redraw the grid and fields."""
    st.session_state[WORK] = program
    st.session_state[GRID_REV] = st.session_state.get(GRID_REV, 0) + 1
    st.session_state[CONFLICT] = None
    if program is not None:
        fill_widgets(program)
    if saved:
        st.session_state[SAVED] = None if program is None else program.fingerprint()


def set_rows(program: WorkingProgram) -> None:
    """New doses from outside the grid (the stepper beside the preview): the grid is drawn afresh from them."""
    st.session_state[WORK] = program
    st.session_state[GRID_REV] = st.session_state.get(GRID_REV, 0) + 1


def mark_saved(program: WorkingProgram) -> None:
    st.session_state[WORK] = program
    st.session_state[SAVED] = program.fingerprint()


def new_start(program: WorkingProgram | None, *, stored: bool) -> None:
    """A fresh start: ``stored`` True when it equals a saved version (nothing unsaved yet)."""
    st.session_state[SAVED] = None
    st.session_state[AUTOSAVED] = None
    # The expander keeps its identity (and so how the clinician left it) only while its arguments stay the same.
    st.session_state[ADD_OPEN_FIRST] = program is not None and not program.items
    st.session_state.pop(ADD_OPEN, None)
    set_work(program, saved=stored)


def dirty() -> bool:
    current = work()
    return current is not None and current.fingerprint() != st.session_state.get(SAVED)


# --- the dose grid -----------------------------------------------------------------------------------------


def grid_rows(program: WorkingProgram) -> list[dict[str, Any]]:
    return [{field: getattr(item, field) for field in ROW_FIELDS} for item in program.items]


def grid_base(program: WorkingProgram) -> list[dict[str, Any]]:
    """The rows the grid is drawn from in this revision; taken afresh from the program when the grid's own
    state is gone (first draw, new revision, or back from another page), because edits already live there."""
    rev = st.session_state.get(GRID_REV, 0)
    stored = st.session_state.get(GRID_BASE)
    if stored is None or stored[0] != rev or grid_key() not in st.session_state:
        st.session_state[GRID_BASE] = (rev, grid_rows(program))
    return st.session_state[GRID_BASE][1]


def apply_edits(base: list[dict[str, Any]], state: Any) -> list[dict[str, Any]]:
    """The grid's rows after the edits Streamlit keeps for it ({"edited_rows": {row: {column: value}}})."""
    rows = [dict(row) for row in base]
    edited = state.get("edited_rows", {}) if isinstance(state, dict) else {}
    for key, changes in edited.items():
        try:
            index = int(key)
        except (TypeError, ValueError):
            continue
        if 0 <= index < len(rows) and isinstance(changes, dict):
            rows[index].update({column: value for column, value in changes.items() if column in ROW_FIELDS})
    return rows


def _with_widgets(program: WorkingProgram) -> WorkingProgram:
    changes: dict[str, Any] = {}
    for field, key in FIELDS.items():
        if key not in st.session_state:
            continue
        value = st.session_state[key]
        if field == "start_date":
            value = value.isoformat() if isinstance(value, dt.date) else None
        elif field == "education":
            value = tuple(value or ())
        elif field in LANGUAGE_FIELDS:
            value = value or None
        if value != getattr(program, field):
            changes[field] = value
    return program.model_copy(update=changes) if changes else program


def _with_grid(program: WorkingProgram) -> WorkingProgram:
    key = grid_key()
    stored = st.session_state.get(GRID_BASE)
    if key not in st.session_state or stored is None or stored[0] != st.session_state.get(GRID_REV, 0):
        return program
    rows = apply_edits(stored[1], st.session_state[key])
    if len(rows) != len(program.items) or rows == grid_rows(program):
        return program
    return builder.replace_rows(program, rows)


def clear_second_language(first: str) -> None:
    """Drop the second language when it is ``first`` (the handout's language, as chosen or the clinic's), and
    remember which one for the caption that says so. Call before the second language's widget is drawn."""
    current = work()
    if current is None or current.second_language != first:
        return
    st.session_state[WORK] = current.model_copy(update={"second_language": None})
    st.session_state[FIELDS["second_language"]] = NO_LANGUAGE
    st.session_state[SECOND_CLEARED] = first


def sync() -> WorkingProgram | None:
    """Fold what the widgets hold into the working program; call first in every run and every callback."""
    current = work()
    if current is None:
        return None
    updated = _with_grid(_with_widgets(current))
    if updated is not current:
        st.session_state[WORK] = updated
    return updated
