"""Exercise drawings for the faces: the SVG the browser shows, the drawing in words, and the command line's
contact sheet, SVG files and checks. The drawings themselves come from rehab.illustrations (assets/poses.yaml).

    svg_for(exercise_id, width=360, height=150) -> str | None       the still drawing (None: not drawn yet)
    animation_svg(exercise_id) -> str | None                         the moving drawing
    describe(exercise_id) -> str | None                              the drawing in words (its text alternative)
"""

from __future__ import annotations

from pathlib import Path

from ..content.library import load_library
from ..errors import LibraryError
from ..illustrations import animation_svg, describe, svg_for

__all__ = ["animation_svg", "describe", "drawing_problems", "drawn", "not_drawn", "svg_for", "write_sheet",
           "write_svgs"]


def _poses() -> dict:
    from ..illustrations.poses import load_poses

    return load_poses()


def drawn(only: list[str] | None = None) -> list[tuple[str, str]]:
    """(exercise id, label) for every drawing, library exercises first; ``only`` narrows it (LibraryError names an
    id with no drawing)."""
    library, poses = load_library(), _poses()
    ids = [ex.id for ex in library if ex.id in poses] + [i for i in poses if i not in library]
    if only:
        unknown = [i for i in only if i not in poses]
        if unknown:
            raise LibraryError(f"--only: no drawing for {', '.join(unknown)}")
        ids = [i for i in ids if i in only]
    return [(i, f"{library.get(i).name}  ({i})" if i in library else i) for i in ids]


def not_drawn() -> list[str]:
    """Library exercises with no drawing yet."""
    poses = _poses()
    return [ex.id for ex in load_library() if ex.id not in poses]


def drawing_problems(exercise_ids: list[str]) -> list[str]:
    """Joint ranges, contacts, the floor and the rules each picture must show: one line per problem found."""
    from ..illustrations.checks import picture_problems, problems

    poses = _poses()
    return [line for i in exercise_ids for line in problems(poses[i]) + picture_problems(poses[i])]


def write_sheet(entries: list[tuple[str, str]], out: Path, *, columns: int = 3) -> None:
    """A contact sheet (.png or .pdf) of these (id, label) drawings."""
    from ..illustrations.sheet import write_sheet as write

    write(entries, out, columns=columns)


def write_svgs(exercise_ids: list[str], folder: Path) -> None:
    """One ``<id>.svg`` per exercise into ``folder`` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    for exercise_id in exercise_ids:
        (folder / f"{exercise_id}.svg").write_text(svg_for(exercise_id) or "", encoding="utf-8")
