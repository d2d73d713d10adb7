"""Core commands: templates, new, validate, check, schedule, library, schema."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from ..content.content import load_templates
from ..content.library import load_library
from ..domain import Language, Patient, Program, Side
from ..errors import UnknownTemplate
from ..program.checks import check_program, has_errors
from ..program.document import dump_program, load_program, program_json_schema
from ..program.progression import schedule_program, side_for
from ..program.templates import program_from_template
from ..program.timing import session_minutes
from ..words.dose import exercise_dose_in_words, frequency_in_words
from ..words.problems import messages


def _print_problems(problems: list[str]) -> int:
    for line in problems:
        print(line, file=sys.stderr)
    return 1


def _load(path: str):
    return load_program(Path(path))


def _clinic_database_exists() -> bool:
    """Clinic templates live in the database; a SQLite file that is not there yet has none (and is not created)."""
    from ..services import database

    return database.exists()


def cmd_templates(args: argparse.Namespace) -> int:
    for template in load_templates().values():
        print(f"{template.id}  {template.title}")
    if args.builtin or not _clinic_database_exists():
        return 0
    from ..services import clinic_templates, database

    with database.clinic_opened() as repo:
        for template in clinic_templates.list_clinic_templates(repo=repo, include_retired=args.retired):
            print(f"{template.ref}  {template.title}" + ("  [retired]" if template.retired else ""))
    return 0


def _template(ref: str):
    """A built-in template, or a clinic template (``clinic_<id>``) from the clinic's database."""
    from ..services import clinic_templates

    if clinic_templates.parse_ref(ref) is None:
        return clinic_templates.resolve_template(ref)
    if not _clinic_database_exists():
        raise UnknownTemplate(f"template '{ref}' is a clinic template, and the clinic database does not exist yet")
    from ..services import database

    with database.clinic_opened() as repo:
        return clinic_templates.resolve_template(ref, repo=repo)


def cmd_new(args: argparse.Namespace) -> int:
    try:
        patient = Patient(name=args.patient, email=args.email or None, affected_side=args.side,
                          language=args.language, second_language=args.second_language)
    except ValidationError as exc:
        return _print_problems(messages(exc, prefix="patient"))
    start = args.start or dt.date.today()
    template = _template(args.template)
    program = program_from_template(template, patient, start_date=start, clinician=args.clinician or "")
    # Titled after the template unless told otherwise (as on the Build page), so a patient's programs read apart.
    title = template.title if args.title is None else args.title.strip()
    try:
        program = Program.model_validate({**program.model_dump(), "title": title})
    except ValidationError as exc:
        return _print_problems(messages(exc))
    out = Path(args.output)
    if out.exists() and not args.force:
        return _print_problems([f"{out} already exists; use --force to replace it"])
    out.write_text(dump_program(program), encoding="utf-8")
    print(f"wrote {out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    program = _load(args.file)
    print(f"ok: {len(program.items)} exercises, {program.duration_weeks} weeks, phase {program.phase.value}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    program = _load(args.file)
    library = load_library()
    findings = check_program(program, library)
    print(f"about {session_minutes(program, library):.0f} minutes a session, {len(program.items)} exercises")
    for finding in findings:
        print(f"{finding.severity.value}: {finding.message}")
    if not findings:
        print("no findings")
    return 1 if has_errors(findings) else 0


def cmd_schedule(args: argparse.Namespace) -> int:
    program = _load(args.file)
    library = load_library()
    for item, weeks in zip(program.items, schedule_program(program, library), strict=True):
        print(library.get(item.exercise).name)
        for entry in weeks:
            exercise = library.get(entry.exercise)
            dose = exercise_dose_in_words(exercise, entry.dosage, side_for(exercise, item))
            name = "" if entry.exercise == item.exercise else f" [{exercise.name}]"
            print(f"  week {entry.week:>2}: {dose}; {frequency_in_words(entry.dosage).lower()}{name}")
    return 0


LIBRARY_COLUMNS = ["id", "name", "category", "target_areas", "position", "equipment", "one_leg", "phases",
                   "progression", "regression"]


def cmd_library(args: argparse.Namespace) -> int:
    exercises = list(load_library())
    if args.format == "json":
        print(json.dumps([ex.model_dump(mode="json") for ex in exercises], ensure_ascii=False, indent=2))
        return 0
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(LIBRARY_COLUMNS)
        for ex in exercises:
            row = ex.model_dump(mode="json")
            writer.writerow(
                ["; ".join(map(str, row[c])) if isinstance(row[c], list) else ("" if row[c] is None else row[c])
                 for c in LIBRARY_COLUMNS]
            )
        sys.stdout.write(buffer.getvalue())
        return 0
    for ex in exercises:
        print(f"{ex.id:<28} {ex.name}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(program_json_schema(), indent=2, ensure_ascii=False))
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-22") from None


def register(subparsers) -> None:
    p = subparsers.add_parser("templates", help="list program templates: built-in ones, then the clinic's own")
    p.add_argument("--builtin", action="store_true", help="only the built-in templates (no database)")
    p.add_argument("--retired", action="store_true", help="include the clinic's retired templates")
    p.set_defaults(func=cmd_templates)

    p = subparsers.add_parser("new", help="start a program document from a template")
    p.add_argument("--template", required=True, help="template id, built-in or clinic_<id> (see: templates)")
    p.add_argument("--patient", required=True, help="patient name")
    p.add_argument("--email", help="patient email")
    p.add_argument("--side", choices=[s.value for s in Side], help="affected side")
    p.add_argument("--title", help="program title printed on the handout (default: the template's title)")
    p.add_argument("--clinician", help="clinician name printed on the handout")
    p.add_argument("--language", choices=[language.value for language in Language],
                   help="language of the patient's handout (default: the clinic's)")
    p.add_argument("--second-language", choices=[language.value for language in Language],
                   help="a second language printed beneath every block of the handout, smaller (default: none)")
    p.add_argument("--start", type=_date, help="start date, YYYY-MM-DD (default today)")
    p.add_argument("-o", "--output", required=True, help="program file to write (JSON)")
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")
    p.set_defaults(func=cmd_new)

    for name, func, text in (
        ("validate", cmd_validate, "check a program document is valid"),
        ("check", cmd_check, "clinical and practical checks; exit 1 on errors"),
        ("schedule", cmd_schedule, "week-by-week doses"),
    ):
        p = subparsers.add_parser(name, help=text)
        p.add_argument("file", help="program document (JSON)")
        p.set_defaults(func=func)

    p = subparsers.add_parser("library", help="list the exercise library")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text")
    p.set_defaults(func=cmd_library)

    p = subparsers.add_parser("schema", help="print the JSON Schema of the program document")
    p.set_defaults(func=cmd_schema)

