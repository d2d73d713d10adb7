"""Exercise library page: browse with drawings, add and edit the clinic's own exercises, CSV import and export."""

from __future__ import annotations

import base64
import io
import re

from PIL import Image
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.domain import Category, Growth, Phase, Position, TargetArea
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
HOSTILE = "O'Brien & <Sons> *slide*"
CSV_HEADER = ("id,name,category,target_areas,target_muscles,position,one_leg,step_1,step_2,step_3,cue_1,sets,reps,"
              "progress_tip,ease_tip,phases,evidence")
CSV_ROW = ("clinic_csv_{n},CSV slide {n},strength,knee,front of thigh,standing,no,Stand tall.,Bend a little.,"
           "Stand up.,Keep your knees over your toes.,2,10,Go lower.,Go less low.,strengthen,Clinic note.")


def library_page(tab: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("app_pages/library.py").run()
    if tab:
        at.session_state["library_tab"] = tab
        at.run()
    assert not at.exception
    return at


def repo() -> services.bootstrap.Repository:
    return services.bootstrap.connect(Settings.from_env())


def png(size=(60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (20, 120, 200, 100)).save(out, format="PNG")
    return out.getvalue()


def fill_form(at: AppTest, name: str = HOSTILE) -> None:
    at.text_input(key="library_f_name").input(name)
    at.selectbox(key="library_f_category").set_value(Category.STRENGTH)
    at.selectbox(key="library_f_position").set_value(Position.STANDING)
    at.multiselect(key="library_f_areas").set_value([TargetArea.KNEE])
    at.multiselect(key="library_f_phases").set_value([Phase.STRENGTHEN])
    at.text_input(key="library_f_muscles").input("front of thigh, Łukasz Żółć")
    at.text_area(key="library_f_steps").input("Stand with your back on a wall.\nSlide down a little.\nSlide back up.")
    at.text_area(key="library_f_cues").input("Keep your knees over your toes.")
    at.text_input(key="library_f_progress_tip").input("Slide a little lower.")
    at.text_input(key="library_f_ease_tip").input("Slide down less far.")
    at.text_input(key="library_f_evidence").input("Ολυμπία & Юлия say it helps.")
    at.run()


def test_the_details_show_the_drawing_of_a_built_in_exercise():
    at = library_page()
    at.selectbox(key="library_detail").set_value("glute_bridge").run()
    assert not at.exception
    (drawing,) = [html for html in at.html if 'class="moving"' in html.value]  # not the pages' style-only blocks
    moving = re.search(r'class="moving" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', drawing.value)
    still = re.search(r'class="still" src="data:image/svg\+xml;base64,([^"]+)"', drawing.value)
    assert "@media (prefers-reduced-motion: reduce)" in drawing.value
    assert "<animate " in base64.b64decode(moving.group(1)).decode()  # the moving drawing ...
    assert "<animate " not in base64.b64decode(still.group(1)).decode()  # ... and the still one on request
    assert moving.group(2).startswith("Two pictures, left to right: Start, then Finish.")
    assert "Two pictures, left to right: Start, then Finish." in " ".join(c.value for c in at.caption)
    assert at.button(key="library_copy_this").label == "Use as a starting point"


def test_a_new_clinic_exercise_is_saved_with_its_text_literally_and_shows_in_the_library():
    at = library_page("Add or edit your own")
    assert "no exercises of its own yet" in " ".join(c.value for c in at.caption)
    fill_form(at)
    assert not at.error
    at.button(key="library_f_save").click().run()
    assert not at.exception and not at.error
    assert "It is in the library now" in at.success[0].value
    (saved,) = services.exercises.custom_exercises(repo=repo())
    assert saved.name == HOSTILE and saved.id == "clinic_o_brien_sons_slide"
    assert saved.target_muscles == ("front of thigh", "Łukasz Żółć")
    assert saved.evidence == "Ολυμπία & Юлия say it helps."
    at.session_state["library_tab"] = "Browse"
    at.run()
    assert HOSTILE in list(at.dataframe[0].value["Exercise"])
    assert at.session_state["library_detail"] == saved.id
    assert at.subheader[0].value == "O'Brien \\& \\<Sons\\> \\*slide\\*"  # escaped: shown exactly as typed
    assert "No photo yet" in " ".join(c.value for c in at.caption)


def test_a_clinic_exercise_keeps_its_one_line_summary_or_does_without_one():
    at = library_page("Add or edit your own")
    fill_form(at, "Wall slide, ours")
    at.text_input(key="library_f_summary").input("With your back on a wall, slide down a little way.")
    at.button(key="library_f_save").click().run()
    assert not at.exception and not at.error
    (saved,) = services.exercises.custom_exercises(repo=repo())
    assert saved.summary == "With your back on a wall, slide down a little way."
    assert saved.weekly.grow.value == "none"  # a clinic exercise keeps its dose every week unless told otherwise


def test_missing_and_bad_fields_are_listed_in_plain_words_and_nothing_is_saved():
    at = library_page("Add or edit your own")
    at.text_input(key="library_f_name").input("Half done")
    at.text_area(key="library_f_steps").input("Only one step.")
    at.button(key="library_f_save").click().run()
    assert not at.exception
    message = at.error[0].value
    for expected in ("Type is required", "Steps must have at least 3 entries", "Form cues must have at least one"):
        assert expected in message
    assert "target_areas" not in message and "default_dose" not in message
    assert services.exercises.custom_exercises(repo=repo()) == []


def test_hard_patient_text_gets_a_reading_level_hint():
    at = library_page("Add or edit your own")
    fill_form(at)
    at.text_input(key="library_f_ease_tip").input(
        "Perform isometric quadriceps contraction maintaining terminal extension throughout.").run()
    warning = at.warning[0].value
    assert "How to make it easier reads at grade" in warning and "shorter sentences" in warning


def test_a_photo_is_checked_saved_and_shown_and_a_bad_file_is_refused_plainly():
    at = library_page("Add or edit your own")
    fill_form(at, name="Photo slide")
    at.file_uploader(key="library_f_photo_upload").set_value(("x.png", b"not an image", "image/png")).run()
    assert "This photo cannot be used" in at.error[0].value
    at.file_uploader(key="library_f_photo_upload").set_value(("slide.png", png(), "image/png")).run()
    assert not at.error
    at.button(key="library_f_save").click().run()
    assert not at.exception and not at.error
    assert services.exercises.custom_exercise_photo("clinic_photo_slide", repo=repo()) == png()
    at.session_state["library_tab"] = "Browse"
    at.run()
    assert at.image[0].value[0].endswith(".png")  # the photo (a media file), not an SVG drawing


def test_editing_an_exercise_loads_it_into_the_form_and_saves_changes():
    at = library_page("Add or edit your own")
    fill_form(at, name="Edit me")
    at.button(key="library_f_save").click().run()
    at.session_state["library_tab"] = "Browse"
    at.run()
    at.button(key="library_edit_this").click().run()
    assert not at.exception
    assert at.session_state["library_tab"] == "Add or edit your own"
    assert at.text_input(key="library_f_name").value == "Edit me"
    at.number_input(key="library_f_sets").set_value(4)
    at.text_input(key="library_f_name").input("Edited").run()
    at.button(key="library_f_save").click().run()
    (saved,) = services.exercises.custom_exercises(repo=repo())
    assert saved.name == "Edited" and saved.default_dose.sets == 4 and saved.id == "clinic_edit_me"


def test_the_week_plan_rule_is_set_checked_and_edited_in_the_form():
    at = library_page("Add or edit your own")
    fill_form(at, name="Grows")
    assert at.number_input(key="library_f_weekly_step").disabled  # nothing grows yet: nothing to fill in
    at.selectbox(key="library_f_weekly_grow").set_value(Growth.REPS).run()
    at.number_input(key="library_f_weekly_step").set_value(2).run()
    at.button(key="library_f_save").click().run()
    assert "Weekly maximum" in at.error[0].value  # a growing dose needs its ceiling, named in words
    assert services.exercises.custom_exercises(repo=repo()) == []
    at.number_input(key="library_f_weekly_max").set_value(16).run()
    at.button(key="library_f_save").click().run()
    assert not at.error, at.error
    (saved,) = services.exercises.custom_exercises(repo=repo())
    assert (saved.weekly.grow, saved.weekly.step, saved.weekly.max) == (Growth.REPS, 2, 16)
    at.selectbox(key="library_f_weekly_grow").set_value(Growth.NONE).run()  # the step and max left filled in
    at.button(key="library_f_save").click().run()
    assert not at.error, at.error
    (saved,) = services.exercises.custom_exercises(repo=repo())
    assert saved.weekly.grow is Growth.NONE and saved.weekly.max is None


def test_a_built_in_exercise_can_start_a_clinic_version():
    at = library_page()
    at.selectbox(key="library_detail").set_value("glute_bridge").run()
    at.button(key="library_copy_this").click().run()
    assert not at.exception
    assert at.text_input(key="library_f_name").value == "Glute bridge (clinic version)"
    at.button(key="library_f_save").click().run()
    assert not at.error, at.error
    (saved,) = services.exercises.custom_exercises(repo=repo())
    assert saved.steps[0].startswith("Lie on your back") and saved.id == "clinic_glute_bridge_clinic_version"
    # its week-plan rule comes along
    assert saved.weekly == services.exercises.clinic_library(repo=repo()).get("glute_bridge").weekly


def test_form_values_survive_a_switch_to_another_page_and_back():
    at = library_page("Add or edit your own")
    at.text_input(key="library_f_name").input("Unsaved work").run()
    at.switch_page("app_pages/templates.py").run()
    at.switch_page("app_pages/library.py").run()
    assert not at.exception
    assert at.session_state["library_tab"] == "Add or edit your own"
    assert at.text_input(key="library_f_name").value == "Unsaved work"


def csv(*rows: str) -> bytes:
    return ("\n".join([CSV_HEADER, *rows]) + "\n").encode()


def test_a_valid_csv_is_previewed_then_imported_in_one_click():
    at = library_page("Import or export CSV")
    assert at.download_button(key="library_csv_download").label == "Download the library as CSV"
    at.file_uploader(key="library_csv_upload").set_value(
        ("mine.csv", csv(CSV_ROW.format(n=1), CSV_ROW.format(n=2)), "text/csv")).run()
    assert "Every row is fine: 2 new exercises" in at.info[0].value
    assert services.exercises.custom_exercises(repo=repo()) == []
    at.button(key="library_csv_import").click().run()
    assert not at.exception
    assert [ex.id for ex in services.exercises.custom_exercises(repo=repo())] == ["clinic_csv_1", "clinic_csv_2"]
    assert "has been imported" in at.success[0].value


def test_a_csv_with_one_bad_row_imports_nothing_and_lists_row_column_and_problem():
    at = library_page("Import or export CSV")
    bad = CSV_ROW.format(n=2).replace(",2,10,", ",0,10,")
    at.file_uploader(key="library_csv_upload").set_value(("mine.csv", csv(CSV_ROW.format(n=1), bad), "text/csv"))
    at.run()
    assert "Nothing was imported: 1 problem in 1 row" in at.error[0].value
    report = at.table[0].value
    assert list(report["Row"]) == [3] and list(report["Column"]) == ["sets"]
    assert list(report["Problem"]) == ["Sets must be 1 to 10."]
    assert all(b.key != "library_csv_import" for b in at.button)
    assert services.exercises.custom_exercises(repo=repo()) == []


def test_a_csv_with_hundreds_of_problems_lists_the_first_and_counts_all():
    at = library_page("Import or export CSV")
    rows = [CSV_ROW.format(n=n).replace(",2,10,", ",0,10,") for n in range(150)]
    at.file_uploader(key="library_csv_upload").set_value(("mine.csv", csv(*rows), "text/csv")).run()
    assert "Nothing was imported: 150 problems. The first 100 (in 100 rows) are listed below." in at.error[0].value
    assert len(at.dataframe[0].value) == 100


def test_a_csv_that_is_not_utf8_gets_a_clear_message():
    at = library_page("Import or export CSV")
    data = csv(CSV_ROW.format(n=1).replace("CSV slide", "Łukasz slide")).decode().encode("cp1250")
    at.file_uploader(key="library_csv_upload").set_value(("old.csv", data, "text/csv")).run()
    assert not at.exception
    assert "not saved as UTF\\-8 text" in at.error[0].value and "CSV UTF\\-8" in at.error[0].value
    assert services.exercises.custom_exercises(repo=repo()) == []


def test_the_details_show_each_translations_review_state_for_the_clinician():
    at = library_page()
    at.selectbox(key="library_detail").set_value("glute_bridge").run()
    [states] = [c.value for c in at.caption if c.value.startswith("Handout translations")]
    for language in ("Spanish", "Polish", "Arabic"):
        assert f"{language}" in states
    assert states.count("needs clinical review") == 3
