"""The command line as a new user meets it: exit codes, messages, never a traceback."""

import json
import subprocess
import sys

import pytest

from rehab.cli import main
from tests.conftest import ROOT

PHASE2 = "phase2_strengthen"


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_templates_lists_one_id_and_title_per_line(capsys):
    code, out, _ = run(capsys, "templates")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) >= 4
    assert any(line.startswith(f"{PHASE2}  ") for line in lines)


def test_new_validate_check_and_schedule_work_together(capsys, tmp_path):
    path = tmp_path / "p.json"
    code, out, err = run(capsys, "new", "--template", PHASE2, "--patient", "Zoë Ñúñez", "--side", "left",
                         "--email", "zoe@example.org", "-o", str(path))
    assert (code, err) == (0, "")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["patient"] == {"name": "Zoë Ñúñez", "email": "zoe@example.org", "email_consent": False,
                              "affected_side": "left", "date_of_birth": None, "language": None,
                              "second_language": None}
    assert run(capsys, "validate", str(path))[0] == 0
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0 and "minutes a session" in out
    code, out, _ = run(capsys, "schedule", str(path))
    assert code == 0 and "week  1:" in out and f"week {doc['duration_weeks']:>2}:" in out


def test_new_titles_the_program_after_the_template_or_as_told(capsys, tmp_path):
    code, _, err = run(capsys, "new", "--template", PHASE2, "--patient", "A", "-o", str(tmp_path / "a.json"))
    assert (code, err) == (0, "")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["title"] == "Phase 2: Build strength"
    code, _, err = run(capsys, "new", "--template", PHASE2, "--patient", "A", "--title", "Łukasz's <left> knee & hip",
                       "-o", str(tmp_path / "b.json"))
    assert (code, err) == (0, "")
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["title"] == "Łukasz's <left> knee & hip"
    code, _, err = run(capsys, "new", "--template", PHASE2, "--patient", "A", "--title", "x" * 201,
                       "-o", str(tmp_path / "c.json"))
    assert code == 1 and err.startswith("title: ") and not (tmp_path / "c.json").exists()


def test_new_refuses_to_overwrite_and_unknown_templates(capsys, tmp_path):
    path = tmp_path / "p.json"
    path.write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "new", "--template", PHASE2, "--patient", "A", "-o", str(path))
    assert code == 1 and "already exists" in err and path.read_text(encoding="utf-8") == "keep me"
    code, _, err = run(capsys, "new", "--template", "nope", "--patient", "A", "-o", str(tmp_path / "q.json"))
    assert code == 1 and "template 'nope' is unknown" in err
    assert not (tmp_path / "q.json").exists()


def test_invalid_documents_exit_1_with_field_messages(capsys, tmp_path):
    path = tmp_path / "p.json"
    run(capsys, "new", "--template", PHASE2, "--patient", "A", "-o", str(path))
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["items"][2]["sets"] = 0
    path.write_text(json.dumps(doc), encoding="utf-8")
    for command in ("validate", "check", "schedule"):
        code, out, err = run(capsys, command, str(path))
        assert code == 1
        assert err == "items[2].sets: 0 is below the minimum 1\n"


def test_check_exits_1_when_a_finding_is_an_error(capsys, tmp_path):
    path = tmp_path / "p.json"
    run(capsys, "new", "--template", PHASE2, "--patient", "A", "-o", str(path))
    doc = json.loads(path.read_text(encoding="utf-8"))
    one_leg = next(i for i, item in enumerate(doc["items"]) if item.get("side"))
    doc["items"][one_leg]["side"] = None
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1 and "error: " in out and "one leg at a time" in out


def test_library_prints_csv_and_json(capsys):
    code, out, _ = run(capsys, "library", "--format", "json")
    exercises = json.loads(out)
    assert code == 0 and len(exercises) >= 30
    assert {"id", "name"} <= set(exercises[0])
    code, out, _ = run(capsys, "library", "--format", "csv")
    assert out.splitlines()[0].startswith("id,name,category")
    assert len(out.splitlines()) == len(exercises) + 1


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["new", "--patient", "A"], ["library", "--format", "xml"]])
def test_usage_errors_exit_2(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and "usage:" in err


def test_the_module_runs_as_a_program_and_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe not json")
    result = subprocess.run([sys.executable, "-m", "rehab", "validate", str(bad)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == "document is not UTF-8 text (bad byte at position 0)\n"
