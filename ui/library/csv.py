"""The Exercise library page's CSV tab: download the library, import the clinic's exercises all or nothing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rehab import services
from rehab.content.exercise_csv import CsvFileError, library_csv, read_exercise_csv
from rehab.content.library import ExerciseLibrary
from rehab.words.screens import exercise_table
from ui.context import actor, attempt, repository
from ui.text import md

DONE = "library_csv_done"  # file id of the upload already imported, so one click imports it once
EXPORT_NAME = "exercise-library.csv"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def draw(library: ExerciseLibrary) -> None:
    out, into = st.columns(2, gap="large")
    with out:
        st.markdown("**Export**")
        custom = sum(1 for ex in library if ex.custom)
        st.caption(f"Every exercise ({len(library) - custom} built-in, {custom} of your clinic's own) as a CSV "
                   "file for a spreadsheet. Edit your clinic's rows or add new ones, then import the file.")
        st.download_button("Download the library as CSV", data=library_csv(library),
                           file_name=EXPORT_NAME, mime="text/csv", key="library_csv_download",
                           icon=":material/download:")
        st.caption("The columns are described in docs/exercise-csv.md. Save the file as “CSV UTF-8”.")
    with into:
        st.markdown("**Import your clinic's exercises**")
        st.caption("Every row is checked first. If any row has a problem, nothing is imported and you see a "
                   "list of what to fix. Built-in rows are left as they are.")
        upload = st.file_uploader("CSV file", type=["csv"], key="library_csv_upload", max_upload_size=2)
    if upload is None:
        return
    if st.session_state.get(DONE) == upload.file_id:
        st.success("This file has been imported. Upload another file to import more.")
        return
    try:
        result = read_exercise_csv(upload.getvalue(), library)
    except CsvFileError as exc:
        st.error(md(f"Nothing was imported. {exc}"))
        return
    if result.problems:
        rows = len({p.row for p in result.problems})
        if result.more_problems:
            st.error(f"Nothing was imported: {_plural(len(result.problems) + result.more_problems, 'problem')}. "
                     f"The first {len(result.problems)} (in {_plural(rows, 'row')}) are listed below. "
                     "Fix them in your file, then upload it again to see the rest.")
        else:
            st.error(f"Nothing was imported: {_plural(len(result.problems), 'problem')} in {_plural(rows, 'row')}. "
                     "Fix them in your file, then upload it again.")
        report = pd.DataFrame([(p.row, p.column, p.message) for p in result.problems],
                              columns=["Row", "Column", "Problem"])
        if len(report) <= 30:
            st.table(report, hide_index=True)  # wraps long messages, so each one is read in full
        else:
            st.dataframe(report, hide_index=True, width="stretch",
                         column_config={"Problem": st.column_config.TextColumn(width="large")})
        return
    if not result.exercises:
        st.info(f"This file has no clinic exercises to import ({_plural(result.builtin_rows, 'built-in row')} "
                "left as they are). Add rows with your own exercises, or fill in the form on the "
                "“Add or edit your own” tab.")
        return
    new = len(result.exercises) - len(result.updated)
    parts = [f"{_plural(new, 'new exercise')}" if new else "",
             f"{_plural(len(result.updated), 'change')} to your clinic's exercises" if result.updated else "",
             f"{_plural(result.builtin_rows, 'built-in row')} left as they are" if result.builtin_rows else ""]
    st.info("Every row is fine: " + ", ".join(p for p in parts if p) + ".")
    table = exercise_table(result.exercises).drop(columns=["Position"]).rename(columns={"id": "Id"})
    table.insert(0, "Change", ["replace" if ex.id in result.updated else "new" for ex in result.exercises])
    st.dataframe(table, hide_index=True, width="stretch", key="library_csv_preview")
    if st.button(f"Import {_plural(len(result.exercises), 'exercise')}", key="library_csv_import", type="primary"):
        saved = attempt(lambda: services.exercises.save_custom_exercises(list(result.exercises), repo=repository(),
                                                              actor=actor()), doing="import the exercises")
        if saved is not None:
            st.session_state[DONE] = upload.file_id
            st.rerun()
