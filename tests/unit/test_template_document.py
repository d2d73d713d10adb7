"""The rehab.template/1 document: every built-in template fits it, and each bad field gets a message naming it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rehab.content.content import load_templates
from rehab.domain import Patient, PlannedSwitch
from rehab.program.templates import program_from_template
from rehab.services.clinic_templates import (
    TEMPLATE_FORMAT,
    ClinicTemplate,
    dumps_template,
    from_builtin,
    from_program,
    parse_ref,
    read_template,
    template_json_schema,
)
from rehab.storage.errors import InvalidRecord
from tests.conftest import ROOT

SCHEMA_FILE = ROOT / "docs" / "template.schema.json"


def document(**changes) -> dict:
    data = json.loads(dumps_template(from_builtin(load_templates()["phase2_strengthen"])))
    data.update(changes)
    return data


def problems(source) -> list[str]:
    with pytest.raises(InvalidRecord) as caught:
        read_template(source)
    return caught.value.problems


@pytest.mark.parametrize("template_id", list(load_templates()))
def test_every_built_in_template_is_a_valid_document_that_reads_back_the_same(template_id):
    template = load_templates()[template_id]
    text = dumps_template(from_builtin(template))
    assert json.loads(text)["format"] == TEMPLATE_FORMAT
    assert read_template(text) == from_builtin(template)
    assert read_template(text.encode("utf-8")) == from_builtin(template)


def test_no_built_in_id_can_be_mistaken_for_a_clinic_template():
    assert all(parse_ref(t) is None and not t.startswith("clinic_") for t in load_templates())
    assert parse_ref("clinic_12") == 12 and parse_ref("clinic_x") is None and parse_ref("phase1_settle") is None


def test_the_committed_json_schema_is_the_generated_one():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    regenerate = "python -m rehab template schema > docs/template.schema.json"
    assert committed == template_json_schema(), f"regenerate: {regenerate}"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "document is empty"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "document: must be a JSON object"),
        (document(format="rehab.program/1"), "format: 'rehab.program/1' is not supported"),
        (document(title=""), "title: must not be empty"),
        (document(title="x" * 201), "title: is too long (201 characters; at most 200)"),
        (document(phase="sprint"), "phase: 'sprint' is not allowed"),
        (document(duration_weeks=0), "duration_weeks: 0 is below the minimum 1"),
        (document(summary="x" * 801), "summary: is too long"),
        (document(move_on=[]), "move_on: needs at least 1 entry"),
        (document(items=[]), "items: needs at least 1 entry"),
        (document(items=[{"exercise": "quad_set", "sets": 2, "reps": 10}] * 41), "items: has too many entries"),
        (document(items=[{"exercise": "quad_set", "sets": 2, "reps": 99}]), "items[0].reps: 99 is above the maximum"),
        (document(items=[{"exercise": "quad_set", "sets": 2}]), "items[0]: give reps, hold_seconds or minutes"),
        (document(items=[{"exercise": "no_such_move", "sets": 2, "reps": 10}]),
         "items[0].exercise: 'no_such_move' is not in this clinic's exercise library"),
        (document(items=[{"exercise": "clamshell", "sets": 2, "reps": 10}]), "items[0]: Clamshell (item 1) is done"),
        (document(items=[{"exercise": "glute_bridge", "sets": 2, "reps": 10,
                          "switch": {"from_week": 3, "exercise": "glute_bridge"}}]), "items[0]: switch:"),
        (document(education=["gossip"]), "education[0]: 'gossip' is not a known topic"),
        (document(notes="x" * 2001), "notes: is too long"),
        (document(colour="red"), "colour: is not a known field"),
    ],
)
def test_each_bad_field_is_named_with_what_is_allowed(source, message):
    found = problems(source if isinstance(source, str) else json.dumps(source))
    assert any(p.startswith(message) for p in found), found


def test_hostile_text_is_kept_exactly():
    title, summary = "O'Brien & <Sons> · Łukasz Żółć", ("Ολυμπία and Юлия: do this at home. " * 20).strip()
    read = read_template(json.dumps(document(title=title, summary=summary)))
    assert (read.title, read.summary) == (title, summary)


def test_a_template_of_a_program_keeps_grow_and_switch_and_nothing_of_the_patient():
    template = load_templates()["phase2_strengthen"]
    program = program_from_template(template.id, Patient(name="Юлия", email="j@example.org"),
                                    start_date=dt.date(2026, 3, 2))
    first, second, *rest = program.items
    items = (first.model_copy(update={"switch": PlannedSwitch(from_week=3, exercise="clamshell")}),
             second.model_copy(update={"grow": False}), *rest)
    program = program.model_copy(update={"items": items, "notes": "For Юлия only."})
    made = from_program(program, title=" Ours ", summary="Get stronger.", move_on=["A.", " ", "B."])
    assert (made.title, made.move_on, made.items) == ("Ours", ("A.", "B."), items)
    text = dumps_template(made)
    assert "Юлия" not in text and "2026-03-02" not in text
    now = dt.datetime.now(dt.UTC)
    record = ClinicTemplate(id=7, document=made, created_at=now, updated_at=now)
    again = program_from_template(record.as_template(), Patient(name="Someone"), start_date=dt.date(2026, 4, 6))
    assert again.items == items and again.template == "clinic_7" and again.notes == ""


def test_the_example_in_the_docs_is_a_valid_template():
    import re

    text = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    assert read_template(example).items[1].switch.exercise == "side_lying_hip_abduction"
