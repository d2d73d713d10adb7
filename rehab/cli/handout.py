"""``python -m rehab render FILE -o OUT.pdf``: the patient handout from a program document.
``python -m rehab page1 -o docs/handout-page1.png``: page 1 of a template's handout as a PNG (the docs picture)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ..domain.clinic import ClinicError, default_clinic, load_clinic
from ..errors import ProgramError, RehabError
from ..program.document import load_program

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
    parser.add_argument("--layout", choices=["compact", "booklet"],
                        help="compact: a one-page fridge sheet, then three cards a page; booklet: one card a page "
                        "(default: the clinic's, else compact)")
    parser.add_argument("--language", choices=["en", "es", "pl", "ar"],
                        help="language of the handout (default: the program's patient.language, else the clinic's)")
    parser.add_argument("--second-language", choices=["en", "es", "pl", "ar"],
                        help="print every block again beneath, smaller, in this language (a two-language handout; "
                        "not the handout's own language)")
    parser.add_argument("--grayscale", action="store_true", help="print the brand colours as greys")
    parser.add_argument("--password", metavar="PW", help="encrypt with AES-256; the patient needs PW to open the PDF")
    parser.set_defaults(func=cmd_render)

    page1 = subparsers.add_parser(
        "page1",
        help="draw page 1 of a template's handout as a PNG (the picture in the README and docs)",
        description="Draw one page of the handout of a template, for a made-up patient, as a PNG.",
    )
    page1.add_argument("-o", "--output", default="docs/handout-page1.png", help="PNG to write")
    page1.add_argument("--template", default="phase2_strengthen", help="template id (default: phase2_strengthen)")
    page1.add_argument("--layout", choices=["compact", "booklet"], default="compact")
    page1.add_argument("--paper", choices=["a4", "letter"], default="a4")
    page1.add_argument("--page", type=int, default=1, help="page number (default: 1)")
    page1.add_argument("--dpi", type=int, default=80, help="resolution (default: 80)")
    page1.add_argument("--clinic", metavar="C.json",
                       help="clinic profile (rehab.clinic/1); default: a made-up clinic with a phone number")
    page1.set_defaults(func=cmd_page1)


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
    from ..services import handouts  # reportlab loads only for this command

    try:
        program = load_program(Path(args.file))
        clinic = load_clinic(args.clinic) if args.clinic else default_clinic()
        pdf = handouts.render_document(
            program,
            clinic,
            paper=args.paper,
            large_print=True if args.large_print else None,
            grayscale=args.grayscale,
            password=args.password,
            layout=args.layout,
            language=args.language,
            second_language=args.second_language,
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


def cmd_page1(args: argparse.Namespace) -> int:
    import pypdfium2 as pdfium

    from ..content.content import load_templates
    from ..services import handouts

    if args.template not in load_templates():
        return _fail([f"--template {args.template}: not a template; use one of: {', '.join(load_templates())}"])
    try:
        clinic = load_clinic(args.clinic) if args.clinic else None
    except ClinicError as exc:
        return _fail([f"{args.clinic}: {problem}" for problem in exc.problems])
    pdf = handouts.sample_handout(args.template, clinic=clinic, paper=args.paper, layout=args.layout)
    document = pdfium.PdfDocument(pdf)
    try:
        if not 1 <= args.page <= len(document):
            return _fail([f"--page {args.page}: the handout has pages 1 to {len(document)}"])
        image = document[args.page - 1].render(scale=args.dpi / 72).to_pil()
    finally:
        document.close()
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, optimize=True)
    print(f"wrote {out} ({image.width} x {image.height} pixels)")
    return 0
