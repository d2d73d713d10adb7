"""The rehab.program/1 document: validation messages, exact round trips, bad input."""

import json

import pytest
from jsonschema import Draft202012Validator

from rehab import ProgramError, dump_program, load_program
from rehab.program.document import program_json_schema
from tests.conftest import ROOT

SCHEMA_FILE = ROOT / "docs" / "program.schema.json"


def document(**changes):
    doc = {
        "format": "rehab.program/1",
        "patient": {"name": "Zoë Ñúñez", "email": "zoe@example.org", "email_consent": True, "affected_side": "left"},
        "phase": "strengthen",
        "start_date": "2026-11-22",
        "duration_weeks": 6,
        "items": [
            {"exercise": "glute_bridge", "sets": 3, "reps": 12, "hold_seconds": None, "side": None,
             "rest_seconds": 60, "days_per_week": 3, "load": None, "notes": ""},
            {"exercise": "clamshell", "sets": 2, "reps": 15, "side": "both", "days_per_week": 3},
        ],
        "education": ["pain_monitoring", "load_management"],
        "notes": "Free text from the clinician to the patient.",
    }
    doc.update(changes)
    return doc


def problems_for(source) -> list[str]:
    with pytest.raises(ProgramError) as caught:
        load_program(source)
    return caught.value.problems


def test_a_design_example_loads_with_units_in_field_names():
    program = load_program(document())
    assert program.patient.name == "Zoë Ñúñez"
    assert program.items[0].reps == 12 and program.items[0].rest_seconds == 60
    assert program.items[1].days_per_week == 3


def test_saving_and_loading_round_trips_exactly():
    text = dump_program(load_program(document()))
    assert dump_program(load_program(text)) == text
    assert load_program(json.loads(text)) == load_program(document())


def test_a_dose_out_of_range_names_the_item_field_and_the_limit():
    doc = document()
    doc["items"][1]["sets"] = 0
    doc["items"][0]["days_per_week"] = 8
    assert problems_for(doc) == [
        "items[0].days_per_week: 8 is above the maximum 7",
        "items[1].sets: 0 is below the minimum 1",
    ]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("reps", 51, "items[0].reps: 51 is above the maximum 50"),
        ("hold_seconds", 301, "items[0].hold_seconds: 301 is above the maximum 300"),
        ("rest_seconds", 601, "items[0].rest_seconds: 601 is above the maximum 600"),
        ("times_per_day", 7, "items[0].times_per_day: 7 is above the maximum 6"),
        ("sets", 11, "items[0].sets: 11 is above the maximum 10"),
        ("sets", "three", "items[0].sets: 'three' is not a whole number"),
        ("side", "middle", "items[0].side: 'middle' is not allowed; use one of 'left', 'right' or 'both'"),
        ("setz", 3, "items[0].setz: is not a known field"),
    ],
)
def test_each_dose_bound_is_enforced_with_a_message(field, value, expected):
    doc = document()
    doc["items"][0][field] = value
    assert expected in problems_for(doc)


def test_an_item_without_any_amount_is_refused():
    doc = document()
    doc["items"][0]["reps"] = None
    assert problems_for(doc) == ["items[0]: give reps, hold_seconds or minutes"]


def test_unknown_exercise_and_topic_ids_are_named():
    doc = document(education=["pain_monitoring", "astrology"])
    doc["items"][1]["exercise"] = "moon_walk"
    found = problems_for(doc)
    assert found[0] == "items[1].exercise: 'moon_walk' is not in the exercise library"
    assert found[1].startswith("education[1]: 'astrology' is not a known topic")


def test_an_empty_program_is_refused():
    assert problems_for(document(items=[])) == ["items: needs at least 1 entry"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "document is empty"),
        (b"   \n", "document is empty"),
        (b"{\"format\": ", "not valid JSON: Expecting value at line 1, column 12"),
        (b"\xff\xfe\x00garbage", "document is not UTF-8 text (bad byte at position 0)"),
        (b"[1, 2]", "document: must be a JSON object"),
        (b'{"format": "rehab.program/9"}', "format: 'rehab.program/9' is not supported; expected 'rehab.program/1'"),
    ],
)
def test_broken_files_get_one_clear_message(tmp_path, raw, expected):
    path = tmp_path / "p.json"
    path.write_bytes(raw)
    assert problems_for(path) == [expected]


def test_a_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (10 * 1024 * 1024))
    (problem,) = problems_for(path)
    assert problem.startswith("file is 10,485,760 bytes")


def test_a_missing_file_is_named(tmp_path):
    assert problems_for(tmp_path / "nope.json") == [f"file not found: {tmp_path / 'nope.json'}"]


def test_the_committed_json_schema_matches_the_model_and_accepts_a_document():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == program_json_schema(), "regenerate: python -m rehab schema > docs/program.schema.json"
    Draft202012Validator(committed).validate(json.loads(dump_program(load_program(document()))))


def test_a_second_language_round_trips_and_the_schema_accepts_it():
    patient = {**document()["patient"], "language": "es", "second_language": "en"}
    text = dump_program(load_program(document(patient=patient)))
    assert json.loads(text)["patient"]["second_language"] == "en"
    assert load_program(text).patient.second_language == "en" and dump_program(load_program(text)) == text
    Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(json.loads(text))


def test_a_program_saved_before_the_second_language_loads_with_one_language():
    program = load_program(document())  # its patient has neither language field
    assert program.patient.language is None and program.patient.second_language is None


def test_a_second_language_equal_to_the_first_is_refused_unknown_ones_too():
    same = {**document()["patient"], "language": "pl", "second_language": "pl"}
    assert problems_for(document(patient=same)) == [
        "patient: second_language: choose a language other than the handout's own (pl)"]
    unknown = {**document()["patient"], "second_language": "fr"}
    assert problems_for(document(patient=unknown))[0].startswith("patient.second_language:")
