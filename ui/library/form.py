"""The Exercise library page's add/edit form for the clinic's own exercises.

The form keeps its values across reruns and page switches (ui.widgets); checks and saving are rehab
functions (rehab.content.exercise_fields, rehab.services.exercises), so the page only draws widgets and shows plain
messages.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from rehab import services
from rehab.content.exercise_fields import (
    WEEKLY_FIELDS,
    ExerciseInputError,
    build_exercise,
    fields_from_exercise,
    label,
    ladder_problems,
    name_problems,
    new_exercise_id,
    words,
)
from rehab.content.library import ExerciseLibrary
from rehab.content.readability import GRADE_LIMIT, HINT, describe, overall_grade, text_grades
from rehab.domain import Category, Exercise, Growth, Phase, Position, TargetArea
from rehab.images import check_image
from ui.context import actor, attempt, repository
from ui.text import md
from ui.widgets import forget, kept, set_kept

EDITING = "library_editing"  # id of the custom exercise in the form; None: a new one
PHOTO = "library_photo"  # {"bytes": new photo or None, "remove": bool, "file": uploader file id}
NOTICE = "library_form_notice"
TAB = "library_tab"
TAB_EDIT = "Add or edit your own"

# Form widget keys by field; numbers hold (widget key, default).
TEXT = {"name": "library_f_name", "summary": "library_f_summary", "target_muscles": "library_f_muscles",
        "equipment": "library_f_equipment",
        "load": "library_f_load", "progress_tip": "library_f_progress_tip", "ease_tip": "library_f_ease_tip",
        "evidence": "library_f_evidence"}
LINES = {"steps": "library_f_steps", "cues": "library_f_cues", "cautions": "library_f_cautions"}
CHOICE = {"category": "library_f_category", "position": "library_f_position", "target_areas": "library_f_areas",
          "phases": "library_f_phases", "one_leg": "library_f_one_leg", "harder_id": "library_f_harder",
          "easier_id": "library_f_easier"}
NUMBER = {"sets": ("library_f_sets", 3), "reps": ("library_f_reps", 10), "hold_seconds": ("library_f_hold", None),
          "minutes": ("library_f_minutes", None), "rest_seconds": ("library_f_rest", 60),
          "days_per_week": ("library_f_days", 3), "times_per_day": ("library_f_times", 1),
          "seconds_per_rep": ("library_f_spr", 4)}
NUMBER_RANGES = {"sets": (1, 10), "reps": (1, 50), "hold_seconds": (1, 300), "minutes": (1, 120),
                 "rest_seconds": (0, 600), "days_per_week": (1, 7), "times_per_day": (1, 6), "seconds_per_rep": (1, 30)}
# The week plan's rule for the exercise (rehab.domain.WeeklyRule): what grows, by how much, how often, up to what.
WEEKLY = {name: f"library_f_{name}" for name in WEEKLY_FIELDS}
WEEKLY_RANGES = {"weekly_step": (1, 30), "weekly_every_weeks": (1, 12), "weekly_max": (1, 300),
                 "weekly_max_rise_percent": (1, 100)}
GROWTH_WORDS = {Growth.NONE: "Nothing: the same dose every week", Growth.REPS: "Reps",
                Growth.HOLD_SECONDS: "Hold (seconds)", Growth.SETS: "Sets", Growth.MINUTES: "Minutes"}
ALL_KEYS = [*TEXT.values(), *LINES.values(), *CHOICE.values(), *(k for k, _ in NUMBER.values()), *WEEKLY.values()]


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text or "") if part.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def load_into_form(exercise: Exercise | None, *, copy: bool = False) -> None:
    """Fill the form from an exercise (None: empty form). With ``copy`` it becomes a new exercise. Use in on_click."""
    if exercise is None:
        forget(*ALL_KEYS)
        set_kept(EDITING, None)
    else:
        fields = fields_from_exercise(exercise)
        for name, key in TEXT.items():
            value = fields[name]
            set_kept(key, ", ".join(value) if isinstance(value, list) else (value or ""))
        for name, key in LINES.items():
            set_kept(key, "\n".join(fields[name]))
        set_kept(CHOICE["category"], exercise.category)
        set_kept(CHOICE["position"], exercise.position)
        set_kept(CHOICE["target_areas"], list(exercise.target_areas))
        set_kept(CHOICE["phases"], list(exercise.phases))
        set_kept(CHOICE["one_leg"], exercise.one_leg)
        set_kept(CHOICE["harder_id"], None if copy else exercise.progression)
        set_kept(CHOICE["easier_id"], None if copy else exercise.regression)
        for name, (key, _) in NUMBER.items():
            set_kept(key, fields[name])
        for name, key in WEEKLY.items():
            set_kept(key, Growth(fields[name]) if name == "weekly_grow" else fields[name])
        if copy:
            set_kept(TEXT["name"], f"{exercise.name} (clinic version)"[:200])
        set_kept(EDITING, None if copy else exercise.id)
    st.session_state[PHOTO] = {"bytes": None, "remove": False, "file": None}
    set_kept(TAB, TAB_EDIT)
    st.session_state.pop(NOTICE, None)


def _field_values() -> dict[str, Any]:
    s = st.session_state
    values: dict[str, Any] = {name: s.get(key) for name, key in TEXT.items()}
    values["target_muscles"] = _split(values["target_muscles"])
    values["equipment"] = _split(values["equipment"])
    values |= {name: _lines(s.get(key, "")) for name, key in LINES.items()}
    values |= {name: s.get(key) for name, key in CHOICE.items()}
    values |= {name: s.get(key) for name, (key, _) in NUMBER.items()}
    grow = s.get(WEEKLY["weekly_grow"]) or Growth.NONE
    values["weekly_grow"] = grow.value
    if grow is not Growth.NONE:  # with no growth the step, maximum and largest rise mean nothing: not sent
        values |= {name: s.get(key) for name, key in WEEKLY.items() if name != "weekly_grow"}
    return values


def _patient_texts(values: dict[str, Any]) -> dict[str, str]:
    texts = {f"{prefix}_{n}": text for name, prefix in (("steps", "step"), ("cues", "cue"), ("cautions", "caution"))
             for n, text in enumerate(values[name], start=1)}
    return texts | {"progress_tip": values["progress_tip"] or "", "ease_tip": values["ease_tip"] or ""}


def _readability(values: dict[str, Any]) -> None:
    texts = _patient_texts(values)
    if not any(t.strip() for t in texts.values()):
        st.caption("The reading level of the steps, cues and tips shows here as you write them.")
        return
    grades = text_grades(texts)
    overall = overall_grade(texts)
    hard = [g for g in grades if g.too_hard]
    st.markdown(f"**Reading level:** {describe(overall)} overall. Aim for about grade 6, and at most grade "
                f"{GRADE_LIMIT:.0f} for each text.")
    if hard:
        lines = "\n".join(f"- {label(g.field)} reads at {describe(g.grade)}." for g in hard)
        st.warning(f"{lines}\n\n{HINT}")
    else:
        st.success("Every text is at grade 7 or below.", icon=":material/check:")


def _photo_input(editing: str | None) -> None:
    photo = st.session_state.setdefault(PHOTO, {"bytes": None, "remove": False, "file": None})
    upload = st.file_uploader("Photo (optional): PNG or JPEG, at most 5 MB", type=["png", "jpg", "jpeg"],
                              key="library_f_photo_upload", max_upload_size=5)
    if upload is not None and upload.file_id != photo["file"]:
        photo["file"] = upload.file_id
        try:
            check_image(upload.getvalue())
        except ValueError as exc:
            photo["bytes"] = None
            photo["error"] = f"This photo cannot be used: {exc}. Choose a PNG or JPEG file."
        else:
            photo.update(bytes=upload.getvalue(), remove=False, error=None)
    if photo.get("error"):
        st.error(md(photo["error"]))
    current = services.exercises.custom_exercise_photo(editing, repo=repository()) if editing else None
    shown = photo["bytes"] or (None if photo["remove"] else current)
    if shown:
        st.image(shown, width=240, caption="New photo, saved with the exercise" if photo["bytes"] else "Photo",
                 alt="Photo of the exercise")
        if st.button("Remove photo", key="library_f_photo_remove"):
            photo.update(bytes=None, remove=True)
            st.rerun()


def _save(library: ExerciseLibrary) -> None:
    values = _field_values()
    editing = st.session_state.get(EDITING)
    values["id"] = editing or new_exercise_id(values["name"] or "", library.ids())
    if editing and editing in library:  # fields the form does not show (from a CSV import) are kept as they were
        kept_fields = fields_from_exercise(library.get(editing))
        values |= {name: kept_fields[name] for name in ("each_side", "rep_unit")}
    try:
        exercise = build_exercise(values)
    except ExerciseInputError as exc:
        problems = exc.problems
    else:
        problems = [*name_problems([exercise], library).get(exercise.id, []),
                    *ladder_problems([exercise], library).get(exercise.id, [])]
    if problems:
        st.error("Please fix these before saving:\n" + "\n".join(f"- {md(p.message)}" for p in problems))
        return
    photo = st.session_state.get(PHOTO, {})
    photos = {exercise.id: photo["bytes"]} if photo.get("bytes") else {exercise.id: None} if photo.get("remove") \
        else None
    saved = attempt(lambda: services.exercises.save_custom_exercises([exercise], repo=repository(), actor=actor(),
                                                          photos=photos), doing="save the exercise")
    if saved:
        st.session_state[NOTICE] = f"Saved “{exercise.name}”. It is in the library now and can be added to programs."
        set_kept(EDITING, exercise.id)
        st.session_state[PHOTO] = {"bytes": None, "remove": False, "file": photo.get("file")}
        st.session_state["library_detail_wanted"] = exercise.id
        st.rerun()


def _weekly_inputs() -> None:
    with st.container(border=True):
        st.markdown("**Week by week** (what the week plan raises, and its ceiling; load is only changed at a review)")
        grow_col, *cols = st.columns([3, 2, 2, 2, 2], vertical_alignment="bottom")
        with grow_col:
            kept(st.selectbox, label("weekly_grow"), key=WEEKLY["weekly_grow"], default=Growth.NONE,
                 options=list(GROWTH_WORDS), format_func=GROWTH_WORDS.get)
        grows = st.session_state.get(WEEKLY["weekly_grow"]) not in (None, Growth.NONE)
        helps = {"weekly_step": "Added at each step: reps, seconds, sets or minutes.",
                 "weekly_every_weeks": "1: a step every week; 2: every other week.",
                 "weekly_max": "The plan never goes above this.",
                 "weekly_max_rise_percent": "Optional: no step may add more than this share (running time: 30)."}
        for col, (name, (low, high)) in zip(cols, WEEKLY_RANGES.items(), strict=True):
            with col:
                default = 1 if name == "weekly_every_weeks" else None
                kept(st.number_input, label(name), key=WEEKLY[name], default=default, min_value=low, max_value=high,
                     step=1, disabled=not grows, help=helps[name])


def draw(library: ExerciseLibrary) -> None:
    """The add/edit form. ``library`` is the clinic's library (built-in and custom)."""
    custom = [ex for ex in library if ex.custom]
    editing = st.session_state.get(EDITING)
    if editing not in library:
        editing = None
    pick, new = st.columns([4, 1], vertical_alignment="bottom")
    options = [None, *(ex.id for ex in custom)]
    if st.session_state.get("library_edit_pick") != editing:
        st.session_state["library_edit_pick"] = editing  # follow a save or a load from the Browse tab
    pick.selectbox("Exercise to edit", options, key="library_edit_pick",
                   format_func=lambda i: "A new exercise" if i is None else library.get(i).name,
                   on_change=lambda: load_into_form(
                       library.get(st.session_state["library_edit_pick"])
                       if st.session_state["library_edit_pick"] else None))
    new.button("Start a new one", key="library_f_new", on_click=load_into_form, args=(None,), width="stretch")
    if not custom and editing is None:
        st.caption("Your clinic has no exercises of its own yet. Fill in this form to add one, or pick a built-in "
                   "exercise on the Browse tab and choose “Use as a starting point”.")
    if st.session_state.get(NOTICE):
        st.success(md(st.session_state[NOTICE]))

    with st.container(border=True):
        about, text = st.columns([1, 1], gap="large")
        with about:
            st.markdown("**About the exercise**")
            kept(st.text_input, "Name", key=TEXT["name"], default="", max_chars=200,
                 placeholder="e.g. Wall slide")
            kept(st.text_input, "What it is, in one line (optional)", key=TEXT["summary"], default="",
                 max_chars=400, placeholder="e.g. With your back on a wall, slide down a little way.",
                 help="Printed under the name on the handout card. Empty: the card starts with the first step.")
            left, right = st.columns(2)
            with left:
                kept(st.selectbox, "Type", key=CHOICE["category"], options=list(Category), index=None,
                     format_func=lambda c: words(c.value).capitalize(), placeholder="Choose a type")
            with right:
                kept(st.selectbox, "Starting position", key=CHOICE["position"], options=list(Position),
                     index=None, format_func=lambda p: words(p.value).capitalize(), placeholder="Choose a position")
            kept(st.multiselect, "Target areas", key=CHOICE["target_areas"], default=[], options=list(TargetArea),
                 format_func=lambda a: words(a.value).capitalize())
            kept(st.text_input, "Muscles worked (separate with commas)", key=TEXT["target_muscles"], default="",
                 placeholder="e.g. front of thigh, buttocks")
            kept(st.text_input, "Equipment (separate with commas; leave empty for none)", key=TEXT["equipment"],
                 default="", placeholder="e.g. step, loop band")
            kept(st.toggle, "Done one leg at a time (the program then says which side)", key=CHOICE["one_leg"],
                 default=False)
            kept(st.multiselect, "Phases it suits", key=CHOICE["phases"], default=[], options=list(Phase),
                 format_func=lambda p: words(p.value).capitalize())
            kept(st.text_input, "Evidence note (for clinicians)", key=TEXT["evidence"], default="", max_chars=400)
        with text:
            st.markdown("**What the patient reads**")
            kept(st.text_area, "Steps: one per line, 3 to 6", key=LINES["steps"], default="", height=150,
                 placeholder="Stand with your back against a wall.\nSlide down a little.\nSlide back up slowly.")
            kept(st.text_area, "Form cues: one per line, 1 to 3", key=LINES["cues"], default="", height=90,
                 placeholder="Keep your knees over your toes.")
            kept(st.text_area, "Cautions: one per line (optional)", key=LINES["cautions"], default="", height=70)
            kept(st.text_input, "How to make it harder", key=TEXT["progress_tip"], default="", max_chars=400,
                 placeholder="e.g. Slide a little lower.")
            kept(st.text_input, "How to make it easier", key=TEXT["ease_tip"], default="", max_chars=400,
                 placeholder="e.g. Slide down less far.")
            _readability(_field_values())

    with st.container(border=True):
        st.markdown("**Starting dose** (leave reps, hold or minutes empty when they do not apply)")
        cols = st.columns(8, vertical_alignment="bottom")
        for col, (name, (key, default)) in zip(cols, NUMBER.items(), strict=True):
            low, high = NUMBER_RANGES[name]
            with col:
                kept(st.number_input, label(name), key=key, default=default, min_value=low, max_value=high,
                     step=5 if name == "rest_seconds" else 1)
        load_col, harder_col, easier_col = st.columns([2, 3, 3])
        with load_col:
            kept(st.text_input, "Load or band", key=TEXT["load"], default="", max_chars=100,
                 placeholder="e.g. light band")
        ladder = [ex.id for ex in library if ex.id != editing]
        for col, name, hint in ((harder_col, "harder_id", "the next step up"),
                                (easier_col, "easier_id", "if this one hurts")):
            if st.session_state.get(CHOICE[name]) not in (None, *ladder):
                forget(CHOICE[name])
            with col:
                kept(st.selectbox, f"{label(name)} ({hint})", key=CHOICE[name], options=ladder, index=None,
                     format_func=lambda i: library.get(i).name, placeholder="None")

    _weekly_inputs()

    photo_col, save_col = st.columns([3, 2], vertical_alignment="bottom")
    with photo_col:
        _photo_input(editing)
    with save_col:
        what = "Save changes" if editing else "Add to the library"
        if st.button(what, key="library_f_save", type="primary", width="stretch"):
            _save(library)
