"""Helpers the record pages share (Patients, Review visit, Build program, Accounts, Audit log): plain error
messages, patient and program labels, the clinic's library, the handout download, saved times and flash notices."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

from rehab import services
from rehab.content.library import ExerciseLibrary
from rehab.domain.records import PatientRecord, ProgramSummary
from rehab.errors import InvalidRecord, RehabError
from rehab.program.builder import DEFAULT_TITLE
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM, actor, attempt, repository
from ui.dates import day, moment
from ui.widgets import forget

T = TypeVar("T")
PDF_NAME = "exercise-program.pdf"  # never the patient's name: downloads land in shared folders


class _Plain(RehabError):
    """An InvalidRecord reworded with the field's name in plain words."""


def plain_problem(problem: str, labels: dict[str, str]) -> str:
    """'date_of_birth: 1800-01-01 must be ...' → 'Date of birth: 1800-01-01 must be ...'."""
    field, sep, rest = problem.partition(": ")
    if not sep:
        return problem
    name = field.rsplit(".", 1)[-1]
    label = labels.get(field) or labels.get(name) or name.replace("_", " ").capitalize()
    return f"{label}: {rest}"


def attempt_plain(action: Callable[[], T], *, doing: str, labels: dict[str, str]) -> T | None:
    """Like ui.context.attempt, but an out-of-range value is named in plain words, not by its field name."""

    def reworded() -> T:
        try:
            return action()
        except InvalidRecord as exc:
            raise _Plain(" ".join(plain_problem(p, labels).rstrip(".") + "." for p in exc.problems)) from None

    return attempt(reworded, doing=doing)


def patient_label(patient: PatientRecord) -> str:
    """How a patient appears in choice lists: name, birth date when known, and archived."""
    parts = [patient.name]
    if patient.date_of_birth:
        parts.append(f"born {day(patient.date_of_birth)}")
    if patient.archived:
        parts.append("archived")
    return " · ".join(parts)


def program_labels(programs: Sequence[ProgramSummary]) -> dict[int, str]:
    """Program id → the words a choice list shows: title and the day it was created (not its start date, which a
    new version can change), plus the program number where two would read the same. Streamlit select boxes tell
    options apart by these words, so no two may be equal."""
    base = {p.id: f"{p.title.strip() or DEFAULT_TITLE} · created {day(p.created_at)}"
                  + (" · archived" if p.archived else "") for p in programs}
    repeated = {label for label, count in Counter(base.values()).items() if count > 1}
    return {pid: f"{label} · program {pid}" if label in repeated else label for pid, label in base.items()}


class Authors(dict):
    """Stored authors (accounts' emails) → the people's names; an author without an account (older records, the
    command line) stays as stored. Plain text: escape it before Markdown."""

    def __missing__(self, author: str) -> str:
        return author


def authors() -> Authors:
    """The clinic's account names, read once where a page shows who saved or entered something."""
    return Authors(attempt(lambda: services.programs.author_names(repo=repository()),
                           doing="read the clinicians' names") or {})


def clinic_library(repo: services.bootstrap.Repository) -> ExerciseLibrary:
    """The built-in library plus the clinic's own exercises, so every stored version can be shown."""
    return services.exercises.clinic_library(repo=repo)


def download_handout(*, key: str, ids: tuple[int, int, int], label: str = "Download PDF") -> None:
    """A download button for the handout of a stored version (``services.programs.handout_pdf``: as it was saved,
    branded with today's clinic profile), made only when the button is pressed; each download goes to the audit
    log (program.render). ``ids``: (patient, program, version)."""
    # Taken now: the click is served outside this script run, where the session is not at hand.
    _, program_id, version = ids
    repo, who = repository(), actor()

    def make() -> bytes:
        return services.programs.handout_pdf(program_id, version, repo=repo, actor=who)

    st.download_button(label, data=make, file_name=PDF_NAME, mime="application/pdf", key=key,
                       icon=":material/download:", on_click="ignore")


def saved_at(when: dt.datetime) -> str:
    """A stored UTC time in the server's local time, to the minute."""
    return moment(when)


def flash(key: str, message: str) -> None:
    """A success message to show once, after the rerun that follows a save."""
    st.session_state[key] = message


def show_flash(key: str) -> None:
    message = st.session_state.pop(key, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def follow_handover(seen_key: str, shared_key: str, *choice_keys: str) -> None:
    """When another page hands over a different patient or program (ui.context's shared keys), show that one:
    the search and choice made on this page before are forgotten."""
    shared = st.session_state.get(shared_key)
    if shared is not None and st.session_state.get(seen_key) != shared:
        st.session_state[seen_key] = shared
        forget(*choice_keys)


def hand_over_patient(patient_id: int, seen_key: str) -> None:
    """The patient chosen on this page becomes the current one for every page (Build program opens them too);
    a program handed over for another patient no longer applies."""
    if st.session_state.get(CURRENT_PATIENT) != patient_id:
        st.session_state[CURRENT_PATIENT] = st.session_state[seen_key] = patient_id
        st.session_state.pop(CURRENT_PROGRAM, None)


def with_handed_patient(found: list[PatientRecord], text: str, repo: services.bootstrap.Repository, *,
                        include_archived: bool) -> list[PatientRecord]:
    """The patient handed over from another page is offered even when not among the first names listed."""
    current = st.session_state.get(CURRENT_PATIENT)
    if text or current is None or current in {p.id for p in found}:
        return found
    handed = attempt(lambda: services.patients.get_patient(current, repo=repo), doing="open the patient")
    if handed is None or (handed.archived and not include_archived):
        return found
    return [handed, *found]
