"""The exercise library as CSV (pandas): export everything, import the clinic's own exercises all or nothing.

The columns are documented in docs/exercise-csv.md. Import reads UTF-8 (a spreadsheet's "CSV UTF-8"), with
commas or semicolons between cells, and checks every row before anything is saved: ``read_exercise_csv``
returns either the exercises to save or a report of every problem (row, column, plain message), never both.
Row numbers are the spreadsheet's: the header is row 1.

Cells that a spreadsheet would run as a formula (starting with = + - @) are written with a leading apostrophe
and read back without it, so exported text is shown, never executed, and still imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..domain import Exercise
from ..errors import RehabError
from .exercise_fields import (
    DOSE_FIELDS,
    MAX_CUES,
    MAX_STEPS,
    SENTENCE_LISTS,
    WEEKLY_FIELDS,
    ExerciseInputError,
    build_exercise,
    fields_from_exercise,
    label,
    ladder_problems,
    name_problems,
    new_exercise_id,
)
from .library import ExerciseLibrary, load_library

MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 200  # the export has under 50; a file wider than this is not an exercise table
MAX_PROBLEMS = 100  # listed in full; past this only their number is given
LIST_SEPARATOR = ";"
EXPORT_CAUTIONS = 3  # caution columns always written; more are added when an exercise has more cautions
SOURCE_BUILTIN, SOURCE_CLINIC = "built-in", "clinic"
_NUMBER_FIELDS = ("sets", "reps", "hold_seconds", "minutes", "rest_seconds", "days_per_week", "times_per_day",
                  "seconds_per_rep", "weekly_step", "weekly_every_weeks", "weekly_max", "weekly_max_rise_percent")
_LIST_FIELDS = ("target_areas", "target_muscles", "equipment", "phases")
_ENUM_FIELDS = ("category", "position", "target_areas", "phases")
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def columns(cautions: int = EXPORT_CAUTIONS) -> list[str]:
    """Every column, in the order export writes them."""
    return [
        "id", "source", "name", "summary", "category", "target_areas", "target_muscles", "equipment", "position",
        "one_leg", "each_side", "rep_unit",
        *(f"step_{n}" for n in range(1, MAX_STEPS + 1)),
        *(f"cue_{n}" for n in range(1, MAX_CUES + 1)),
        *(f"caution_{n}" for n in range(1, cautions + 1)),
        *DOSE_FIELDS[:-1], "load", "seconds_per_rep", *WEEKLY_FIELDS,
        "harder_id", "easier_id", "progress_tip", "ease_tip", "phases", "evidence",
    ]


REQUIRED_COLUMNS = ("name", "category", "target_areas", "target_muscles", "position", "one_leg",
                    "step_1", "step_2", "step_3", "cue_1", "progress_tip", "ease_tip", "phases", "evidence")


class CsvFileError(RehabError):
    """The file cannot be read as an exercise table at all (not UTF-8, not CSV, too big, empty)."""


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass(frozen=True)
class CsvImport:
    """The outcome of reading a CSV: exercises to save only when there are no problems at all."""

    exercises: tuple[Exercise, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    builtin_rows: int = 0  # rows of built-in exercises: left as they are
    updated: tuple[str, ...] = field(default=())  # ids of the clinic's exercises the file replaces
    more_problems: int = 0  # problems found beyond the MAX_PROBLEMS listed in ``problems``

    @property
    def ok(self) -> bool:
        return not self.problems


# --- export ---------------------------------------------------------------------------------------------------


def _guard(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


def _unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


def _cells(exercise: Exercise, cautions: int) -> dict[str, str]:
    fields = fields_from_exercise(exercise)
    row: dict[str, Any] = {"source": SOURCE_CLINIC if exercise.custom else SOURCE_BUILTIN}
    for name, value in fields.items():
        if name in SENTENCE_LISTS:
            prefix = SENTENCE_LISTS[name]
            row.update({f"{prefix}_{n}": text for n, text in enumerate(value, start=1)})
        elif name in _LIST_FIELDS:
            row[name] = f"{LIST_SEPARATOR} ".join(value)
        elif name in ("one_leg", "each_side"):
            row[name] = "yes" if value else "no"
        else:
            row[name] = value
    return {col: "" if row.get(col) is None else _guard(str(row[col])) for col in columns(cautions)}


def library_csv(exercises: Iterable[Exercise]) -> bytes:
    """The exercises as CSV bytes: UTF-8 with a byte-order mark, so spreadsheets show accents correctly."""
    exercises = list(exercises)
    cautions = max([EXPORT_CAUTIONS, *(len(ex.cautions) for ex in exercises)])
    frame = pd.DataFrame([_cells(ex, cautions) for ex in exercises], columns=columns(cautions), dtype=object)
    return ("\ufeff" + frame.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")


# --- import ---------------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if len(data) > MAX_CSV_BYTES:
        raise CsvFileError(f"The file is {len(data) / 1024 / 1024:.1f} MB; import at most "
                           f"{MAX_CSV_BYTES // 1024 // 1024} MB at a time.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvFileError(f"The file is not saved as UTF-8 text (the first character it cannot read is on line "
                           f"{line}). In your spreadsheet, save it as “CSV UTF-8” and import it again.") from None
    if not text.strip():
        raise CsvFileError("The file is empty. Export the library first to get a file with the right columns.")
    return text


def _table(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows that have any text, each with its spreadsheet row number.

    Read record by record and refused as soon as a record is too wide or there are too many rows, so a hostile
    file (a million empty cells on one line, or a million short lines) never becomes a huge table first.
    """
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    if first_line.count(separator) >= MAX_COLUMNS:  # header names hold no separators: a cheap first check
        raise _too_wide(1, first_line.count(separator) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    number = 0  # empty lines are not rows; a row of empty cells is (a spreadsheet writes one as ",,,")
    try:
        for cells in reader:
            if not cells:
                continue
            number += 1
            if len(cells) > MAX_COLUMNS:
                raise _too_wide(reader.line_num, len(cells))
            if header is None:
                header = cells
                continue
            if len(cells) > len(header):
                raise CsvFileError(f"Line {reader.line_num} has {len(cells)} cells, but the header row has "
                                   f"{len(header)}. Check that line for a missing quote or an extra separator.")
            if any(cell.strip() for cell in cells):
                body.append((number, cells))
            if len(body) > MAX_ROWS:
                raise CsvFileError(f"The file has more than {MAX_ROWS} exercises; import at most {MAX_ROWS} "
                                   "at a time.")
    except csv.Error:
        raise CsvFileError(f"Line {reader.line_num} cannot be read as comma-separated values (a cell may be "
                           "missing its closing quote, or be far too long). Export the library to see the "
                           "expected layout.") from None
    return header or [], body


def _too_wide(line: int, cells: int) -> CsvFileError:
    return CsvFileError(f"Line {line} has {cells:,} cells; an exercise table has at most {MAX_COLUMNS} columns. "
                        "Export the library to see the expected layout.")


def _column_name(raw: str) -> str:
    return re.sub(r"[\s-]+", "_", raw.strip().lower())


def _header_problems(header: list[str]) -> list[RowProblem]:
    known = set(columns(cautions=0)) | {h for h in header if re.fullmatch(r"caution_\d+", h)}
    problems = []
    seen: set[str] = set()
    for name in header:
        if name and name not in known:
            problems.append(RowProblem(1, name, f"There is no column called “{name}”. "
                                                "See docs/exercise-csv.md for the column names."))
        if name and name in seen:
            problems.append(RowProblem(1, name, f"The column “{name}” appears twice; keep only one."))
        seen.add(name)
    problems += [RowProblem(1, name, f"The column “{name}” is missing.") for name in REQUIRED_COLUMNS
                 if name not in seen]
    return problems


def _whole_number(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+(\.0*)?", text):
        raise ValueError
    return int(float(text))


def _typed(cells: Mapping[str, str], row: int) -> tuple[dict[str, Any], dict[str, list[str]], list[RowProblem]]:
    """Typed fields from one row's cells, the column each list entry came from, and cell-level problems."""
    fields: dict[str, Any] = {}
    sources: dict[str, list[str]] = {}
    problems: list[RowProblem] = []
    for name, prefix in SENTENCE_LISTS.items():
        given = sorted((c for c in cells if re.fullmatch(rf"{prefix}_\d+", c) and cells[c].strip()),
                       key=lambda c: int(c.rsplit("_", 1)[1]))
        fields[name] = [cells[c] for c in given]
        sources[name] = given
    for name in ("id", "name", "summary", "rep_unit", "load", "harder_id", "easier_id", "progress_tip", "ease_tip",
                 "evidence"):
        fields[name] = cells.get(name, "")
    for name in ("category", "position", "weekly_grow"):
        fields[name] = _column_name(cells.get(name, "")) or None
    for name in _LIST_FIELDS:
        entries = [e.strip() for e in cells.get(name, "").split(LIST_SEPARATOR) if e.strip()]
        fields[name] = [_column_name(e) for e in entries] if name in _ENUM_FIELDS else entries
    one_leg = cells.get("one_leg", "").strip().lower()
    fields["one_leg"] = True if one_leg in _YES else False if one_leg in _NO else (one_leg or None)
    each_side = cells.get("each_side", "").strip().lower()  # an optional column: empty means no
    fields["each_side"] = True if each_side in _YES else False if each_side in _NO or not each_side else each_side
    for name in _NUMBER_FIELDS:
        text = cells.get(name, "").strip()
        if not text:
            continue
        try:
            fields[name] = _whole_number(text)
        except ValueError:
            problems.append(RowProblem(row, name, f"{label(name)} must be a whole number."))
    return fields, sources, problems


def _group_column(field_key: str) -> str:
    prefix = SENTENCE_LISTS.get(field_key)
    return f"{prefix}_1 … {prefix}_n" if prefix else field_key


def read_exercise_csv(data: bytes, library: ExerciseLibrary) -> CsvImport:
    """Check a CSV of exercises against ``library`` (the clinic's current one); see the module doc.

    Raises CsvFileError when the file cannot be read at all; otherwise returns a CsvImport whose ``problems``
    list everything wrong, or whose ``exercises`` are ready for records.save_custom_exercises.
    """
    raw_header, body = _table(_decode(data))
    header = [_column_name(h) for h in raw_header]
    problems = _header_problems(header)
    if problems:
        return _refused(problems)

    builtin = load_library()
    taken = set(library.ids())
    exercises: list[Exercise] = []
    row_of: dict[str, int] = {}
    builtin_rows = 0
    for number, values in body:
        cells = {name: _unguard(value) for name, value in zip(header, values, strict=False) if name}
        source = _column_name(cells.get("source", ""))
        if source in ("built_in", "builtin"):
            if cells.get("id", "").strip() in builtin:
                builtin_rows += 1
                continue
            problems.append(RowProblem(number, "source", "Source says built-in, but there is no built-in exercise "
                                                         "with this id. Write clinic, or leave it empty."))
            continue
        if source not in ("", "clinic", "custom"):
            problems.append(RowProblem(number, "source", "Source must be built-in, clinic or empty."))
            continue
        fields, sources, row_problems = _typed(cells, number)
        fields["id"] = fields["id"].strip() or new_exercise_id(fields["name"], taken | set(row_of))
        if fields["id"] in builtin:
            row_problems.append(RowProblem(number, "id", f"Id “{fields['id']}” belongs to a built-in exercise. "
                                                         "Choose another id, or leave it empty to make one."))
        elif fields["id"] in row_of:
            row_problems.append(RowProblem(number, "id", f"Id “{fields['id']}” is also used in row "
                                                         f"{row_of[fields['id']]}."))
        try:
            exercise = build_exercise(fields, sources=sources)
        except ExerciseInputError as exc:
            row_problems += [RowProblem(number, _group_column(p.field), p.message) for p in exc.problems
                             if p.field not in {rp.column for rp in row_problems}]
        else:
            if not row_problems:
                exercises.append(exercise)
                row_of[exercise.id] = number
        problems += row_problems
    if not problems:
        for check in (name_problems, ladder_problems):
            for exercise_id, found in check(exercises, library).items():
                problems += [RowProblem(row_of.get(exercise_id, 0), p.field, p.message) for p in found]
    if problems:
        return _refused(problems, builtin_rows)
    custom_ids = {ex.id for ex in library if ex.custom}
    return CsvImport(
        exercises=tuple(exercises),
        builtin_rows=builtin_rows,
        updated=tuple(ex.id for ex in exercises if ex.id in custom_ids),
    )


def _refused(problems: list[RowProblem], builtin_rows: int = 0) -> CsvImport:
    """The outcome for a file with problems: the first MAX_PROBLEMS by row, and how many more there are."""
    ordered = sorted(problems, key=lambda p: p.row)
    return CsvImport(problems=tuple(ordered[:MAX_PROBLEMS]), builtin_rows=builtin_rows,
                     more_problems=max(0, len(ordered) - MAX_PROBLEMS))


__all__ = [
    "LIST_SEPARATOR",
    "MAX_COLUMNS",
    "MAX_CSV_BYTES",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "CsvFileError",
    "CsvImport",
    "RowProblem",
    "columns",
    "library_csv",
    "read_exercise_csv",
]
