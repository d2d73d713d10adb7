"""The storage commands: save, programs, db upgrade/export/import/backup; and two OS processes sharing data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from rehab import services
from rehab.cli import main
from rehab.program.document import dump_program
from rehab.storage.db import head_revision, make_engine
from rehab.storage.repository import Repository
from rehab.storage.transfer import export_data
from tests.conftest import ROOT
from tests.support.storage_samples import sample_program

from .conftest import new_database_url


@pytest.fixture
def cli(db_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("REHAB_DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write(path, program) -> str:
    path.write_text(dump_program(program), encoding="utf-8")
    return str(path)


def test_save_adds_the_patient_and_prints_program_and_version(cli, tmp_path):
    code, out, err = cli("save", write(tmp_path / "p.json", sample_program()))
    assert (code, out, err) == (0, "program 1 version 1\n", "")
    code, out, _ = cli(
        "save",
        write(tmp_path / "p2.json", sample_program(notes="v2")),
        "--program",
        1,
        "--base-version",
        1,
        "--author",
        "second@example.org",
    )
    assert (code, out) == (0, "program 1 version 2\n")
    code, out, _ = cli("programs", "--patient", "zoe")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "program 1  Zoë Ñúñez  (Your knee exercise program)"
    assert lines[1].startswith("  version 1  ") and lines[1].endswith("Test Clinician")
    assert lines[2].startswith("  version 2  ") and lines[2].endswith("second@example.org")


def test_saving_from_a_stale_base_version_exits_1_with_a_conflict_message(cli, tmp_path):
    path = write(tmp_path / "p.json", sample_program())
    cli("save", path)
    assert cli("save", path, "--program", 1, "--base-version", 1)[0] == 0
    code, out, err = cli("save", path, "--program", 1, "--base-version", 1)
    assert (code, out) == (1, "")
    assert err.startswith("error: conflict: program 1 is now at version 2") and "nothing was overwritten" in err
    assert "Traceback" not in err


def test_save_usage_and_input_errors(cli, tmp_path):
    path = write(tmp_path / "p.json", sample_program())
    assert cli("save", path, "--program", 1)[0] == 2
    (tmp_path / "bad.json").write_text('{"format": "rehab.program/1", "phase": "sprint"}', encoding="utf-8")
    code, _, err = cli("save", tmp_path / "bad.json")
    assert code == 1 and "phase:" in err and "Traceback" not in err
    code, _, err = cli("save", tmp_path / "missing.json")
    assert code == 1 and "file not found" in err
    assert cli("programs")[1] == "no programs found\n"


def test_db_upgrade_is_idempotent(cli):
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and out.endswith(f"is at schema revision {head_revision()}\n")
    assert cli("db", "upgrade") == (code, out, "")


def test_db_export_import_and_backup_commands(cli, tmp_path, db_url, request, monkeypatch):
    cli("save", write(tmp_path / "p.json", sample_program()))
    code, out, err = cli("db", "export", tmp_path / "out.json")
    assert code == 0 and out.startswith(f"wrote {tmp_path / 'out.json'}: ") and "patient data" in err
    assert cli("db", "import", tmp_path / "out.json")[0] == 1  # not empty
    code, out, err = cli("db", "backup", tmp_path / "copy.sqlite")
    if db_url.startswith("sqlite"):
        assert code == 0 and out.startswith(f"wrote {tmp_path / 'copy.sqlite'} (")
    else:
        assert code == 1 and "pg_dump" in err
    target = new_database_url(request, "postgresql" if "postgresql" in db_url else "sqlite", tmp_path, name="t2")
    monkeypatch.setenv("REHAB_DATABASE_URL", target)
    code, out, _ = cli("db", "import", tmp_path / "out.json")
    assert code == 0 and out.startswith("imported ")
    source, copy = make_engine(db_url), make_engine(target)
    try:
        assert export_data(copy) == export_data(source)
    finally:
        source.dispose()
        copy.dispose()
    assert cli("db", "import", tmp_path / "out.json", "--force")[0] == 0


def test_a_database_that_cannot_be_reached_exits_1_without_a_traceback(monkeypatch, tmp_path, capsys):
    from tests.support.postgres import free_port

    monkeypatch.setenv("REHAB_DATABASE_URL", f"postgresql+psycopg://u:pw-secret@127.0.0.1:{free_port()}/x")
    path = write(tmp_path / "p.json", sample_program())
    assert main(["save", path]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach PostgreSQL database x") and "pw-secret" not in err


# --- several instances ------------------------------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import json, sys
    from rehab import services
    from rehab.domain import Patient
    from rehab.program.templates import program_from_template

    repo = services.bootstrap.connect()
    name = sys.argv[1]
    program = program_from_template("phase1_settle", Patient(name=name))
    info = services.programs.save_program(program, repo=repo, actor=name)
    print(json.dumps({"saved": info.program_id}), flush=True)
    sys.stdin.readline()  # wait until the other process has saved too
    seen = sorted(p.patient_name for p in services.programs.list_programs(repo=repo))
    print(json.dumps({"seen": seen}), flush=True)
    repo.engine.dispose()
    """
)


def _env(url: str) -> dict:
    return {**os.environ, "REHAB_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}


def test_two_processes_on_one_postgresql_see_each_others_writes(request, tmp_path):
    url = new_database_url(request, "postgresql", tmp_path)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(url),
            cwd=tmp_path,
        )
        for name in ("Zoë Ñúñez", "Łukasz Żółć")
    ]
    try:
        saved = [json.loads(w.stdout.readline()) for w in workers]  # both running, both have written
        assert sorted(s["saved"] for s in saved) == [1, 2]
        results = [w.communicate("go\n", timeout=60) for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
    for (out, err), worker in zip(results, workers, strict=True):
        assert worker.returncode == 0, err
        assert json.loads(out) == {"seen": ["Zoë Ñúñez", "Łukasz Żółć"]}


def test_the_command_line_in_separate_processes_shares_one_postgresql(request, tmp_path):
    url = new_database_url(request, "postgresql", tmp_path)

    def rehab(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "rehab", *argv],
            capture_output=True,
            text=True,
            env=_env(url),
            cwd=tmp_path,
            timeout=120,
        )

    first = rehab("save", write(tmp_path / "a.json", sample_program()))
    assert (first.returncode, first.stdout) == (0, "program 1 version 1\n"), first.stderr
    listed = rehab("programs")
    assert "program 1  Zoë Ñúñez" in listed.stdout
    second = rehab(
        "save", write(tmp_path / "b.json", sample_program(notes="v2")), "--program", "1", "--base-version", "1"
    )
    assert second.stdout == "program 1 version 2\n"
    stale = rehab(
        "save", write(tmp_path / "c.json", sample_program(notes="v2b")), "--program", "1", "--base-version", "1"
    )
    assert stale.returncode == 1 and "conflict" in stale.stderr
    engine = make_engine(url)
    try:
        assert [v.version for v in services.programs.list_versions(1, repo=Repository(engine))] == [1, 2]
    finally:
        engine.dispose()


def test_the_command_line_works_in_the_clinic_rehab_clinic_id_names(cli, db_url, monkeypatch, tmp_path):
    from rehab.services import accounts

    repo = services.bootstrap.connect(engine=make_engine(db_url))
    second = accounts.add_clinic_with_admin("Second Clinic", "b@example.org", "Bea", "a long test passphrase",
                                            repo=repo, actor="test")
    repo.engine.dispose()
    assert cli("save", write(tmp_path / "p.json", sample_program()))[0] == 0  # clinic 1, the default

    monkeypatch.setenv("REHAB_CLINIC_ID", str(second.clinic_id))
    assert cli("programs") == (0, "no programs found\n", "")  # clinic 1's program is not seen from clinic 2
    code, out, _ = cli("save", write(tmp_path / "q.json", sample_program(notes="theirs")))
    assert (code, out) == (0, "program 2 version 1\n")
    assert cli("programs")[1].splitlines()[0] == "program 2  Zoë Ñúñez  (Your knee exercise program)"

    monkeypatch.setenv("REHAB_CLINIC_ID", "7")
    code, out, err = cli("programs")
    assert (code, out) == (1, "")
    assert "REHAB_CLINIC_ID: there is no clinic 7 in this database; it has 1 (" in err and "Second Clinic" in err
    monkeypatch.setenv("REHAB_CLINIC_ID", "first")
    code, _, err = cli("programs")
    assert code == 1 and "REHAB_CLINIC_ID: 'first' is not a clinic number" in err


def test_clinic_templates_on_the_command_line(cli, db_url, tmp_path):
    from rehab.services import clinic_templates

    engine = make_engine(db_url)
    try:
        repo = services.bootstrap.connect(engine=engine)
        own = clinic_templates.copy_builtin("phase2_strengthen", repo=repo, actor="t")
        retired = clinic_templates.copy_builtin("phase1_settle", repo=repo, actor="t")
        clinic_templates.retire_clinic_template(retired.id, repo=repo, actor="t")
    finally:
        engine.dispose()
    code, out, _ = cli("templates")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("phase1_settle  ") and lines[-1] == f"{own.ref}  Phase 2: Build strength"
    assert retired.ref not in out
    assert f"{retired.ref}  Phase 1: Settle your knee  [retired]" in cli("templates", "--retired")[1]
    assert cli("templates", "--builtin")[1].count("\n") == 4

    code, out, err = cli("new", "--template", own.ref, "--patient", "Юлия", "-o", tmp_path / "p.json")
    assert (code, err) == (0, "")
    document = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert document["template"] == own.ref and len(document["items"]) == len(own.document.items)
    assert document["title"] == "Phase 2: Build strength"  # the clinic template's title, as on the Build page
    code, _, err = cli("new", "--template", retired.ref, "--patient", "A", "-o", tmp_path / "q.json")
    assert code == 1 and "is retired" in err and not (tmp_path / "q.json").exists()

    assert cli("template", "export", own.ref, "-o", tmp_path / "t.json")[0] == 0
    text = (tmp_path / "t.json").read_text(encoding="utf-8")
    assert json.loads(text)["format"] == "rehab.template/1"
    (tmp_path / "t.json").write_text(text.replace("Phase 2: Build strength", "Łukasz's plan"), encoding="utf-8")
    code, out, _ = cli("template", "import", tmp_path / "t.json")
    assert code == 0 and out.startswith("imported clinic_") and out.rstrip().endswith("Łukasz's plan")
    (tmp_path / "bad.json").write_text('{"format": "rehab.template/1", "title": "x"}', encoding="utf-8")
    code, _, err = cli("template", "import", tmp_path / "bad.json")
    assert code == 1 and "phase: is required" in err and "items: is required" in err
    assert cli("template", "export", "phase1_settle", "-o", tmp_path / "u.json")[0] == 2
