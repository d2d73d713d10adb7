"""Build page: the week-by-week plan the handout will print, shown before saving, and planned exercise switches.

The plan follows each exercise's own weekly rule; the "Grows" column of the dose grid turns it off per row. The
plan never changes exercise by itself: a switch is planned here, visibly, and the new exercise gets its card.
"""

from __future__ import annotations

import streamlit as st

from rehab.content.library import ExerciseLibrary
from rehab.domain import Program
from rehab.program import builder
from rehab.words.screens import week_plan_table
from ui.build import cache, state
from ui.text import md

SWITCH_ROW, SWITCH_TO, SWITCH_WEEK = "build_switch_row", "build_switch_to", "build_switch_week"


def numbered_names(items, library: ExerciseLibrary) -> list[str]:
    """Each row as the pickers show it, "3. Clamshell" (an exercise no longer in the library by its id)."""
    return [f"{n}. {library.get(item.exercise).name if item.exercise in library else item.exercise}"
            for n, item in enumerate(items, start=1)]


def _plan_switch() -> None:
    work = state.sync()
    row, target, week = (st.session_state.get(key) for key in (SWITCH_ROW, SWITCH_TO, SWITCH_WEEK))
    if work is None or row is None or target is None or week is None or row >= len(work.items):
        st.session_state[state.NOTICE] = "Could not plan the switch: choose an exercise row, a new exercise and a week."
        return
    try:
        state.set_work(builder.plan_switch(work, row, target, int(week)))
    except ValueError as exc:
        st.session_state[state.NOTICE] = f"Could not plan the switch: {exc}."
        return
    library = cache.library()
    st.session_state[state.NOTICE] = (f"From week {int(week)}, {library.get(work.items[row].exercise).name} "
                                      f"becomes {library.get(target).name}.")


def _clear_switch(index: int) -> None:
    work = state.sync()
    if work is not None and index < len(work.items):
        state.set_work(builder.clear_switch(work, index))


def _text_width(values) -> int:
    """Pixels for a column's longest text (the grid sizes a column by its first rows only, and cut later ones)."""
    return 20 + 7 * max((len(str(value)) for value in values), default=4)


def week_plan(program: Program, library: ExerciseLibrary) -> None:
    """A compact table of every week's dose, then the planned switches and a form to plan one."""
    table = week_plan_table(program, library)
    # Each column as wide as its longest text (nothing cut), the exercise pinned while the weeks scroll
    # sideways; every row in view (no scrolling inside the table).
    config = {"Exercise": st.column_config.TextColumn(pinned=True)}
    config |= {column: st.column_config.TextColumn(width=_text_width(table[column])) for column in table.columns[1:]}
    st.dataframe(table, hide_index=True, width="stretch", height="content", column_config=config,
                 key="build_week_plan")
    st.caption("Each exercise grows by its own rule and never past its limit. Untick **Grows** in the dose grid to "
               "keep a dose the same every week.")
    for index, item in enumerate(program.items):
        if item.switch is None:
            continue
        name = library.get(item.exercise).name
        target = library.get(item.switch.exercise).name if item.switch.exercise in library else item.switch.exercise
        text_col, button_col = st.columns([4, 1], vertical_alignment="center")
        text_col.markdown(f"Row {index + 1}: from week {item.switch.from_week}, **{md(name)}** becomes "
                          f"**{md(target)}** (it gets its own card).")
        button_col.button("Remove", key=f"build_switch_clear_{index}", icon=":material/close:",
                          on_click=_clear_switch, args=(index,))
    if program.duration_weeks < 2:
        return
    st.markdown("**Plan a switch to another exercise** (from a later week, shown in the plan and the handout)")
    row_col, to_col, week_col, go_col = st.columns([3, 3, 1.4, 1.6], vertical_alignment="bottom")
    names = numbered_names(program.items, library)
    row = row_col.selectbox("Row", range(len(program.items)), format_func=lambda i: names[i], key=SWITCH_ROW)
    current = program.items[row].exercise if row is not None and row < len(program.items) else None
    ladder = [ex.id for ex in (library.harder(current), library.easier(current)) if ex] if current else []
    in_program = {item.exercise for item in program.items}  # a switch brings in a new exercise, never a repeat
    ladder = [ex_id for ex_id in ladder if ex_id not in in_program]
    others = ladder + [ex_id for ex_id in library.ids() if ex_id not in in_program and ex_id not in ladder]
    to_col.selectbox("Do this instead", others, key=SWITCH_TO,
                     format_func=lambda ex_id: _choice(library, ex_id, ladder))
    week_col.number_input("From week", min_value=2, max_value=program.duration_weeks, value=2, step=1,
                          key=SWITCH_WEEK)
    go_col.button("Plan switch", key="build_switch_go", icon=":material/swap_horiz:", on_click=_plan_switch,
                  width="stretch")


def _choice(library: ExerciseLibrary, exercise_id: str, ladder: list[str]) -> str:
    return library.get(exercise_id).name + (" (its ladder)" if exercise_id in ladder else "")
