"""Build page, step 3: find and add exercises, set each dose in a grid, reorder, remove, and swap harder/easier."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from rehab.content.content import Template
from rehab.content.library import ExerciseLibrary
from rehab.domain import Category, Phase, ProgramItem, Side, TargetArea
from rehab.errors import RehabError
from rehab.program import builder
from rehab.services import clinic_templates
from rehab.services.catalog import Stamps
from rehab.words.dose import exercise_dose_in_words
from ui.build import cache, state
from ui.context import repository
from ui.text import md

PAGE_SIZE = 8
CARDS_PER_ROW = 4
RESULTS = "build_results_limit"
SEARCH = {
    "text": "build_ex_search",
    "category": "build_ex_category",
    "equipment": "build_ex_equipment",
    "area": "build_ex_area",
    "phase": "build_ex_phase",
}
SIDES = [Side.BOTH.value, Side.LEFT.value, Side.RIGHT.value]
ACTIONS = {"up": ("Up", ":material/arrow_upward:"), "down": ("Down", ":material/arrow_downward:"),
           "harder": ("Harder", ":material/trending_up:"), "easier": ("Easier", ":material/trending_down:"),
           "remove": ("Remove", ":material/delete:")}


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _affected(value: str | None) -> Side | None:
    return Side(value) if value else None


# --- adding ------------------------------------------------------------------------------------------------


def _add(exercise_id: str, affected: str | None) -> None:
    work = state.sync()
    if work is None:
        return
    try:
        state.set_work(builder.add_item(work, exercise_id, cache.library(), _affected(affected)))
    except ValueError as exc:
        st.session_state[state.NOTICE] = f"Could not add it: {exc}."
        return
    st.session_state[state.NOTICE] = f"Added {cache.library().get(exercise_id).name}."


def _more() -> None:
    st.session_state[RESULTS] = st.session_state.get(RESULTS, PAGE_SIZE) + PAGE_SIZE


def _reset_results() -> None:
    st.session_state[RESULTS] = PAGE_SIZE


def add_exercises(library: ExerciseLibrary, stamps: Stamps, affected: Side | None, in_program: set[str]) -> None:
    text_col, category_col, equipment_col, area_col, phase_col = st.columns([3, 2, 2, 2, 2])
    text = text_col.text_input("Search exercises", key=SEARCH["text"], placeholder="e.g. bridge, thigh, band",
                               on_change=_reset_results, max_chars=100)
    category = category_col.selectbox("Type", list(Category), index=None, key=SEARCH["category"],
                                      format_func=lambda c: _label(c.value), placeholder="Any type",
                                      on_change=_reset_results)
    equipment = equipment_col.selectbox("Equipment", cache.equipment(stamps), index=None, key=SEARCH["equipment"],
                                        placeholder="Any equipment", on_change=_reset_results)
    area = area_col.selectbox("Target area", list(TargetArea), index=None, key=SEARCH["area"],
                              format_func=lambda a: _label(a.value), placeholder="Any area",
                              on_change=_reset_results)
    phase = phase_col.selectbox("Phase", list(Phase), index=None, key=SEARCH["phase"],
                                format_func=lambda p: _label(p.value), placeholder="Any phase",
                                on_change=_reset_results)
    found = cache.search(stamps, text or "", category=category, equipment=equipment, area=area, phase=phase)
    if not found:
        st.info("No exercise matches. Clear the search or a filter to see more.")
        return
    limit = st.session_state.get(RESULTS, PAGE_SIZE)
    shown = found[:limit]
    for start in range(0, len(shown), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, exercise_id in zip(columns, shown[start : start + CARDS_PER_ROW], strict=False):
            with column.container(border=True):
                _card(library, stamps, exercise_id, affected, exercise_id in in_program)
    more_col, count_col = st.columns([1, 4], vertical_alignment="center")
    count_col.caption(f"Showing {len(shown)} of {len(found)} matching exercises.")
    if len(found) > limit:
        more_col.button("Show more", key="build_results_more", on_click=_more, icon=":material/expand_more:")


def _card(library: ExerciseLibrary, stamps: Stamps, exercise_id: str, affected: Side | None, already: bool) -> None:
    exercise = library.get(exercise_id)
    picture = cache.picture(exercise, stamps)
    if picture:
        st.image(picture, width="stretch", output_format="PNG" if isinstance(picture, bytes) else "auto",
                 alt=f"{'Photo' if exercise.custom else 'Drawing'}: {exercise.name}")
    else:
        st.caption(":material/image_not_supported: No picture yet (clinic exercise)" if exercise.custom
                   else ":material/image_not_supported: No drawing")
    st.markdown(f"**{md(exercise.name)}**")
    dose = exercise_dose_in_words(exercise, exercise.default_dose, None)
    st.caption(f"{_label(exercise.category.value)} · {md(dose)}")
    st.button("Add again" if already else "Add", key=f"build_add_{exercise_id}", icon=":material/add:",
              on_click=_add, args=(exercise_id, affected.value if affected else None), width="stretch",
              help="Already in the program" if already else None)


# --- the dose grid -----------------------------------------------------------------------------------------


def _numbers(values: list[Any]) -> pd.Series:
    """Whole numbers (empty allowed); anything odd a draft might hold shows as empty, its problem listed below."""
    cleaned = [builder.clean_number(v) for v in values]
    if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in cleaned):
        return pd.Series(cleaned, dtype="Int64")
    return pd.to_numeric(pd.Series(cleaned, dtype="object"), errors="coerce")


def _frame(rows: list[dict[str, Any]], library: ExerciseLibrary) -> pd.DataFrame:
    names = []
    for row_number, item in enumerate(state.work().items, start=1):
        name = library.get(item.exercise).name if item.exercise in library else item.exercise
        names.append(f"{row_number}. {name}")
    data: dict[str, Any] = {"exercise": names}
    for field in builder.ROW_FIELDS:
        values = [row.get(field) for row in rows]
        if field in builder.NUMBER_FIELDS:
            data[field] = _numbers(values)
        elif field == "grow":
            data[field] = pd.Series([v is not False for v in values], dtype=bool)
        else:
            data[field] = pd.Series([None if v is None else str(v) for v in values], dtype="object")
    return pd.DataFrame(data)


# Pixel widths: each header in full and the longest built-in name ("10. Knee extension (90 to 45 degrees)"), adding
# up to the width a 1280-pixel screen leaves next to the sidebar (tests/e2e/test_layout.py measures it).
WIDTHS = {"exercise": 232, "side": 62, "sets": 60, "reps": 62, "hold_seconds": 62, "minutes": 58, "rest_seconds": 62,
          "days_per_week": 62, "times_per_day": 84, "load": 70, "grow": 62, "notes": 70}
# Short headers (each editable header also carries an icon); the units are in each column's help.
HEADERS = {**builder.ROW_FIELDS, "hold_seconds": "Hold", "minutes": "Min", "rest_seconds": "Rest",
           "days_per_week": "Days", "grow": "Grow", "notes": "Note"}
HELP = {
    "side": "Which leg, for exercises done one leg at a time",
    "reps": "Repetitions in each set",
    "hold_seconds": "Seconds to hold each rep",
    "minutes": "Minutes, for timed exercises such as cycling",
    "rest_seconds": "Rest between sets, in seconds",
    "days_per_week": "Days a week",
    "times_per_day": "Sessions a day on those days",
    "load": "e.g. light band, 2 kg ankle weight",
    "grow": "Let the week plan raise this dose by the exercise's own weekly rule (see the week plan below)",
    "notes": "A short note printed with this exercise (double-click to read or change all of it)",
}


def _column_config() -> dict[str, Any]:
    config: dict[str, Any] = {
        "exercise": st.column_config.TextColumn("Exercise", disabled=True, pinned=True, width=WIDTHS["exercise"]),
        "side": st.column_config.SelectboxColumn(HEADERS["side"], options=SIDES, format_func=str.capitalize,
                                                 width=WIDTHS["side"], help=HELP["side"]),
        "load": st.column_config.TextColumn(HEADERS["load"], max_chars=100, width=WIDTHS["load"], help=HELP["load"]),
        "grow": st.column_config.CheckboxColumn(HEADERS["grow"], width=WIDTHS["grow"], help=HELP["grow"]),
        "notes": st.column_config.TextColumn(HEADERS["notes"], max_chars=2000, width=WIDTHS["notes"],
                                             help=HELP["notes"]),
    }
    for field in builder.NUMBER_FIELDS:
        lo, hi = builder.bounds(ProgramItem, field)
        config[field] = st.column_config.NumberColumn(HEADERS[field], min_value=lo, max_value=hi, step=1,
                                                      format="%d", help=HELP.get(field), width=WIDTHS[field])
    return config


def dose_grid(library: ExerciseLibrary) -> None:
    work = state.work()
    rows = state.grid_base(work)
    st.data_editor(_frame(rows, library), key=state.grid_key(), hide_index=True, num_rows="fixed", height="content",
                   column_config=_column_config(), width="stretch", disabled=["exercise"], placeholder="–")


def row_problems(problems: list[builder.Problem]) -> None:
    rows = [p for p in problems if p.row is not None]
    if rows:
        st.error("**Fix these doses** (the program is saved and printed only when they are right):\n\n"
                 + "\n".join(f"- {md(p.text)}" for p in rows), icon=":material/error:")


# --- order and swaps ---------------------------------------------------------------------------------------


def _clinic_template(ref: str | None) -> Template | None:
    """The clinic template a program started from (its notes for each exercise), or None for a built-in one, none,
    or one that is gone."""
    if ref is None or clinic_templates.parse_ref(ref) is None:
        return None
    try:
        return clinic_templates.resolve_template(ref, repo=repository())
    except RehabError:
        return None


def _act(index: int, action: str, affected: str | None) -> None:
    work = state.sync()
    if work is None or index >= len(work.items):
        return
    library = cache.library()
    name = library.get(work.items[index].exercise).name if work.items[index].exercise in library else "It"
    if action in ("up", "down"):
        state.set_work(builder.move_item(work, index, -1 if action == "up" else 1))
        return
    if action == "remove":
        state.set_work(builder.remove_item(work, index))
        st.session_state[state.NOTICE] = f"Removed {name}."
        return
    target = builder.harder_id(work, index, library) if action == "harder" else builder.easier_id(work, index, library)
    if target is None:
        return
    started_from = _clinic_template(work.template)
    dropped = builder.template_note(work.items[index], started_from)
    state.set_work(builder.swap_item(work, index, target, library, _affected(affected), started_from))
    st.session_state[state.NOTICE] = (f"Swapped {name} for {library.get(target).name} at its starting dose"
                                      + (f"; the template's note for {name} was removed." if dropped else "."))


def row_actions(library: ExerciseLibrary, affected: Side | None) -> None:
    """One line per exercise: its place, its ladder, and one-click buttons (disabled where they do nothing)."""
    work = state.work()
    count = len(work.items)
    side = affected.value if affected else None
    for index, item in enumerate(work.items):
        known = item.exercise in library
        name = library.get(item.exercise).name if known else item.exercise
        harder = library.harder(item.exercise) if known else None
        easier = library.easier(item.exercise) if known else None
        ladder = []
        if harder:
            ladder.append(f"harder: {md(harder.name)}")
        if easier:
            ladder.append(f"easier: {md(easier.name)}")
        name_col, action_col = st.columns([2, 3], vertical_alignment="center")
        name_col.markdown(f"**{index + 1}. {md(name)}**" + (f"  \n:gray[{' · '.join(ladder)}]" if ladder else ""))
        buttons = action_col.container(horizontal=True, gap="small")
        helps = {
            "up": None,
            "down": None,
            "harder": (f"Swap for {md(harder.name)}, at its starting dose" if harder
                       else "No harder exercise on its ladder"),
            "easier": (f"Swap for {md(easier.name)}, at its starting dose" if easier
                       else "No easier exercise on its ladder"),
            "remove": None,
        }
        possible = {"up": index > 0, "down": index < count - 1, "harder": harder is not None,
                    "easier": easier is not None, "remove": True}
        for action, (label, icon) in ACTIONS.items():
            buttons.button(label, key=f"build_{action}_{index}", icon=icon, disabled=not possible[action],
                           help=helps[action], on_click=_act, args=(index, action, side))
