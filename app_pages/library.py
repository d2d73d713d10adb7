"""Exercise library: browse and filter with drawings and full details; add and edit the clinic's own exercises;
export the library and import the clinic's exercises as CSV."""

import streamlit as st

from rehab import services
from rehab.content.library import ExerciseLibrary, load_library
from rehab.domain import Category, Exercise, Phase, TargetArea
from rehab.services.drawings import describe
from rehab.words.dose import exercise_dose_in_words, frequency_in_words
from rehab.words.entries import exercise_states
from rehab.words.screens import exercise_table
from ui.build.fields import LANGUAGE_NAMES
from ui.context import attempt, repository
from ui.library import csv as library_csv
from ui.library import form as library_form
from ui.library.drawing import moving_drawing_html
from ui.library.form import TAB, TAB_EDIT
from ui.text import md
from ui.widgets import forget, keep, kept, kept_value, set_kept

TABS = ["Browse", TAB_EDIT, "Import or export CSV"]
SOURCES = {"built-in": "Built-in", "clinic": "Your clinic's own"}
WANTED = "library_detail_wanted"  # an exercise to show in the details (set after a save)


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _picture(exercise: Exercise) -> None:
    if exercise.custom:
        photo = attempt(lambda: services.exercises.custom_exercise_photo(exercise.id, repo=repository()),
                        doing="load the exercise photo")
        if photo:
            st.image(photo, width="stretch", alt=f"Photo: {exercise.name}")
        else:
            st.caption("No photo yet. Choose “Edit this exercise” to add one.")
        return
    # drawn by our code from our pose data (no user text inside); it loops, and holds still under reduced motion
    drawing = moving_drawing_html(exercise.id)
    if drawing:
        st.html(drawing)
        st.caption(describe(exercise.id))


def _details(exercise: Exercise, library: ExerciseLibrary) -> None:
    st.subheader(md(exercise.name))
    picture, how, facts = st.columns([5, 6, 4], gap="medium")
    with picture:
        _picture(exercise)
        if exercise.custom:
            st.button("Edit this exercise", key="library_edit_this", icon=":material/edit:",
                      on_click=library_form.load_into_form, args=(exercise,))
        else:
            st.button("Use as a starting point", key="library_copy_this", icon=":material/content_copy:",
                      help="Opens a copy in the form, to save as your clinic's own exercise.",
                      on_click=library_form.load_into_form, args=(exercise,), kwargs={"copy": True})
    with how:
        st.markdown("**Steps**")
        st.markdown("\n".join(f"{n}. {md(step)}" for n, step in enumerate(exercise.steps, start=1)))
        st.markdown("**Form cues**")
        st.markdown("\n".join(f"- {md(cue)}" for cue in exercise.cues))
        if exercise.cautions:
            st.markdown("**Cautions**")
            st.markdown("\n".join(f"- {md(c)}" for c in exercise.cautions))
    with facts:
        dose = exercise.default_dose
        st.markdown(f"**Starting dose:** {md(exercise_dose_in_words(exercise, dose, None))}, "
                    f"{md(frequency_in_words(dose).lower())}")
        st.markdown(f"**Muscles:** {md(', '.join(exercise.target_muscles))}")
        st.markdown(f"**Equipment:** {md(', '.join(exercise.equipment) or 'none')}")
        harder, easier = library.harder(exercise.id), library.easier(exercise.id)
        st.markdown(f"**Harder:** {md(harder.name if harder else exercise.progress_tip)}")
        st.markdown(f"**Easier:** {md(easier.name if easier else exercise.ease_tip)}")
        st.markdown(f"**Evidence:** {md(exercise.evidence)}")
        states = " · ".join(f"{LANGUAGE_NAMES[language.value]}: {state}"
                            for language, state in exercise_states(exercise).items())
        st.caption(f"Handout translations (for you, never printed): {md(states)}")
        st.caption(f"{'Your clinic' if exercise.custom else 'Built-in'} exercise · id {md(exercise.id)}")


def _browse(library: ExerciseLibrary) -> None:
    # kept(): the filters and the chosen exercise survive switching tabs and pages
    search_col, category_col, equipment_col, area_col, phase_col, source_col = st.columns([3, 2, 2, 2, 2, 2])
    with search_col:
        text = kept(st.text_input, "Search", key="library_search", default="",
                    placeholder="e.g. bridge, thigh, band")
    with category_col:
        category = kept(st.selectbox, "Type", key="library_category", options=list(Category), index=None,
                        format_func=lambda c: _label(c.value), placeholder="Any type")
    equipment_options = library.equipment()
    if st.session_state.get("library_equipment") not in (None, *equipment_options):
        forget("library_equipment")
    with equipment_col:
        equipment = kept(st.selectbox, "Equipment", key="library_equipment", options=equipment_options, index=None,
                         placeholder="Any equipment")
    with area_col:
        area = kept(st.selectbox, "Target area", key="library_area", options=list(TargetArea), index=None,
                    format_func=lambda a: _label(a.value), placeholder="Any area")
    with phase_col:
        phase = kept(st.selectbox, "Phase", key="library_phase", options=list(Phase), index=None,
                     format_func=lambda p: _label(p.value), placeholder="Any phase")
    with source_col:
        source = kept(st.selectbox, "Source", key="library_source", options=list(SOURCES), index=None,
                      format_func=SOURCES.get, placeholder="Any source")

    found = library.search(text, category=category, equipment=equipment, area=area, phase=phase)
    if source:
        found = [ex for ex in found if ex.custom == (source == "clinic")]
    if not found:
        st.info("No exercise matches. Clear the search or a filter to see more.")
        return

    table = exercise_table(found).drop(columns=["id", "Position"])
    table.insert(1, "Source", ["your clinic" if ex.custom else "built-in" for ex in found])
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"Exercise": st.column_config.TextColumn(width="medium"),
                       "Starting dose": st.column_config.TextColumn(width="large")},
    )

    ids = [ex.id for ex in found]
    wanted = st.session_state.pop(WANTED, None)
    if wanted in ids:
        set_kept("library_detail", wanted)
    elif st.session_state.get("library_detail", kept_value("library_detail")) not in ids:
        set_kept("library_detail", ids[0])  # set, not dropped: the browser then shows the new choice too
    with st.columns([2, 3])[0]:
        chosen = kept(st.selectbox, "Show details for", key="library_detail", options=ids,
                      format_func=lambda i: library.get(i).name)
    with st.container(border=True):
        _details(library.get(chosen), library)


clinic_library = attempt(lambda: services.exercises.clinic_library(repo=repository()),
                         doing="load your clinic's exercises")
library = clinic_library or load_library()  # the built-in exercises can still be browsed

st.title("Exercise library")
custom_count = sum(1 for ex in library if ex.custom)
own = f"{custom_count} of your clinic's own" if custom_count else "none of your clinic's own yet"
st.caption(f"{len(library) - custom_count} built-in exercises for runner's knee and {own}. "
           "Search by name or muscle, or filter.")

if st.session_state.get(TAB) not in TABS:
    st.session_state[TAB] = kept_value(TAB) if kept_value(TAB) in TABS else TABS[0]
browse, edit, csv = st.tabs(TABS, key=TAB, on_change="rerun")
keep(TAB, st.session_state[TAB])
if browse.open:
    with browse:
        _browse(library)
if edit.open:
    with edit:
        if clinic_library is None:
            st.info("Your clinic's exercises cannot be changed until the database is reachable again.")
        else:
            library_form.draw(library)
if csv.open:
    with csv:
        library_csv.draw(library)
