"""Build page, beside the handout preview: the dose numbers of one exercise (sets, reps, hold, minutes), changed with
- and + while the page is in view. A click sends at once (the dose grid waits ~150 ms after a typed cell before it
sends, issue 17); the preview and the stepper rerun first, then the whole page: the grid, checks, week plan and save
bar show the new dose too."""

from __future__ import annotations

from typing import Any

import streamlit as st

from rehab.content.library import ExerciseLibrary
from rehab.domain import Dosage
from rehab.program import builder
from ui.build import state
from ui.build.plan import numbered_names

ROW = "build_step_row"  # the exercise chosen (its row in the grid)
STEPPERS = {"sets": "build_step_sets", "reps": "build_step_reps", "hold_seconds": "build_step_hold",
            "minutes": "build_step_minutes"}  # dose field -> widget key
LABELS = {"sets": "Sets", "reps": "Reps", "hold_seconds": "Hold (seconds)", "minutes": "Minutes"}
STEPS = {"hold_seconds": 5}  # one press: holds go up in fives (5, 10, 15 ... 30 s); the rest one at a time
STEPPED = "build_stepped"  # set by a click: the preview beside it draws the new dose first (output.live_preview)


def _whole(value: Any, field: str) -> int | None:
    """A grid cell as a whole number for the stepper; None (shown empty, the stepper off) when it holds no number or
    one out of range: the grid marks that, and the stepper could not show it."""
    value = builder.clean_number(value)
    low, high = builder.bounds(Dosage, field)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return None
    return value


def _step(field: str) -> None:
    """Put the stepper's value into the working program; a new grid revision shows it in the grid too (the grid's
    own pending edits were folded in by ``sync`` first)."""
    work = state.sync()
    row = st.session_state.get(ROW)
    value = st.session_state.get(STEPPERS[field])
    if work is None or not isinstance(row, int) or not 0 <= row < len(work.items) or value is None:
        return
    items = list(work.items)
    items[row] = items[row].model_copy(update={field: int(value)})
    state.set_rows(work.model_copy(update={"items": tuple(items)}))
    st.session_state[STEPPED] = True


def stepped_alone() -> bool:
    """Whether this run is the preview's own, after a stepper click (the flag is cleared by every run of the whole
    page, ``forget_step``, which shows the new dose everywhere anyway)."""
    return bool(st.session_state.pop(STEPPED, False))


def forget_step() -> None:
    st.session_state.pop(STEPPED, None)


def dose_stepper(library: ExerciseLibrary) -> None:
    work = state.work()
    if work is None or not work.items:
        return
    count = len(work.items)
    if not isinstance(st.session_state.get(ROW), int) or st.session_state[ROW] >= count:
        st.session_state[ROW] = 0
    item = work.items[st.session_state[ROW]]
    for field, key in STEPPERS.items():  # the working program is the source: show its values (grid edits too)
        st.session_state[key] = _whole(getattr(item, field), field)
    names = numbered_names(work.items, library)

    st.markdown("**Change a dose and watch the page**")
    st.selectbox("Exercise", range(count), key=ROW, format_func=names.__getitem__)
    for field, key in STEPPERS.items():
        low, high = builder.bounds(Dosage, field)
        st.number_input(LABELS[field], min_value=low, max_value=high, step=STEPS.get(field, 1), key=key,
                        on_change=_step, args=(field,), placeholder="–", disabled=st.session_state[key] is None)
    if any(st.session_state[key] is None for key in STEPPERS.values()):
        st.caption("A field shown as – is not part of this dose. To add one, type it in the grid.")
