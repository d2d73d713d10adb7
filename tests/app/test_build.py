"""The Build program page in AppTest: patient, start, exercises, dose grid, swaps, fields, checks, save,
conflicts, drafts, page switches and hostile input."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.content.library import load_library
from rehab.domain import Category, Dosage, Exercise, Patient, Side
from rehab.domain.records import PatientRecord
from rehab.handout import render_handout
from rehab.images import pdf_page_images
from rehab.program.builder import to_program
from rehab.program.templates import program_from_template
from rehab.services import drafts
from tests.conftest import ROOT
from ui.build import state
from ui.build.cache import PREVIEW_SCALE
from ui.build.patient import patient_label
from ui.text import md

APP = str(ROOT / "app.py")
ADD = "FormSubmitter:build_add_patient-Add patient"
ACTOR = "test@example.org"
HOSTILE_NAMES = ["O'Brien & <Sons>", "Łukasz Żółć", "Ολυμπία", "Юлия"]


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    return at


def add_patient(at: AppTest, name: str = "Zoë Ñúñez", side: Side | None = None) -> AppTest:
    at.text_input(key="build_np_name").input(name)
    if side is not None:
        at.selectbox(key="build_np_side").set_value(side)
    return at.button(key=ADD).click().run()


def started(name: str = "Zoë Ñúñez", template: str = "phase2_strengthen", side: Side | None = None) -> AppTest:
    at = add_patient(new_app(), name, side)
    at.selectbox(key="build_start_template").set_value(template)
    at.button(key="build_start_template_go").click().run()
    assert not at.exception
    return at


def work(at: AppTest):
    return at.session_state["build_work"]


def grid(at: AppTest) -> str:
    return f"build_grid_{at.session_state['build_grid_rev']}"


def edit_cells(at: AppTest, edits: dict) -> AppTest:
    # st.data_editor is edited through session_state in AppTest (stack-recipes §4a).
    at.session_state[grid(at)] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return at.run()


def open_adder(at: AppTest) -> AppTest:
    """Open the "Add exercises" expander (closed for a program that has exercises; it runs only when open)."""
    at.session_state["build_add_open"] = True
    return at.run()


def act(at: AppTest, row: int, action: str) -> AppTest:
    return at.button(key=f"build_{action}_{row}").click().run()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_a_new_user_is_told_to_add_a_patient_first():
    at = new_app()
    assert at.title[0].value == "Build program"
    assert "Start here" in at.info[0].value
    assert at.expander[0].proto.expanded  # the add-patient form is open


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_patient_with_any_name_is_added_stored_and_shown_literally(repo, name):
    at = add_patient(new_app(), name, Side.LEFT)
    assert not at.exception
    stored = services.patients.find_patients("", repo=repo)
    assert [p.name for p in stored] == [name] and stored[0].affected_side is Side.LEFT
    header = next(m.value for m in at.markdown if "Left knee" in m.value)
    assert header.startswith(f"**{md(name)}**")


def test_adding_a_patient_names_wrong_fields_in_plain_words(repo):
    at = new_app()
    at.button(key=ADD).click().run()
    assert texts(at.error) == [md("Name: type the patient's name.")]
    at.text_input(key="build_np_name").input("Test Patient")
    at.text_input(key="build_np_email").input("not an email")
    at.button(key=ADD).click().run()
    assert texts(at.error)[0].startswith(md("Email: 'not an email' is not an email address"))
    assert "email:" not in texts(at.error)[0]
    assert services.patients.find_patients("", repo=repo) == []
    assert at.text_input(key="build_np_name").value == "Test Patient"  # what was typed is kept


def test_patients_are_found_ignoring_accents_and_case(repo):
    for name in ["Zoë Ñúñez", "Łukasz Żółć", "Test Patient"]:
        services.patients.add_patient({"name": name}, repo=repo, actor=ACTOR)
    at = new_app()
    at.text_input(key="build_patient_search").input("zoe").run()
    picker = at.selectbox(key="build_patient_pick")
    assert picker.options == ["Zoë Ñúñez"]
    at.text_input(key="build_patient_search").input("LUKASZ").run()
    picker = at.selectbox(key="build_patient_pick")
    assert picker.options == ["Łukasz Żółć"]
    picker.set_value(picker.proto.options and services.patients.find_patients("lukasz", repo=repo)[0].id).run()
    assert not at.exception
    assert any(m.value.startswith("**Łukasz Żółć**") for m in at.markdown)
    assert at.session_state["build_patient_id"] == at.session_state["current_patient_id"]


def test_a_blank_start_opens_the_library_and_a_template_start_does_not():
    at = add_patient(new_app())
    at.button(key="build_start_blank_go").click().run()
    assert any("No exercises yet" in i.value for i in at.info)
    at.button(key="build_add_quad_set").click().run()
    at.button(key="build_add_wall_sit").click().run()
    assert len(work(at).items) == 2  # the library stayed open between adds
    at.button(key="build_close_work").click().run()
    at.button(key="build_start_template_go").click().run()
    assert not any(b.key and b.key.startswith("build_add_") for b in at.button)


def test_a_template_start_fills_the_grid_and_shows_checks_and_minutes():
    at = started()
    assert [i.exercise for i in work(at).items] == [
        i.exercise for i in program_from_template("phase2_strengthen", _patient()).items
    ]
    frame = at.data_editor[0].value
    assert list(frame["exercise"])[0].startswith("1. ")
    assert {m.label for m in at.metric} == {"Exercises", "Minutes a session (about)", "Weeks"}
    assert "Unsaved changes" in at.warning[0].value


def _patient():
    return Patient(name="Zoë Ñúñez")


def test_a_changed_dose_is_saved_as_version_one_and_the_banner_goes(repo):
    at = started()
    edit_cells(at, {0: {"sets": 4, "reps": 14.0}})
    assert (work(at).items[0].sets, work(at).items[0].reps) == (4, 14.0)
    at.button(key="build_save").click().run()
    assert not at.exception
    assert texts(at.success)[0] == md("Saved as version 1.")
    assert not any("Unsaved changes" in w.value for w in at.warning)
    [summary] = services.programs.list_programs(repo=repo)
    _, program = services.programs.get_version(summary.id, repo=repo)
    assert (program.items[0].sets, program.items[0].reps) == (4, 14)
    assert drafts.list_drafts(summary.patient_id, repo=repo) == []
    assert at.button(key="build_save").disabled  # nothing new to save
    assert at.button(key="build_save").label == "Save as version 2"


def test_wrong_doses_are_listed_by_row_and_column_and_block_saving():
    at = started()
    edit_cells(at, {2: {"sets": 12}, 0: {"reps": None, "hold_seconds": None}})
    message = at.error[0].value
    assert "Row 3, Sets\\: must be 1 to 10" in message
    assert "Row 1\\: give reps, a hold in seconds, or minutes" in message
    assert at.button(key="build_save").disabled
    assert at.button(key="build_download_off").disabled
    edit_cells(at, {})
    assert not at.error and not at.button(key="build_save").disabled


def test_rows_move_swap_along_the_ladder_and_are_removed():
    library = load_library()
    at = started("Test Patient", "phase1_settle", side=Side.RIGHT)
    first, second = [i.exercise for i in work(at).items[:2]]
    act(at, 0, "down")
    assert [i.exercise for i in work(at).items[:2]] == [second, first]
    edit_cells(at, {1: {"days_per_week": 2, "times_per_day": 2, "notes": "Slowly & <calmly>"}})
    act(at, 1, "harder")
    swapped = work(at).items[1]
    harder = library.get(library.get(first).progression)
    assert swapped.exercise == harder.id
    assert (swapped.days_per_week, swapped.times_per_day, swapped.notes) == (2, 2, "Slowly & <calmly>")
    assert (swapped.sets, swapped.reps, swapped.hold_seconds) == (
        harder.default_dose.sets, harder.default_dose.reps, harder.default_dose.hold_seconds)
    act(at, 1, "easier")
    assert work(at).items[1].exercise == first
    count = len(work(at).items)
    act(at, 0, "remove")
    assert len(work(at).items) == count - 1 and work(at).items[0].exercise == first
    assert not at.exception


def test_exercises_are_found_by_search_and_filters_and_added_at_their_starting_dose():
    at = open_adder(started("Test Patient", side=Side.LEFT))
    at.text_input(key="build_ex_search").input("single leg bridge").run()
    at.button(key="build_add_single_leg_bridge").click().run()
    added = work(at).items[-1]
    default = load_library().get("single_leg_bridge").default_dose
    assert added.exercise == "single_leg_bridge" and added.side == "left" and added.sets == default.sets
    at.text_input(key="build_ex_search").input("").run()
    at.selectbox(key="build_ex_category").set_value(Category.STRETCH).run()
    shown = [b.key for b in at.button if b.key and b.key.startswith("build_add_")]
    assert shown and all(load_library().get(k.removeprefix("build_add_")).category.value == "stretch" for k in shown)
    at.text_input(key="build_ex_search").input("zzzz").run()
    assert any("No exercise matches" in i.value for i in at.info)


def test_program_fields_take_hostile_text_and_report_problems_in_plain_words(repo):
    at = started("O'Brien & <Sons>")
    notes = ("Łukasz Żółć & <b>Ολυμπία</b> 'Юлия' " * 150)[:5000]
    at.text_area(key="build_f_notes").input(notes).run()
    at.text_input(key="build_f_clinician").input("Dr <Ann> & Co").run()
    at.number_input(key="build_f_weeks").set_value(10).run()
    at.number_input(key="build_f_green").set_value(4).run()
    at.number_input(key="build_f_amber").set_value(3).run()
    assert "Pain rule: 'stop above' must be higher than 'fine up to'" in at.error[0].value
    assert at.button(key="build_save").disabled
    at.number_input(key="build_f_amber").set_value(5).run()
    at.button(key="build_save").click().run()
    [summary] = services.programs.list_programs(repo=repo)
    _, program = services.programs.get_version(summary.id, repo=repo)
    assert program.notes == notes and program.clinician == "Dr <Ann> & Co" and program.duration_weeks == 10
    assert program.patient.name == "O'Brien & <Sons>"
    edit_cells(at, {0: {"notes": notes[:2000]}})
    assert notes[:2000] in at.code[0].value  # copy for notes shows an exercise note literally


def test_copy_for_notes_is_the_plain_text_summary():
    at = started()
    summary = at.code[0].value
    assert summary.startswith("Home exercise program (strengthen phase)")
    assert "Pain rule: up to 2/10 fine" in summary


def test_edits_survive_a_switch_to_another_page_and_back():
    at = started()
    edit_cells(at, {1: {"sets": 5}})
    at.text_area(key="build_f_notes").input("Keep this").run()
    at.switch_page("app_pages/library.py").run()
    at.switch_page("app_pages/build.py").run()
    assert not at.exception
    assert work(at).items[1].sets == 5
    assert at.text_area(key="build_f_notes").value == "Keep this"
    assert at.data_editor[0].value["sets"][1] == 5
    assert "Unsaved changes" in at.warning[0].value


def test_an_unsaved_draft_is_offered_when_the_patient_is_opened_again(repo):
    first = started()
    edit_cells(first, {0: {"sets": 5}})
    patient_id = work(first).patient_id
    [info] = drafts.list_drafts(patient_id, repo=repo)
    assert info.program_id is None
    second = new_app()
    second.selectbox(key="build_patient_pick").set_value(patient_id).run()
    offer = next(m.value for m in second.markdown if "Continue your unsaved draft from" in m.value)
    assert "a new program" in offer
    second.button(key="build_draft_go_0").click().run()
    assert not second.exception
    assert work(second).items[0].sets == 5
    assert "Unsaved changes" in second.warning[0].value


def test_a_draft_can_be_discarded(repo):
    first = started()
    edit_cells(first, {0: {"sets": 5}})
    patient_id = work(first).patient_id
    second = new_app()
    second.selectbox(key="build_patient_pick").set_value(patient_id).run()
    second.button(key="build_draft_drop_0").click().run()
    assert drafts.list_drafts(patient_id, repo=repo) == []
    assert not any("Continue your unsaved draft" in m.value for m in second.markdown)


def saved_program(at: AppTest, repo) -> tuple[int, int]:
    at.button(key="build_save").click().run()
    [summary] = services.programs.list_programs(repo=repo)
    return summary.patient_id, summary.id


def test_a_conflict_is_explained_and_mine_can_be_saved_on_top(repo):
    at = started()
    patient_id, program_id = saved_program(at, repo)
    _, stored = services.programs.get_version(program_id, repo=repo)
    services.programs.save_program(stored.model_copy(update={"duration_weeks": 9}), repo=repo, actor="other",
                         program_id=program_id, base_version=1)
    edit_cells(at, {0: {"sets": 2}})
    at.button(key="build_save").click().run()
    assert not at.exception
    warning = next(w.value for w in at.warning if "Version 2 of this program was saved while" in w.value)
    assert "your changes are still here" in warning
    assert work(at).items[0].sets == 2
    assert "9 weeks from" in at.code[0].value  # their version, to look at first
    assert at.button(key="build_save").disabled  # the panel offers the ways on
    assert any("by other" in m.value for m in at.markdown)
    at.button(key="build_conflict_mine").click().run()
    assert texts(at.success)[0] == md("Saved as version 3.")
    _, newest = services.programs.get_version(program_id, repo=repo)
    assert newest.items[0].sets == 2 and len(services.programs.list_versions(program_id, repo=repo)) == 3


def test_after_a_conflict_the_newer_version_can_be_loaded_instead(repo):
    at = started()
    _, program_id = saved_program(at, repo)
    _, stored = services.programs.get_version(program_id, repo=repo)
    services.programs.save_program(stored.model_copy(update={"notes": "From the other physio"}), repo=repo,
                                   actor="other",
                         program_id=program_id, base_version=1)
    edit_cells(at, {0: {"sets": 2}})
    at.button(key="build_save").click().run()
    at.button(key="build_conflict_load").click().run()
    assert not at.exception
    assert work(at).notes == "From the other physio" and work(at).base_version == 2
    assert at.text_area(key="build_f_notes").value == "From the other physio"
    assert not any("Unsaved changes" in w.value for w in at.warning)
    # The dropped changes are still there as a draft, offered until continued or discarded.
    assert any("Continue your unsaved draft from" in m.value for m in at.markdown)
    at.button(key=f"build_draft_go_{program_id}").click().run()
    assert work(at).items[0].sets == 2


def test_a_saved_program_is_continued_or_copied_from_any_version(repo):
    at = started()
    patient_id, program_id = saved_program(at, repo)
    edit_cells(at, {0: {"sets": 1}})
    at.button(key="build_save").click().run()  # version 2
    fresh = new_app()
    fresh.selectbox(key="build_patient_pick").set_value(patient_id).run()
    fresh.selectbox(key="build_start_version").set_value(1).run()
    fresh.button(key="build_start_edit").click().run()
    assert work(fresh).program_id == program_id and work(fresh).base_version == 2
    assert work(fresh).items[0].sets != 1  # the content of version 1
    fresh.button(key="build_save").click().run()
    assert len(services.programs.list_versions(program_id, repo=repo)) == 3
    fresh.button(key="build_close_work").click().run()
    fresh.button(key="build_start_copy").click().run()
    assert work(fresh).program_id is None
    fresh.button(key="build_save").click().run()
    assert len(services.programs.list_programs(repo=repo, patient_id=patient_id)) == 2


def test_without_unsaved_changes_the_newest_version_is_shown(repo):
    at = started()
    _, program_id = saved_program(at, repo)
    _, stored = services.programs.get_version(program_id, repo=repo)
    services.programs.save_program(stored.model_copy(update={"duration_weeks": 9}), repo=repo, actor="review page",
                         program_id=program_id, base_version=1)
    at.run()
    assert work(at).base_version == 2 and work(at).duration_weeks == 9
    assert at.number_input(key="build_f_weeks").value == 9
    assert texts(at.success)[0] == md("Version 2 was saved meanwhile; it is shown now.")


def test_the_page_follows_a_program_opened_on_another_page(repo):
    program = program_from_template("phase1_settle", _patient())
    info = services.programs.save_program(program, repo=repo, actor=ACTOR)
    patient_id = services.programs.list_programs(repo=repo)[0].patient_id
    at = new_app()
    at.session_state["current_patient_id"] = patient_id
    at.session_state["current_program_id"] = info.program_id
    at.run()
    assert not at.exception
    assert work(at).program_id == info.program_id and work(at).base_version == 1
    assert at.button(key="build_save").label == "Save as version 2"


def clinic_exercise() -> Exercise:
    return Exercise(
        id="clinic_step_down",
        name="Clinic step <down> & hold",
        category="strength",
        target_areas=["knee", "hip"],
        target_muscles=["front of thigh", "side of hip"],
        position="standing",
        one_leg=True,
        steps=["Stand on a low step.", "Lower the other heel slowly.", "Push back up."],
        cues=["Keep your knee over your toes."],
        default_dose=Dosage(sets=2, reps=8),
        progress_tip="Use a higher step.",
        ease_tip="Use a lower step.",
        phases=["strengthen"],
        evidence="Clinic favourite; strengthens the thigh and hip.",
    )


def test_clinic_exercises_are_in_the_search_and_the_handout(repo):
    services.exercises.save_custom_exercise(clinic_exercise(), repo=repo, actor=ACTOR)
    at = open_adder(started(side=Side.LEFT))
    at.text_input(key="build_ex_search").input("clinic").run()
    assert any("No picture yet (clinic exercise)" in c.value for c in at.caption)
    at.button(key="build_add_clinic_step_down").click().run()
    assert work(at).items[-1].side == "left"
    assert texts(at.success)[0] == md("Added Clinic step <down> & hold.")
    at.button(key="build_save").click().run()
    assert not at.exception
    [summary] = services.programs.list_programs(repo=repo)
    _, program = services.programs.get_version(summary.id, repo=repo)
    assert program.items[-1].exercise == "clinic_step_down"


def test_a_clinic_exercise_photo_is_its_thumbnail(repo):
    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (900, 600), (200, 60, 20)).save(photo, format="JPEG")
    services.exercises.save_custom_exercises([clinic_exercise()], repo=repo, actor=ACTOR,
                                  photos={"clinic_step_down": photo.getvalue()})
    at = open_adder(started())
    at.text_input(key="build_ex_search").input("clinic step").run()
    assert not at.exception
    assert not any("No picture yet" in c.value for c in at.caption)
    assert len(at.image) == 1 and at.image[0].value[0].endswith(".png")  # the photo, as a small PNG


def test_the_preview_is_drawn_only_while_its_tab_is_open_and_the_tab_stays_open():
    at = started()
    assert at.session_state["build_output_tab"] == "Copy for notes" and not at.image
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    assert [image.captions[0] for image in at.image][:1] == ["Page 1 of " + at.image[0].captions[0].split(" of ")[1]]
    assert not at.code  # the notes tab's content is not made while it is closed
    edit_cells(at, {0: {"sets": 2}})  # a dose change reruns the page: the preview tab stays open and redrawn
    assert at.session_state["build_output_tab"] == "Handout preview" and at.image and not at.exception


def shown_page(at: AppTest) -> tuple[str, str]:
    """The caption and a digest of the image of the one handout page on screen (a JPEG inside the page: issue 17)."""
    pages = [image for image in at.image if image.captions and image.captions[0].startswith("Page ")]
    assert len(pages) == 1, [image.captions for image in pages]
    header, encoded = pages[0].value[0].split(",", 1)
    assert header == "data:image/jpeg;base64"
    return pages[0].captions[0], hashlib.sha256(base64.b64decode(encoded)).hexdigest()


def page_image(pdf: bytes, page: int) -> str:
    """A digest of the preview's image of one page of ``pdf``, drawn here from the PDF itself."""
    return hashlib.sha256(pdf_page_images(pdf, PREVIEW_SCALE, range(page, page + 1), image_format="JPEG")[0]
                          ).hexdigest()


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_preview_shows_the_real_pages_one_at_a_time_and_reaches_every_page(pdfs):
    """Issue 17: only the page on screen is drawn, page 1 first; each shown image is that page of the handout PDF
    the app made for the program on screen (the one Download gives)."""
    at = started()
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    assert not at.exception
    pdf = pdfs[-1]
    texts = page_texts(pdf)
    assert "Zoë Ñúñez" in "".join(texts)  # the program on screen
    expected = len(texts)
    assert expected > 1 and at.segmented_control(key="build_preview_page").options == [
        str(n) for n in range(1, expected + 1)]
    assert shown_page(at) == (f"Page 1 of {expected}", page_image(pdf, 0))
    for page in range(expected):
        at.segmented_control(key="build_preview_page").set_value(page).run()
        assert not at.exception
        assert shown_page(at) == (f"Page {page + 1} of {expected}", page_image(pdf, page))


def test_after_a_dose_change_the_preview_shows_the_new_pdfs_page(pdfs):
    """The page with the changed card is redrawn from the new PDF: its text carries the new dose."""
    at = started()
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    before = pdfs[-1]
    edit_cells(at, {0: {"sets": 2, "reps": 17.0}})
    assert not at.exception and work(at).items[0].reps == 17.0
    after = pdfs[-1]
    changed = next(n for n, (old, new) in enumerate(zip(page_texts(before), page_texts(after), strict=True))
                   if old != new)
    assert "17" in page_texts(after)[changed] and "17" not in page_texts(before)[changed]
    at.segmented_control(key="build_preview_page").set_value(changed).run()
    caption, shown = shown_page(at)
    assert caption.startswith(f"Page {changed + 1} of ")
    assert shown == page_image(after, changed) != page_image(before, changed)


def test_after_a_dose_change_the_preview_shows_the_new_first_page(pdfs):
    """Issue 17: the page on screen right after a dose change (no page chosen) is page 1 of the handout of the
    program as changed, never the one before: page 1 lists every dose."""
    at = started()
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    before = pdfs[-1]
    assert shown_page(at)[1] == page_image(before, 0)
    edit_cells(at, {0: {"sets": 4, "reps": 17.0}})
    assert not at.exception
    after = pdfs[-1]
    assert "4 sets of 17" in page_texts(after)[0] and "4 sets of 17" not in page_texts(before)[0]
    caption, shown = shown_page(at)
    assert caption.startswith("Page 1 of ")
    assert shown == page_image(after, 0) != page_image(before, 0)


def test_after_a_dose_change_the_new_page_is_sent_before_the_rest_of_the_page(monkeypatch):
    """Issue 17: the browser draws each part as it arrives, so the new page image goes out before the grid, the week
    plan, the checks and the save bar (the preview is last on the page, and is what the clinician waits for)."""
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    at = started()
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    sent: list[str] = []
    enqueue = ForwardMsgQueue.enqueue

    def record(self, msg):
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            sent.append(kind if kind != "imgs" else f"imgs:{element.imgs.imgs[0].caption}")
        return enqueue(self, msg)

    monkeypatch.setattr(ForwardMsgQueue, "enqueue", record)
    edit_cells(at, {0: {"sets": 4}})
    assert not at.exception
    page = next(n for n, kind in enumerate(sent) if kind.startswith("imgs:Page 1 of "))
    assert page < sent.index("dataframe") < sent.index("metric") < sent.index("download_button"), sent


def test_the_stepper_beside_the_preview_changes_the_dose_everywhere_and_the_page_shows_it(pdfs):
    """Issue 17: + on Reps beside the preview sends at once; the working program, the grid (drawn afresh) and page 1
    of the handout all carry the new dose."""
    at = started()
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    before = work(at).items
    first = before[0]
    assert (at.number_input(key="build_step_sets").value, at.number_input(key="build_step_reps").value) == (
        first.sets, first.reps) == (3, 12)
    rev = at.session_state["build_grid_rev"]
    at.number_input(key="build_step_reps").increment().run()
    assert not at.exception
    assert work(at).items[0] == first.model_copy(update={"reps": 13}) and work(at).items[1:] == before[1:]
    assert at.session_state["build_grid_rev"] == rev + 1  # the grid is drawn afresh from the program's rows
    assert at.session_state["build_grid_base"] == (rev + 1, state.grid_rows(work(at)))
    assert "3 sets of 13" in page_texts(pdfs[-1])[0]
    assert shown_page(at) == (f"Page 1 of {len(page_texts(pdfs[-1]))}", page_image(pdfs[-1], 0))


def test_the_stepper_follows_the_exercise_chosen_and_edits_typed_in_the_grid():
    at = started()
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    at.selectbox(key="build_step_row").set_value(2).run()  # side plank: a hold gives the amount, and 1 rep
    assert at.number_input(key="build_step_sets").value == work(at).items[2].sets
    at.number_input(key="build_step_sets").set_value(2).run()
    assert not at.exception and work(at).items[2].sets == 2 and work(at).items[0].sets == 3
    edit_cells(at, {2: {"sets": 4}})
    assert work(at).items[2].sets == 4 and at.number_input(key="build_step_sets").value == 4
    edit_cells(at, {2: {"reps": None}})
    reps = at.number_input(key="build_step_reps")
    assert reps.value is None and reps.disabled  # no reps to step: hold gives the amount
    assert "is not part of this dose" in " ".join(texts(at.caption))
    edit_cells(at, {2: {"sets": 0}})  # out of range: the grid marks it, and no preview (nor stepper) until fixed
    assert not at.exception and not [n for n in at.number_input if n.key == "build_step_sets"]


def test_the_stepper_changes_a_hold_and_minutes_too_and_leaves_out_what_the_dose_has_not(pdfs):
    """Every dose number the preview shows can be stepped beside it: a hold goes up by 5 seconds; a field the
    exercise's dose leaves empty stays empty and its stepper off."""
    at = started()
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    at.selectbox(key="build_step_row").set_value(2).run()  # side plank: hold 15 seconds, 3 times, each side
    side_plank = work(at).items[2]
    hold, minutes = at.number_input(key="build_step_hold"), at.number_input(key="build_step_minutes")
    assert hold.value == side_plank.hold_seconds == 15 and not hold.disabled
    assert minutes.value is None and minutes.disabled and side_plank.minutes is None
    hold.increment().run()
    assert not at.exception
    assert work(at).items[2] == side_plank.model_copy(update={"hold_seconds": 20})
    assert "Hold 20 seconds" in page_texts(pdfs[-1])[0]
    assert at.number_input(key="build_step_minutes").value is None  # stepping one field fills no other


def test_the_download_button_offers_a_pdf_without_the_patients_name():
    at = started("O'Brien & <Sons>")
    button = at.download_button(key="build_download")
    assert button.label == "Download PDF"
    assert "exercise-program.pdf" in button.proto.url or button.proto.deferred_file_id


def test_patient_labels_disambiguate_without_markup():
    now = dt.datetime.now(dt.UTC)
    record = PatientRecord(id=1, name="O'Brien & <Sons>", email="ob@example.org", date_of_birth=dt.date(1990, 5, 1),
                           created_at=now, updated_at=now)
    assert patient_label(record) == "O'Brien & <Sons> · born 1990-05-01 · ob@example.org"


def test_the_handout_layout_choice_starts_at_the_clinics_default_and_can_be_changed():
    """Compact is the default clinic's layout; choosing booklet sticks for the page."""
    at = started()
    choice = at.radio(key="build_handout_layout")
    assert choice.value == "compact"
    choice.set_value("booklet").run()
    assert not at.exception
    assert at.radio(key="build_handout_layout").value == "booklet"


def test_the_preview_follows_the_layout_chosen_in_the_same_click(pdfs):
    """The preview is made before the layout choice is drawn (issue 17), so it reads the choice's state: one click
    on Booklet shows page 1 of the booklet, the PDF Download would give."""
    at = started()
    at.session_state["build_output_tab"] = "Handout preview"
    at.run()
    compact = pdfs[-1]
    at.radio(key="build_handout_layout").set_value("booklet").run()
    assert not at.exception
    booklet = pdfs[-1]
    pages = len(page_texts(booklet))
    assert pages > len(page_texts(compact))  # one card a page
    assert shown_page(at) == (f"Page 1 of {pages}", page_image(booklet, 0))


# --- the week-by-week plan -----------------------------------------------------------------------------------


def plan_table(at: AppTest):
    return next(frame.value for frame in at.dataframe if "Each week" in frame.value.columns)


def test_the_week_plan_shows_every_week_of_every_exercise_before_saving():
    at = started(template="phase2_strengthen")
    table = plan_table(at)
    assert list(table.columns) == ["Exercise", "Each week", "Wk 1", "Wk 2", "Wk 3", "Wk 4"]
    plank = table[table["Exercise"] == "Side plank (on knees) (each side)"].iloc[0]
    assert plank["Each week"] == "+5 s hold every 2 weeks, up to 30 s hold"
    assert [plank[f"Wk {n}"] for n in range(1, 5)] == ["15 s ×3", "15 s ×3", "20 s ×3", "20 s ×3"]
    stretch = table[table["Exercise"] == "Standing calf stretch (each leg)"].iloc[0]
    assert stretch["Each week"] == "stays the same"
    assert len({stretch[f"Wk {n}"] for n in range(1, 5)}) == 1


def test_unticking_grows_keeps_that_dose_the_same_every_week_and_is_saved_in_the_program():
    at = started(template="phase2_strengthen")
    edit_cells(at, {"0": {"grow": False}})
    assert not at.exception
    assert work(at).items[0].grow is False
    row = plan_table(at).iloc[0]
    assert row["Each week"] == "stays the same (growth off)"
    assert {row[f"Wk {n}"] for n in range(1, 5)} == {"3×12"}
    program, problems = to_program(work(at), Patient(name="Test Patient"))
    assert problems == [] and program.items[0].grow is False and program.items[1].grow is True


def test_a_planned_switch_shows_in_the_plan_from_its_week_and_can_be_removed():
    at = started(template="phase2_strengthen")
    walk = next(i for i, item in enumerate(work(at).items) if item.exercise == "lateral_band_walk")
    at.selectbox(key="build_switch_row").set_value(walk).run()
    at.selectbox(key="build_switch_to").set_value("monster_walk")
    at.number_input(key="build_switch_week").set_value(3)
    at.button(key="build_switch_go").click().run()
    assert not at.exception
    assert work(at).items[walk].switch == {"from_week": 3, "exercise": "monster_walk"}
    row = plan_table(at).iloc[walk]
    assert (row["Wk 2"], row["Wk 3"], row["Wk 4"]) == ("3×13", "→ Monster walk 3×10", "3×11")
    assert any("from week 3, **Lateral band walk** becomes **Monster walk**" in m.value for m in at.markdown)
    at.button(key=f"build_switch_clear_{walk}").click().run()
    assert work(at).items[walk].switch is None
    assert "Monster walk" not in " ".join(plan_table(at).iloc[walk].astype(str))


# --- issue 17: titles, the clinician's name ------------------------------------------------------------------


def test_a_template_program_is_titled_after_the_template_and_signed_by_the_signed_in_clinician():
    at = started(template="phase1_settle")
    assert at.text_input(key="build_f_clinician").value == "Test Admin"  # the signed-in account's name
    assert at.text_input(key="build_f_title").value == "Phase 1: Settle your knee"
    at.text_input(key="build_f_title").input("Knee plan & <left>").run()
    assert not at.exception and work(at).title == "Knee plan & <left>"


def test_two_programs_from_templates_are_offered_apart_in_the_start_section(repo):
    at = started(template="phase1_settle")
    at.button(key="build_save").click().run()
    at.button(key="build_close_work").click().run()
    at.selectbox(key="build_start_template").set_value("phase2_strengthen")
    at.button(key="build_start_template_go").click().run()
    at.button(key="build_save").click().run()
    at.button(key="build_close_work").click().run()
    assert not at.exception
    labels = at.selectbox(key="build_start_program").options
    assert len(labels) == 2 and labels[0].startswith("Phase 2: Build strength · created ")
    assert labels[1].startswith("Phase 1: Settle your knee · created ")


def test_the_handout_language_is_chosen_on_build_and_its_review_state_is_shown_to_the_clinician_only(repo):
    at = started()
    picker = at.selectbox(key="build_f_language")
    assert picker.options[picker.index] == "The clinic's: English"  # until one is chosen (shown, not a placeholder)
    assert not [c for c in at.caption if "clinical review" in c.value]
    picker.set_value("es").run()
    assert not at.exception
    captions = [c.value for c in at.caption if "clinical review" in c.value]
    assert len(captions) == 1 and "needs clinical review" in captions[0]
    program, problems = to_program(work(at), Patient(name="Zoë Ñúñez"), load_library())
    assert not problems and program.patient.language == "es"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_handout(program))).pages)
    assert "Fase 2: Gana fuerza" in text and "review" not in text.lower()


def test_a_program_whose_checks_find_errors_is_not_saved_from_here_either(repo):
    """The save rule of services.programs (tests/integration/test_save_rules.py), as the Build page keeps it: a
    one-leg exercise with no side is an error finding, so Save is off and nothing is stored."""
    at = started()
    row = next(i for i, item in enumerate(work(at).items) if item.side is not None)
    edit_cells(at, {row: {"side": None}})
    assert not at.exception
    assert any("is done one leg at a time\\: choose left, right or both" in e.value for e in at.error)
    assert at.button(key="build_save").disabled
    assert services.programs.list_programs(repo=repo) == []
