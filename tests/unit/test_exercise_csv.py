"""CSV import/export of exercises: all or nothing, a row-by-row report, literal text, a clear message for bad files."""

from __future__ import annotations

import io
import re
import tracemalloc

import pandas as pd
import pytest

from rehab.content.exercise_csv import (
    MAX_COLUMNS,
    MAX_CSV_BYTES,
    MAX_PROBLEMS,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    CsvFileError,
    RowProblem,
    columns,
    library_csv,
    read_exercise_csv,
)
from rehab.content.library import load_library
from rehab.domain import Category, Exercise, Phase, Position, TargetArea
from tests.conftest import ROOT

HEADER = ("id,name,category,target_areas,target_muscles,equipment,position,one_leg,step_1,step_2,step_3,cue_1,"
          "sets,reps,hold_seconds,progress_tip,ease_tip,phases,evidence")
WALL_SLIDE = ("clinic_wall_slide,Deep wall slide,strength,knee; hip,front of thigh,,standing,no,"
              "Stand with your back on a wall.,Slide down a little.,Slide back up.,Keep your knees over your toes.,"
              "2,10,,Slide a little lower.,Slide down less far.,strengthen; return to running,Clinic favourite.")
STEP_UP = ("clinic_low_step,Low step up,strength,knee,front of thigh; buttocks,step,standing,yes,"
           "Stand in front of a low step.,Step up with one foot.,Step down slowly.,Keep your knee over your toes.,"
           "3,8,,Use a higher step.,Use a lower step.,strengthen,Step-ups load the thigh.")


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def builtin() -> object:
    return load_library()


def test_a_valid_file_gives_exercises_with_every_field_read():
    result = read_exercise_csv(csv_bytes(WALL_SLIDE, STEP_UP), builtin())
    assert result.ok and result.problems == ()
    slide, step = result.exercises
    assert slide.id == "clinic_wall_slide" and slide.custom
    assert slide.category is Category.STRENGTH and slide.position is Position.STANDING
    assert slide.target_areas == (TargetArea.KNEE, TargetArea.HIP)
    assert slide.phases == (Phase.STRENGTHEN, Phase.RETURN_TO_RUNNING)
    assert slide.equipment == () and slide.one_leg is False
    assert slide.default_dose.sets == 2 and slide.default_dose.reps == 10 and slide.default_dose.hold_seconds is None
    assert step.one_leg is True and step.target_muscles == ("front of thigh", "buttocks")
    assert result.updated == () and result.builtin_rows == 0


def test_one_bad_row_means_nothing_is_imported_and_each_problem_is_reported_by_row_and_column():
    bad = STEP_UP.replace("clinic_low_step,", "clinic_bad,").replace(",3,8,", ",0,8,").replace(
        "Step down slowly.", "")
    result = read_exercise_csv(csv_bytes(WALL_SLIDE, bad, STEP_UP), builtin())
    assert not result.ok
    assert result.exercises == ()
    assert RowProblem(3, "sets", "Sets must be 1 to 10.") in result.problems
    assert RowProblem(3, "step_1 … step_n", "Steps must have at least 3 entries.") in result.problems
    assert {p.row for p in result.problems} == {3}


def test_a_file_that_is_not_utf8_gets_a_clear_message_naming_the_line():
    data = csv_bytes(WALL_SLIDE, WALL_SLIDE.replace("Deep wall slide", "Łukasz Żółć slide"), encoding="cp1250")
    with pytest.raises(CsvFileError, match=r"not saved as UTF-8 text .*line 3\).*CSV UTF-8"):
        read_exercise_csv(data, builtin())


def test_hostile_text_is_stored_literally_and_formulas_are_disarmed_in_the_export():
    hostile = ["O'Brien & <Sons> slide", "Ολυμπία, Юлия; \"quoted\"", "=HYPERLINK(\"http://x\")", "@SUM(A1)",
               "- a dash first", "'=already quoted"]
    row = WALL_SLIDE.replace("Deep wall slide", "\"O'Brien & <Sons> slide\"")
    parsed = read_exercise_csv(csv_bytes(row), builtin()).exercises[0]
    assert parsed.name == "O'Brien & <Sons> slide"
    exercise = parsed.model_copy(update={"steps": tuple(hostile[1:4]), "cues": tuple(hostile[4:])})
    exported = library_csv([exercise])
    raw = pd.read_csv(io.BytesIO(exported), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert raw.loc[0, "step_2"] == "'=HYPERLINK(\"http://x\")" and raw.loc[0, "step_3"] == "'@SUM(A1)"
    assert raw.loc[0, "cue_1"] == "'- a dash first" and raw.loc[0, "cue_2"] == "''=already quoted"
    again = read_exercise_csv(exported, builtin())
    assert again.ok, again.problems
    assert again.exercises == (exercise,)


def test_export_of_the_whole_library_imports_back_unchanged_with_built_in_rows_left_alone():
    base = builtin()
    customs = read_exercise_csv(csv_bytes(WALL_SLIDE, STEP_UP), base).exercises
    library = base.with_custom(customs)
    data = library_csv(library)
    assert data.startswith("\ufeff".encode())
    result = read_exercise_csv(data, library)
    assert result.ok, result.problems
    assert result.exercises == customs
    assert result.builtin_rows == len(base)
    assert result.updated == ("clinic_wall_slide", "clinic_low_step")


def test_every_built_in_exercise_survives_a_round_trip_as_a_clinic_exercise():
    base = builtin()
    copies = [ex.model_copy(update={"id": "clinic_" + ex.id, "name": f"{ex.name} (ours)", "progression": None,
                                    "regression": None, "custom": True}) for ex in base]
    result = read_exercise_csv(library_csv(copies), base)
    assert result.ok, result.problems[:5]
    assert list(result.exercises) == copies


def test_semicolon_separated_files_from_european_spreadsheets_are_read():
    text = csv_bytes(WALL_SLIDE, STEP_UP).decode()
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    data = frame.to_csv(index=False, sep=";").encode("utf-8")
    result = read_exercise_csv(data, builtin())
    assert result.ok, result.problems
    assert [ex.id for ex in result.exercises] == ["clinic_wall_slide", "clinic_low_step"]


def test_header_problems_are_reported_on_row_1():
    header = HEADER.replace("cue_1", "cue_one") + ",sets"
    result = read_exercise_csv(csv_bytes(WALL_SLIDE + ",2", header=header), builtin())
    assert RowProblem(1, "cue_one", "There is no column called “cue_one”. See docs/exercise-csv.md for the "
                                    "column names.") in result.problems
    assert RowProblem(1, "cue_1", "The column “cue_1” is missing.") in result.problems
    assert RowProblem(1, "sets", "The column “sets” appears twice; keep only one.") in result.problems
    assert result.exercises == ()


def test_column_names_are_forgiving_about_case_and_spaces():
    header = HEADER.replace("target_areas", "Target Areas").replace("one_leg", "One leg")
    assert read_exercise_csv(csv_bytes(WALL_SLIDE, header=header), builtin()).ok


def test_ids_clashing_with_built_ins_or_each_other_are_reported_and_blank_ids_are_made_from_the_name():
    clash = WALL_SLIDE.replace("clinic_wall_slide,", "glute_bridge,")
    twice = STEP_UP.replace("clinic_low_step,", "clinic_wall_slide,")
    result = read_exercise_csv(csv_bytes(WALL_SLIDE, clash, twice), builtin())
    assert [(p.row, p.column) for p in result.problems] == [(3, "id"), (4, "id")]
    assert "built-in" in result.problems[0].message and "row 2" in result.problems[1].message
    made = read_exercise_csv(csv_bytes(WALL_SLIDE.replace("clinic_wall_slide,", ",")), builtin())
    assert made.exercises[0].id == "clinic_deep_wall_slide"


def test_ladder_links_may_point_within_the_file_and_broken_links_name_the_row():
    easier = WALL_SLIDE + ""
    header = HEADER + ",harder_id,easier_id"
    linked = read_exercise_csv(csv_bytes(easier + ",clinic_low_step,", STEP_UP + ",,clinic_wall_slide",
                                         header=header), builtin())
    assert linked.ok, linked.problems
    assert linked.exercises[0].progression == "clinic_low_step"
    broken = read_exercise_csv(csv_bytes(easier + ",,", STEP_UP + ",clinic_nowhere,", header=header), builtin())
    assert broken.problems == (
        RowProblem(3, "harder_id", "Harder exercise: there is no exercise with the id “clinic_nowhere”."),
    )


def test_names_already_in_the_library_or_the_file_are_refused_ignoring_case_and_accents():
    clash = STEP_UP.replace("Low step up", "GLUTE BRIDGE")
    twin = STEP_UP.replace("clinic_low_step,Low step up", "clinic_other,Deep wáll slide")
    result = read_exercise_csv(csv_bytes(WALL_SLIDE, clash, twin), builtin())
    assert [(p.row, p.column) for p in result.problems] == [(3, "name"), (4, "name")]
    assert "“Glute bridge”" in result.problems[0].message and "“Deep wall slide”" in result.problems[1].message
    assert result.exercises == ()


def test_cells_that_are_not_numbers_or_yes_no_are_named():
    row = STEP_UP.replace(",3,8,", ",three,8,").replace(",yes,", ",maybe,").replace("standing", "upside down")
    problems = read_exercise_csv(csv_bytes(row), builtin()).problems
    messages = {p.column: p.message for p in problems}
    assert messages["sets"] == "Sets must be a whole number."
    assert messages["one_leg"] == "One leg at a time must be yes or no."
    assert messages["position"].startswith("Starting position must be one of: lying on back,")


def test_a_built_in_row_must_really_be_built_in():
    header = "source," + HEADER
    result = read_exercise_csv(csv_bytes("built-in," + WALL_SLIDE, header=header), builtin())
    assert [(p.row, p.column) for p in result.problems] == [(2, "source")]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The file is empty"),
    (b"\xef\xbb\xbf\r\n  \r\n", "The file is empty"),
    (b"x" * (2 * 1024 * 1024 + 1), "at most 2 MB"),
    ((HEADER + "\n" + WALL_SLIDE + ",extra,cells\n").encode(), "Line 2 has 21 cells, but the header row has 19"),
])
def test_unreadable_files_get_one_plain_message(data, message):
    with pytest.raises(CsvFileError, match=message):
        read_exercise_csv(data, builtin())


def test_too_many_rows_are_refused_before_checking_them():
    with pytest.raises(CsvFileError, match=f"at most {MAX_ROWS}"):
        read_exercise_csv(csv_bytes(*[WALL_SLIDE] * (MAX_ROWS + 1)), builtin())


def peak_memory_of(read, data: bytes) -> int:
    tracemalloc.start()
    try:
        read(data)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_a_file_of_a_million_empty_cells_is_refused_without_building_a_table():
    attack = b"a," * (MAX_CSV_BYTES // 2 - 1)  # just under 2 MB: once 180 s and 3.8 GB of memory
    refusals: list[str] = []

    def read(data: bytes) -> None:
        with pytest.raises(CsvFileError, match=f"has 1,048,576 cells; an exercise table has at most {MAX_COLUMNS}"):
            read_exercise_csv(data, builtin())
        refusals.append("refused")

    assert peak_memory_of(read, attack) < 5 * len(attack)  # the text itself, not a table of a million cells
    assert refusals == ["refused"]


def test_a_wide_row_below_the_header_is_refused_at_that_row():
    wide = WALL_SLIDE + "," * MAX_COLUMNS  # 19 cells, then 200 more
    with pytest.raises(CsvFileError, match=f"Line 3 has 219 cells; .* at most {MAX_COLUMNS} columns"):
        read_exercise_csv(csv_bytes(WALL_SLIDE, wide), builtin())


def test_a_million_short_lines_stop_at_the_row_limit():
    attack = HEADER.encode() + b"\n" + b"a,\n" * (MAX_CSV_BYTES // 3 - 100)
    with pytest.raises(CsvFileError, match=f"more than {MAX_ROWS} exercises"):
        read_exercise_csv(attack, builtin())


def test_a_cell_longer_than_the_csv_reader_allows_gets_a_plain_message():
    with pytest.raises(CsvFileError, match="Line 2 cannot be read .* far too long"):
        read_exercise_csv(csv_bytes(WALL_SLIDE.replace("Clinic favourite.", "x" * 200_000)), builtin())


def test_only_the_first_problems_are_listed_and_the_rest_are_counted():
    bad = WALL_SLIDE.replace(",2,10,", ",zero,ten,")  # two problems a row, each row its own id
    rows = [bad.replace("clinic_wall_slide", f"clinic_slide_{n}") for n in range(MAX_PROBLEMS)]
    result = read_exercise_csv(csv_bytes(*rows), builtin())
    assert len(result.problems) == MAX_PROBLEMS and result.more_problems == MAX_PROBLEMS
    assert [p.row for p in result.problems] == sorted(p.row for p in result.problems)
    assert result.problems[0] == RowProblem(2, "sets", "Sets must be a whole number.")


def test_the_documented_columns_are_the_exported_ones():
    doc = (ROOT / "docs" / "exercise-csv.md").read_text(encoding="utf-8")
    for name in columns():
        first_of_its_kind = re.sub(r"_\d+$", "_1", name)  # step_1 … step_6 are documented together
        assert f"`{first_of_its_kind}`" in doc, name
    for name in REQUIRED_COLUMNS:
        assert name in columns()


def test_export_writes_every_exercise_once_with_its_source():
    base = builtin()
    frame = pd.read_csv(io.BytesIO(library_csv(base)), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame["id"]) == base.ids()
    assert set(frame["source"]) == {"built-in"}
    assert list(frame.columns) == columns()
    assert isinstance(base.get(frame["id"][0]), Exercise)
