"""Storage commands: ``save``, ``programs``, ``template export|import`` and ``db upgrade|export|import|backup``.

Handlers open the database named by REHAB_DATABASE_URL, upgrade its schema (a no-op when current), call one
use case from rehab.services and print the result. Errors are RehabErrors, which ``python -m rehab`` prints
as one line and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# SQLAlchemy loads only when a storage command runs, so other commands start fast.


def cmd_save(args: argparse.Namespace) -> int:
    if (args.program is None) != (args.base_version is None):
        print("error: --program and --base-version go together (the version your edit started from)", file=sys.stderr)
        return 2
    from .. import services
    from ..program.document import load_program

    with services.database.clinic_opened() as repo:
        program = load_program(Path(args.file), library=_library(repo))
        info = services.programs.save_program(
            program,
            repo=repo,
            actor=args.author or program.clinician or "command line",
            program_id=args.program,
            base_version=args.base_version,
            patient_id=args.patient_id,
            allow_errors=args.force,
        )
    print(f"program {info.program_id} version {info.version}")
    return 0


def cmd_template_export(args: argparse.Namespace) -> int:
    from .. import services
    from ..services import clinic_templates

    template_id = clinic_templates.parse_ref(args.template)
    if template_id is None:
        print(f"error: '{args.template}' is not a clinic template; give clinic_<id> (see: templates)", file=sys.stderr)
        return 2
    out = Path(args.output)
    if out.exists() and not args.force:
        print(f"error: {out} already exists; use --force to replace it", file=sys.stderr)
        return 1
    with services.database.clinic_opened() as repo:
        text = clinic_templates.export_template(template_id, repo=repo)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


def cmd_template_schema(args: argparse.Namespace) -> int:
    from ..services.clinic_templates import template_json_schema

    print(json.dumps(template_json_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_template_import(args: argparse.Namespace) -> int:
    from .. import services
    from ..services import clinic_templates

    with services.database.clinic_opened() as repo:
        record = clinic_templates.import_template(Path(args.input), repo=repo, actor=args.author)
    print(f"imported {record.ref}  {record.title}")
    return 0


def _library(repo):
    from .. import services

    with repo.transaction() as tx:
        return services.exercises.library_for(tx)


def cmd_programs(args: argparse.Namespace) -> int:
    from .. import services

    with services.database.clinic_opened() as repo:
        found = services.programs.list_programs(repo=repo, patient_text=args.patient, include_archived=args.archived)
        if not found:
            print("no programs found" + (" for that patient" if args.patient else ""))
            return 0
        for program in found:
            flag = "  [archived]" if program.archived else ""
            print(f"program {program.id}  {program.patient_name}  ({program.title}){flag}")
            for version in services.programs.list_versions(program.id, repo=repo):
                copied = ""
                if version.copied_from_program_id is not None:
                    copied = f"  copied from program {version.copied_from_program_id} v{version.copied_from_version}"
                when = version.created_at.strftime("%Y-%m-%d %H:%M UTC")
                print(f"  version {version.version}  {when}  {version.author}{copied}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from .. import services

    with services.database.opened(migrate=False) as repo:
        where, revision = services.database.upgrade(repo=repo)
    print(f"{where} is at schema revision {revision}")
    return 0


def cmd_db_export(args: argparse.Namespace) -> int:
    from .. import services

    out = Path(args.output)
    with services.database.opened() as repo:
        counts = services.database.export(out, repo=repo, force=args.force)
    print(f"wrote {out}: " + ", ".join(f"{n} {name}" for name, n in counts.items() if n))
    print("the file holds patient data: keep it somewhere only staff can read", file=sys.stderr)
    return 0


def cmd_db_import(args: argparse.Namespace) -> int:
    from .. import services

    data = services.database.read_export(Path(args.input))
    with services.database.opened() as repo:
        counts = services.database.import_export(data, repo=repo, force=args.force)
    print("imported " + (", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing"))
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    from .. import services

    out = Path(args.output)
    with services.database.opened() as repo:
        size = services.database.backup(out, repo=repo)
    print(f"wrote {out} ({size:,} bytes)")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("save", help="store a program document as a new version in the database")
    p.add_argument("file", help="a rehab.program/1 JSON file")
    p.add_argument("--program", type=int, metavar="ID", help="save as a new version of this program")
    p.add_argument("--base-version", type=int, metavar="N", help="the version your edit started from")
    p.add_argument("--patient-id", type=int, metavar="ID", help="the stored patient a new program belongs to")
    p.add_argument("--author", help="who is saving (default: the document's clinician)")
    p.add_argument("--force", action="store_true",
                   help="save even if the checks find errors (the app never does; the default refuses, exit 1)")
    p.set_defaults(func=cmd_save)

    p = subparsers.add_parser("programs", help="list stored programs and their versions")
    p.add_argument("--patient", metavar="TEXT", help="only patients whose name starts with TEXT (any name part)")
    p.add_argument("--archived", action="store_true", help="include archived programs and patients")
    p.set_defaults(func=cmd_programs)

    template = subparsers.add_parser("template", help="clinic templates as JSON: export, import, schema")
    actions = template.add_subparsers(dest="template_command", metavar="ACTION", parser_class=type(template))
    actions.required = True
    p = actions.add_parser("export", help="write one clinic template to a JSON file")
    p.add_argument("template", metavar="clinic_ID")
    p.add_argument("-o", "--output", required=True, metavar="OUT.json")
    p.add_argument("--force", action="store_true", help="replace OUT.json if it exists")
    p.set_defaults(func=cmd_template_export)
    p = actions.add_parser("import", help="add a template from a JSON file to this clinic")
    p.add_argument("input", metavar="IN.json")
    p.add_argument("--author", default="command line", help="who is importing, for the audit log")
    p.set_defaults(func=cmd_template_import)
    p = actions.add_parser("schema", help="print the JSON Schema of the template document")
    p.set_defaults(func=cmd_template_schema)

    db = subparsers.add_parser("db", help="database upkeep: upgrade, export, import, backup")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", parser_class=type(db))
    actions.required = True
    p = actions.add_parser("upgrade", help="bring the schema up to date (safe to repeat)")
    p.set_defaults(func=cmd_db_upgrade)
    p = actions.add_parser("export", help="write every record to a JSON file")
    p.add_argument("output", metavar="OUT.json")
    p.add_argument("--force", action="store_true", help="replace OUT.json if it exists")
    p.set_defaults(func=cmd_db_export)
    p = actions.add_parser("import", help="load a JSON export into an empty database")
    p.add_argument("input", metavar="IN.json")
    p.add_argument("--force", action="store_true", help="replace all existing records with the export")
    p.set_defaults(func=cmd_db_import)
    p = actions.add_parser("backup", help="copy the live SQLite database to a new file")
    p.add_argument("output", metavar="OUT.sqlite")
    p.set_defaults(func=cmd_db_backup)
