"""Build program page: rerun time with a 1,000-exercise library and a 12-exercise program, through AppTest.

Run: ``.venv/bin/python benchmarks/bench_build_page.py [--runs N]`` (or ``python -m benchmarks bench_build_page``).
A temporary SQLite database gets 1,000 generated clinic exercises (so the library holds 1,035); the page then
adds a patient, starts from a template, adds exercises up to 12 and sets doses. Measured, each as the median of
``--runs`` reruns: a rerun with nothing changed (Streamlit reruns on any widget interaction), a rerun after a
dose change in the grid (that also autosaves the draft), a search in the library, and a rerun with the handout
preview showing (cached per program content). Target (issue 6): a rerun with nothing changed, median <= 150 ms.
Prints markdown for BENCHMARKS.md; nothing here is a timed test.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rehab import accounts, passwords, records, sessions  # noqa: E402
from rehab.domain import Category, Dosage, Exercise, Phase, Position, TargetArea  # noqa: E402
from rehab.storage.db import make_engine  # noqa: E402
from ui.auth_session import SESSION_TOKEN  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 150.0
CUSTOM = 1000
ITEMS = 12
CATEGORIES = [Category.STRENGTH, Category.STRETCH, Category.BALANCE, Category.STRENGTH, Category.SOFT_TISSUE]
AREAS = [TargetArea.KNEE, TargetArea.HIP, TargetArea.TRUNK, TargetArea.CALF, TargetArea.WHOLE_LEG]


def generated(n: int) -> Exercise:
    """A clinic exercise; pairs form a two-step ladder so harder/easier swaps exist among them too."""
    category = CATEGORIES[n % len(CATEGORIES)]
    one_leg = n % 3 == 0
    pair = n - n % 2
    hold = category is Category.STRETCH
    return Exercise(
        id=f"clinic_ex_{n:04d}",
        name=f"Clinic exercise {n} ({'step' if n % 2 else 'wall'} {'one leg' if one_leg else 'both legs'})",
        category=category,
        target_areas=[AREAS[n % len(AREAS)], AREAS[(n + 2) % len(AREAS)]],
        target_muscles=["front of thigh" if n % 2 else "side of hip"],
        equipment=["band"] if n % 4 == 0 else (["step"] if n % 4 == 1 else []),
        position=Position.STANDING,
        one_leg=one_leg,
        steps=["Stand tall by a wall.", "Do the movement slowly.", "Come back to the start."],
        cues=["Keep your knee over your toes."],
        default_dose=Dosage(sets=2, reps=2 if hold else 10, hold_seconds=20 if hold else None),
        progression=f"clinic_ex_{pair + 1:04d}" if n == pair else None,
        regression=f"clinic_ex_{pair:04d}" if n != pair else None,
        progress_tip="Go a little further.",
        ease_tip="Do a smaller movement.",
        phases=[Phase.STRENGTHEN, Phase.RETURN_TO_RUNNING] if n % 2 else [Phase.SETTLE, Phase.STRENGTHEN],
        evidence="Clinic exercise made for this benchmark.",
        custom=True,
    )


def seed(url: str) -> str:
    """The clinic's exercises and a signed-in account; returns its session's id (what the cookie holds)."""
    engine = make_engine(url)
    try:
        repo = records.connect(engine=engine)
        with repo.transaction(write=True) as tx:  # one transaction: saving one by one re-checks the whole library
            for n in range(CUSTOM):
                exercise = generated(n)
                tx.save_custom_exercise(exercise.id, exercise.model_dump_json())
            assert len(records.library_for(tx)) >= CUSTOM
            password_hash = passwords.hash_password(secrets.token_urlsafe(16))
            clinician_id = tx.add_clinician("bench@example.org", "Bench Physio", password_hash, "admin").id
        account = accounts.account_for(clinician_id, repo=repo)
        return sessions.start(account, "benchmark", repo=repo, idle_minutes=24 * 60)
    finally:
        engine.dispose()


def timed(run, runs: int) -> tuple[float, float, list[float]]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), samples


def build_program(at):
    at.text_input(key="build_np_name").input("Test Patient")
    at.button(key="FormSubmitter:build_add_patient-Add patient").click().run()
    at.selectbox(key="build_start_template").set_value("phase2_strengthen")
    at.button(key="build_start_template_go").click().run()
    at.session_state["build_add_open"] = True  # the clinician opens "Add exercises"
    at.run()
    for exercise_id in ("clinic_ex_0000", "clinic_ex_0003", "clinic_ex_0010", "clinic_ex_0021"):
        if len(at.session_state["build_work"].items) >= ITEMS:
            break
        at.text_input(key="build_ex_search").input(exercise_id.replace("_", " ")).run()  # 'clinic ex 0010'
        at.button(key=f"build_add_{exercise_id}").click().run()
    at.text_input(key="build_ex_search").input("").run()
    assert len(at.session_state["build_work"].items) == ITEMS, len(at.session_state["build_work"].items)
    assert not at.exception, at.exception
    return at


def measure(runs: int) -> dict:
    from streamlit.testing.v1 import AppTest

    folder = tempfile.mkdtemp(prefix="bench-build-")
    url = f"sqlite:///{folder}/bench.db"
    session_token = seed(url)
    os.environ["REHAB_DATABASE_URL"] = url
    start = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[SESSION_TOKEN] = session_token  # signed in: what the session cookie gives a browser
    at.run()
    first_ms = (time.perf_counter() - start) * 1000
    build_program(at)
    at.run()
    results = {"first_ms": first_ms, "items": len(at.session_state["build_work"].items)}
    results["idle"] = timed(at.run, runs)  # "Add exercises" open: 8 result cards with drawings
    at.session_state["build_add_open"] = False
    at.run()
    results["idle_closed"] = timed(at.run, runs)
    at.session_state["build_add_open"] = True
    at.run()

    grid = f"build_grid_{at.session_state['build_grid_rev']}"
    values = iter(range(10**6))

    def edit() -> None:
        at.session_state[grid] = {"edited_rows": {3: {"reps": 8 + next(values) % 5}}, "added_rows": [],
                                  "deleted_rows": []}
        at.run()

    results["edit"] = timed(edit, runs)
    # Each search text is new, so each one really scans the 1,035 exercises (results are cached per text).
    words = iter([f"clinic ex {n:03d}" for n in range(runs)])
    results["search"] = timed(lambda: at.text_input(key="build_ex_search").input(next(words)).run(), runs)
    at.text_input(key="build_ex_search").input("").run()
    start = time.perf_counter()
    at.toggle(key="build_show_preview").set_value(True).run()
    results["preview_first_ms"] = (time.perf_counter() - start) * 1000
    results["preview"] = timed(at.run, runs)
    assert not at.exception, at.exception
    results["library"] = CUSTOM + 35
    return results


def report(r: dict, runs: int) -> str:
    ok = "meets" if r["idle"][0] <= TARGET_MS else "MISSES"
    lines = [
        f"Library: {r['library']} exercises (1,000 generated clinic exercises plus the built-in ones); "
        f"program: {r['items']} exercises; median of {runs} reruns each (AppTest, in-process).",
        "",
        "| rerun | median ms | fastest ms |",
        "|---|---:|---:|",
        f"| nothing changed (any click), \"Add exercises\" open (8 result cards) | {r['idle'][0]:.1f} | "
        f"{r['idle'][1]:.1f} |",
        f"| nothing changed, \"Add exercises\" closed | {r['idle_closed'][0]:.1f} | {r['idle_closed'][1]:.1f} |",
        f"| after a dose change in the grid (autosaves the draft) | {r['edit'][0]:.1f} | {r['edit'][1]:.1f} |",
        f"| a new search text in \"Add exercises\" | {r['search'][0]:.1f} | {r['search'][1]:.1f} |",
        f"| handout preview showing (cached pages) | {r['preview'][0]:.1f} | {r['preview'][1]:.1f} |",
        "",
        f"First run after the server starts (builds and caches the {r['library']}-exercise library, kept until a "
        f"custom exercise changes): {r['first_ms']:.0f} ms. Turning the preview on for new content (render and "
        f"rasterise every page): {r['preview_first_ms']:.0f} ms.",
        "",
        f"Target: a rerun with nothing changed, median <= {TARGET_MS:.0f} ms: **{ok}** "
        f"({r['idle'][0]:.1f} ms).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="reruns per measurement (default 21)")
    args = parser.parse_args(argv)
    results = measure(args.runs)
    print(report(results, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
