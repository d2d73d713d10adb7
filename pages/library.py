"""Browse the exercise library: search, filter, and read each exercise in full."""

import streamlit as st

from rehab.domain import Category, Phase, TargetArea
from rehab.library import load_library
from rehab.tables import exercise_table
from rehab.wording import dose_in_words, frequency_in_words

library = load_library()


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


st.title("Exercise library")
st.caption(f"{len(library)} exercises for runner's knee. Search by name or muscle, or filter.")

search_col, category_col, equipment_col, area_col, phase_col = st.columns([3, 2, 2, 2, 2])
text = search_col.text_input("Search", key="library_search", placeholder="e.g. bridge, thigh, band")
category = category_col.selectbox("Type", list(Category), index=None, key="library_category",
                                  format_func=lambda c: _label(c.value), placeholder="Any type")
equipment = equipment_col.selectbox("Equipment", library.equipment(), index=None, key="library_equipment",
                                    placeholder="Any equipment")
area = area_col.selectbox("Target area", list(TargetArea), index=None, key="library_area",
                          format_func=lambda a: _label(a.value), placeholder="Any area")
phase = phase_col.selectbox("Phase", list(Phase), index=None, key="library_phase",
                            format_func=lambda p: _label(p.value), placeholder="Any phase")

found = library.search(text, category=category, equipment=equipment, area=area, phase=phase)
if not found:
    st.info("No exercise matches. Clear the search or a filter to see more.")
    st.stop()

table = exercise_table(found)
st.dataframe(
    table.drop(columns=["id", "Position"]),
    hide_index=True,
    width="stretch",
    column_config={"Exercise": st.column_config.TextColumn(width="medium"),
                   "Starting dose": st.column_config.TextColumn(width="large")},
)

chosen = st.selectbox("Show details for", [ex.id for ex in found], key="library_detail",
                      format_func=lambda ex_id: library.get(ex_id).name)
exercise = library.get(chosen)
st.subheader(exercise.name)
left, right = st.columns([3, 2])
with left:
    st.markdown("**Steps**")
    st.markdown("\n".join(f"{n}. {step}" for n, step in enumerate(exercise.steps, start=1)))
    st.markdown("**Form cues**")
    st.markdown("\n".join(f"- {cue}" for cue in exercise.cues))
    if exercise.cautions:
        st.markdown("**Cautions**")
        st.markdown("\n".join(f"- {c}" for c in exercise.cautions))
with right:
    dose = exercise.default_dose
    st.markdown(f"**Starting dose:** {dose_in_words(dose, exercise.one_leg, None)}, "
                f"{frequency_in_words(dose).lower()}")
    st.markdown(f"**Muscles:** {', '.join(exercise.target_muscles)}")
    st.markdown(f"**Equipment:** {', '.join(exercise.equipment) or 'none'}")
    harder, easier = library.harder(exercise.id), library.easier(exercise.id)
    st.markdown(f"**Harder:** {harder.name if harder else exercise.progress_tip}")
    st.markdown(f"**Easier:** {easier.name if easier else exercise.ease_tip}")
    st.markdown(f"**Evidence:** {exercise.evidence}")
