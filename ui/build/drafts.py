"""Build page drafts: autosave the working program to the database on every change, and offer to continue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st
from pydantic import ValidationError

from rehab.errors import RehabError
from rehab.program.builder import WorkingProgram
from rehab.services import drafts
from ui.build import state
from ui.context import actor, log, repository
from ui.dates import moment
from ui.text import md

AUTOSAVE_ERROR = "build_autosave_error"


def autosave() -> None:
    """Write the working program as the draft when it changed since the last write; drop the draft when the
    program is back to what was saved. A failure is shown, and the work stays on the page."""
    work = state.work()
    if work is None:
        return
    fingerprint = work.fingerprint()
    repo = repository()
    try:
        if state.dirty():
            if st.session_state.get(state.AUTOSAVED) != fingerprint:
                drafts.save_draft(fingerprint, repo=repo, actor=actor(), patient_id=work.patient_id,
                                  program_id=work.program_id, base_version=work.base_version)
                st.session_state[state.AUTOSAVED] = fingerprint
        elif st.session_state.get(state.AUTOSAVED) is not None:
            drafts.discard_draft(work.patient_id, work.program_id, repo=repo)
            st.session_state[state.AUTOSAVED] = None
        st.session_state[AUTOSAVE_ERROR] = None
    except RehabError as exc:
        st.session_state[AUTOSAVE_ERROR] = str(exc)
    except Exception:  # keep the page usable; details go to the server log without patient data
        log.exception("could not autosave the draft")
        st.session_state[AUTOSAVE_ERROR] = "an unexpected problem"


def when(saved: dt.datetime) -> str:
    """A draft's time in the server's local time zone, e.g. '2026-11-24 14:05'."""
    return moment(saved)


def _continue(patient_id: int, program_id: int | None) -> None:
    found = drafts.get_draft(patient_id, program_id, repo=repository())
    if found is None:
        st.session_state[state.NOTICE] = "That draft is gone (it was saved or discarded in another window)."
        return
    info, document = found
    try:
        work = WorkingProgram.model_validate_json(document)
    except ValidationError:
        st.session_state[state.NOTICE] = "That draft could not be read, so it was left as it is."
        return
    state.sync()
    autosave()  # whatever was on the page is kept as its own draft first
    state.new_start(work, stored=False)
    st.session_state[state.AUTOSAVED] = work.fingerprint()
    st.session_state[state.NOTICE] = f"Continuing your draft from {when(info.updated_at)}."


def _discard(patient_id: int, program_id: int | None) -> None:
    drafts.discard_draft(patient_id, program_id, repo=repository())
    current = state.work()
    if current is not None and current.patient_id == patient_id and current.program_id == program_id:
        st.session_state[state.AUTOSAVED] = None
    st.session_state[state.NOTICE] = "Draft discarded."


def offer_drafts(patient_id: int, program_label: Callable[[int], str]) -> None:
    """'Continue your unsaved draft from <time>' for each draft of this patient that is not already open."""
    work = state.work()
    try:
        found = drafts.list_drafts(patient_id, repo=repository())
    except RehabError as exc:
        st.warning(f"Could not look for unsaved drafts: {md(str(exc))}")
        return
    for info in found:
        is_open = (
            work is not None
            and work.program_id == info.program_id
            and st.session_state.get(state.AUTOSAVED) is not None
        )
        if is_open:
            continue
        what = "a new program" if info.program_id is None else program_label(info.program_id)
        with st.container(border=True):
            text_col, go_col, drop_col = st.columns([4, 1, 1], vertical_alignment="center")
            text_col.markdown(f":material/history: **Continue your unsaved draft from {when(info.updated_at)}** "
                              f"({md(what)}).")
            key = f"{info.program_id or 0}"
            go_col.button("Continue", key=f"build_draft_go_{key}", type="primary", width="stretch",
                          on_click=_continue, args=(patient_id, info.program_id))
            drop_col.button("Discard", key=f"build_draft_drop_{key}", width="stretch",
                            on_click=_discard, args=(patient_id, info.program_id))


# The browser's own "Leave site?" prompt while the page holds unsaved changes. The script carries no user data:
# it only looks for the marker element, which exists while the Build page shows unsaved changes.
_GUARD = """<script>
if (!window.rehabLeaveGuard) {
  window.rehabLeaveGuard = true;
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("[data-rehab-unsaved]")) { event.preventDefault(); event.returnValue = ""; }
  });
}
</script>"""
_MARKER = '<span data-rehab-unsaved="yes"></span>'


def unsaved_banner() -> None:
    """A banner that stays while changes are unsaved, and the browser's warning on closing or reloading."""
    if not state.dirty():
        return
    error = st.session_state.get(AUTOSAVE_ERROR)
    if error:
        st.error(f"**Unsaved changes**, and the automatic draft could not be stored ({md(error)}). Keep this tab open "
                 "and save when you can.", icon=":material/cloud_off:")
    else:
        st.warning("**Unsaved changes.** A draft is kept automatically, so nothing is lost; **Save** at the bottom "
                   "makes them a new version.", icon=":material/edit_note:")
    st.html(_GUARD + _MARKER, unsafe_allow_javascript=True, width="content")
