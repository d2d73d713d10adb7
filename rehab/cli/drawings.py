"""``python -m rehab illustrations``: a contact sheet of all drawings, or one SVG per exercise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_illustrations(args: argparse.Namespace) -> int:
    if not (args.sheet or args.svg or args.check):
        print("give --sheet OUT.png, --svg DIR or --check", file=sys.stderr)
        return 2
    from ..services import drawings  # reportlab loads only for this command

    entries = drawings.drawn(args.only)
    if args.check:
        found = drawings.drawing_problems([exercise_id for exercise_id, _ in entries])
        for line in found:
            print(line, file=sys.stderr)
        print(f"checked {len(entries)} drawings: {len(found)} problems")
        if found:
            return 1
    if args.sheet:
        out = Path(args.sheet)
        drawings.write_sheet(entries, out, columns=args.columns)
        print(f"wrote {out} ({len(entries)} exercises)")
    if args.svg:
        folder = Path(args.svg)
        drawings.write_svgs([exercise_id for exercise_id, _ in entries], folder)
        print(f"wrote {len(entries)} SVG files to {folder}")
    missing = drawings.not_drawn()
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
