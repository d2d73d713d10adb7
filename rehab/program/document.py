"""The ``rehab.program/1`` document: load, validate against the library, save.

``load_program`` takes a path, a JSON string, bytes or a dict; every problem becomes one line naming the field,
collected into a ``ProgramError``. ``dump_program`` writes the canonical JSON that loads back to an equal Program.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..content.content import load_education
from ..content.library import ExerciseLibrary, load_library
from ..domain import Program
from ..errors import ProgramError
from ..words.problems import messages

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024  # a real program is a few KB; anything this big is a wrong file


def _read_path(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ProgramError([f"file not found: {path}"]) from None
    except OSError as exc:
        raise ProgramError([f"cannot read {path}: {exc.strerror}"]) from None
    if size > MAX_DOCUMENT_BYTES:
        raise ProgramError([f"file is {size:,} bytes; a program document is at most {MAX_DOCUMENT_BYTES:,} bytes"])
    return path.read_bytes()


def _parse_json(raw: bytes | str) -> Any:
    if isinstance(raw, bytes):
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise ProgramError([f"document is {len(raw):,} bytes; at most {MAX_DOCUMENT_BYTES:,} bytes"])
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProgramError([f"document is not UTF-8 text (bad byte at position {exc.start})"]) from None
    if not raw.strip():
        raise ProgramError(["document is empty"])
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ProgramError([f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]) from None


def as_data(source: Any) -> Any:
    """A JSON document as plain data, from a dict, a path, bytes or text (program and template files alike)."""
    if isinstance(source, dict):
        return source
    if isinstance(source, Path):
        return _parse_json(_read_path(source))
    if isinstance(source, bytes):
        return _parse_json(source)
    if isinstance(source, str):
        if source.lstrip().startswith("{") or not source.strip():
            return _parse_json(source)
        return _parse_json(_read_path(Path(source)))
    raise ProgramError([f"cannot read a program from {type(source).__name__}"])


def references_problems(program: Program, library: ExerciseLibrary) -> list[str]:
    """Ids the schema cannot check: exercises and education topics must exist."""
    problems = []
    for index, item in enumerate(program.items):
        if item.exercise not in library:
            problems.append(f"items[{index}].exercise: '{item.exercise}' is not in the exercise library")
    topics = load_education()
    for index, topic in enumerate(program.education):
        if topic not in topics:
            problems.append(f"education[{index}]: '{topic}' is not a known topic; use one of: {', '.join(topics)}")
    return problems


def load_program(source: Any, library: ExerciseLibrary | None = None) -> Program:
    """Parse and fully validate a program document; raise ProgramError listing every problem."""
    data = as_data(source)
    if not isinstance(data, dict):
        raise ProgramError(["document: must be a JSON object"])
    fmt = data.get("format")
    if fmt != "rehab.program/1":
        raise ProgramError([f"format: {fmt!r} is not supported; expected 'rehab.program/1'"])
    try:
        program = Program.model_validate(data)
    except ValidationError as exc:
        raise ProgramError(messages(exc)) from None
    problems = references_problems(program, library or load_library())
    if problems:
        raise ProgramError(problems)
    return program


def program_to_dict(program: Program) -> dict[str, Any]:
    return program.model_dump(mode="json")


def dump_program(program: Program) -> str:
    """Canonical JSON text (2-space indent, UTF-8 characters kept, trailing newline)."""
    return json.dumps(program_to_dict(program), ensure_ascii=False, indent=2) + "\n"


def program_json_schema() -> dict[str, Any]:
    schema = Program.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "rehab.program/1"
    return schema
