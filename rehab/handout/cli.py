"""``python -m rehab render FILE -o OUT.pdf``: the patient handout from a program document."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ..clinic import ClinicError, default_clinic, load_clinic
from ..document import load_program
from ..errors import ProgramError, RehabError

DEFAULT_OUTPUT = "exercise-program.pdf"  # never the patient's name: file names end up in mail and shared folders


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "render",
        help="make the patient handout PDF from a program file",
        description="Make the patient handout PDF from a rehab.program/1 file.",
    )
    parser.add_argument("file", metavar="FILE", help="program document (JSON)")
    parser.add_argument("-o", "--output", default=DEFAULT_OUTPUT, help=f"PDF to write (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--clinic", metavar="C.json", help="clinic profile (rehab.clinic/1); default: a neutral one")
    parser.add_argument("--paper", choices=["a4", "letter"], help="paper size (default: the clinic's, else a4)")
    parser.add_argument("--large-print", action="store_true", help="16 pt body text")
    parser.add_argument("--grayscale", action="store_true", help="print the brand colours as greys")
    parser.add_argument("--password", metavar="PW", help="encrypt with AES-256; the patient needs PW to open the PDF")
    parser.set_defaults(func=cmd_render)


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    return 1


def _write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a failed write never leaves half a PDF behind."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".render-", suffix=".pdf", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_render(args: argparse.Namespace) -> int:
    from .render import render_handout  # reportlab loads only for this command

    try:
        program = load_program(Path(args.file))
        clinic = load_clinic(args.clinic) if args.clinic else default_clinic()
        pdf = render_handout(
            program,
            clinic,
            paper=args.paper,
            large_print=True if args.large_print else None,
            grayscale=args.grayscale,
            password=args.password,
        )
    except (ProgramError, ClinicError) as exc:
        where = args.file if isinstance(exc, ProgramError) else args.clinic
        return _fail([f"{where}: {problem}" for problem in exc.problems])
    except RehabError as exc:
        return _fail([str(exc)])
    out = Path(args.output)
    if out.is_dir():
        return _fail([f"-o {out}: is a folder; give a file name such as {out / DEFAULT_OUTPUT}"])
    try:
        _write_atomically(out, pdf)
    except OSError as exc:
        return _fail([f"cannot write {out}: {exc.strerror or exc}"])
    print(f"wrote {out} ({len(pdf) // 1024 + 1} KB)")
    return 0
