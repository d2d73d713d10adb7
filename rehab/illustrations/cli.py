"""``python -m rehab illustrations``: a contact sheet of all drawings, or one SVG per exercise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import LibraryError
from ..library import load_library
from .checks import picture_problems, problems
from .poses import load_poses
from .render import svg_for
from .sheet import write_sheet


def _entries(only: list[str] | None) -> list[tuple[str, str]]:
    library = load_library()
    ids = [ex.id for ex in library if ex.id in load_poses()]
    ids += [i for i in load_poses() if i not in library]
    if only:
        unknown = [i for i in only if i not in load_poses()]
        if unknown:
            raise LibraryError(f"--only: no drawing for {', '.join(unknown)}")
        ids = [i for i in ids if i in only]
    return [(i, f"{library.get(i).name}  ({i})" if i in library else i) for i in ids]


def cmd_illustrations(args: argparse.Namespace) -> int:
    if not (args.sheet or args.svg or args.check):
        print("give --sheet OUT.png, --svg DIR or --check", file=sys.stderr)
        return 2
    entries = _entries(args.only)
    if args.check:
        found = [line for exercise_id, _ in entries
                 for line in problems(load_poses()[exercise_id]) + picture_problems(load_poses()[exercise_id])]
        for line in found:
            print(line, file=sys.stderr)
        print(f"checked {len(entries)} drawings: {len(found)} problems")
        if found:
            return 1
    if args.sheet:
        out = Path(args.sheet)
        write_sheet(entries, out, columns=args.columns)
        print(f"wrote {out} ({len(entries)} exercises)")
    if args.svg:
        folder = Path(args.svg)
        folder.mkdir(parents=True, exist_ok=True)
        for exercise_id, _ in entries:
            (folder / f"{exercise_id}.svg").write_text(svg_for(exercise_id) or "", encoding="utf-8")
        print(f"wrote {len(entries)} SVG files to {folder}")
    missing = [ex.id for ex in load_library() if ex.id not in load_poses()]
    if missing:
        print(f"no drawing yet for: {', '.join(missing)}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("illustrations", help="Render the exercise drawings (contact sheet or SVG files).")
    p.add_argument("--sheet", metavar="OUT.png", help="Contact sheet of every exercise (.png, or .pdf).")
    p.add_argument("--svg", metavar="DIR", help="Write one SVG per exercise id into DIR.")
    p.add_argument("--check", action="store_true",
                   help="Check joint ranges, contacts, the floor and the rules each picture must show; 1 if any fail.")
    p.add_argument("--only", nargs="+", metavar="ID", help="Just these exercise ids.")
    p.add_argument("--columns", type=int, default=3, help="Cells per row on the sheet (default 3).")
    p.set_defaults(func=cmd_illustrations)
