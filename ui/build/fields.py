"""Build page, step 4: the program's own fields (phase, dates, education, pain rule, notes, clinician)."""

from __future__ import annotations

import streamlit as st

from rehab.content.content import load_education
from rehab.content.library import ExerciseLibrary
from rehab.domain import Language, PainRule, Phase, Program
from rehab.program import builder
from rehab.words.entries import coverage
from ui.build import state
from ui.dates import DATE_INPUT
from ui.text import md

F = state.FIELDS
PHASES = {Phase.SETTLE.value: "1 · Settle the knee", Phase.STRENGTHEN.value: "2 · Strengthen",
          Phase.RETURN_TO_RUNNING.value: "3 · Return to running"}


LANGUAGE_NAMES = {"en": "English", "es": "Spanish (español)", "pl": "Polish (polski)",
                  "ar": "Arabic (العربية, right to left)"}


def _first_changed(clinic_language: str) -> None:
    """The handout language was changed: a second language that is now the first one goes (the caption says so)."""
    current = state.sync()
    if current is not None:
        state.clear_second_language(current.language or clinic_language)


def language_field(program: Program | None, library: ExerciseLibrary, clinic_language: str) -> None:
    """The handout's language and an optional second one printed beneath it, and under them, for the clinician
    only, how far the translation covers this program and its review state (never printed on the handout)."""
    clinic_name = LANGUAGE_NAMES[clinic_language]
    first_col, second_col = st.columns(2, vertical_alignment="bottom")
    first_col.selectbox("Handout language", [state.NO_LANGUAGE, *LANGUAGE_NAMES], key=F["language"],
                        format_func=lambda code: LANGUAGE_NAMES[code] if code else f"The clinic's: {clinic_name}",
                        help="The language of the patient's handout; the app stays in English",
                        on_change=_first_changed, args=(clinic_language,))
    first = getattr(state.work(), "language", None) or clinic_language
    state.clear_second_language(first)  # also when the clinic's language has become the stored second one
    second = getattr(state.work(), "second_language", None)
    second_col.selectbox("Second language (printed beneath, smaller)",
                         [state.NO_LANGUAGE, *(code for code in LANGUAGE_NAMES if code != first)],
                         key=F["second_language"],
                         format_func=lambda code: LANGUAGE_NAMES[code] if code else "None: one language",
                         help="Every block of the handout again beneath, smaller, in this language: for a family "
                              "that shares the paper")
    cleared = st.session_state.pop(state.SECOND_CLEARED, None)
    if cleared is not None:
        st.caption(f"Second language cleared: {LANGUAGE_NAMES[cleared]} is now the handout language. "
                   "Choose another, or leave none for a one-language handout.")
    if program is not None:
        chosen = [Language(code) for code in (first, second) if code]
        for language in chosen:
            caption = coverage(program, library, language).caption
            if caption:  # named when there are two, so each line says which language it speaks of
                st.caption(md(f"{LANGUAGE_NAMES[language.value]}: {caption}" if len(chosen) > 1 else caption))


def program_fields(problems: list[builder.Problem]) -> None:
    state.fill_widgets(state.work(), only_missing=True)  # back from another page: widgets start from the program
    topics = load_education()
    weeks_lo, weeks_hi = builder.bounds(Program, "duration_weeks")
    # Rows of fields whose boxes line up (bottom-aligned, so a label that wraps never pushes its box lower).
    title_col, clinician_col = st.columns([3, 2], vertical_alignment="bottom")
    title_col.text_input("Program title (on the handout; tells this patient's programs apart)", key=F["title"],
                         max_chars=200, placeholder=builder.DEFAULT_TITLE)
    clinician_col.text_input("Clinician (printed on the handout)", key=F["clinician"], max_chars=200,
                             placeholder="Your name")
    phase_col, start_col, weeks_col, green_col, amber_col, settle_col = st.columns([3, 3, 2, 2, 2, 2],
                                                                                    vertical_alignment="bottom")
    phase_col.selectbox("Phase", list(PHASES), key=F["phase"], format_func=PHASES.get)
    start_col.date_input("Start date", key=F["start_date"], format=DATE_INPUT)
    weeks_col.number_input("Weeks", key=F["duration_weeks"], min_value=weeks_lo, max_value=weeks_hi, step=1,
                           help="How long this program runs before the next review")
    green_col.number_input("Pain fine up to", key=F["green_max"], step=1,
                           min_value=builder.bounds(PainRule, "green_max")[0],
                           max_value=builder.bounds(PainRule, "green_max")[1],
                           help="Pain during exercise, 0 to 10, that is fine")
    amber_col.number_input("Stop above", key=F["amber_max"], step=1,
                           min_value=builder.bounds(PainRule, "amber_max")[0],
                           max_value=builder.bounds(PainRule, "amber_max")[1],
                           help="Pain during exercise, 0 to 10, that means stop. Never above 5")
    settle_col.number_input("Settles in (min)", key=F["settle_minutes"], step=5,
                            min_value=builder.bounds(PainRule, "settle_minutes")[0],
                            max_value=builder.bounds(PainRule, "settle_minutes")[1],
                            help="Pain should be back to usual within this many minutes")
    # Pills show every topic at once (a multiselect in a narrow column showed 2 of 6).
    st.pills("Education topics in the handout", list(topics), key=F["education"], selection_mode="multi",
             format_func=lambda t: topics[t].title)
    st.text_area("Notes to the patient (printed on the handout)", key=F["notes"], max_chars=10_000, height=100,
                 placeholder="Anything else the patient should know, in plain words")
    field_problems = [p for p in problems if p.row is None and p.field != "items"]  # items: said in step 3
    if field_problems:
        st.error("\n".join(f"- {p.text}" for p in field_problems), icon=":material/error:")
