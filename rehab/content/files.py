"""Read the YAML data files under assets/ and validate each entry, failing loudly with its id and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import LibraryError
from ..words.problems import messages

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"

M = TypeVar("M", bound=BaseModel)  # every entry model has an `id`


def read_yaml(path: Path) -> Any:
    """A YAML file's data (safe: plain values only); LibraryError naming the file when it is missing or invalid.
    The one YAML reader: the library, templates, education, poses and the handout's look all come through here."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LibraryError(f"{path.name}: file not found at {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{path.name}: not valid YAML ({exc})") from None


def read_entries(path: Path, key: str) -> list[dict]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise LibraryError(f"{path.name}: expected a top-level '{key}:' list")
    return data[key]


def parse_entries(path: Path, key: str, model: type[M]) -> list[M]:
    """Validate every entry; one bad entry fails the whole file, naming its id and field."""
    out: list[M] = []
    seen: set[str] = set()
    for index, raw in enumerate(read_entries(path, key)):
        ident = raw.get("id") if isinstance(raw, dict) else None
        label = f"{path.name}: {key}[{index}]" + (f" (id '{ident}')" if ident else "")
        try:
            entry = model.model_validate(raw)
        except ValidationError as exc:
            raise LibraryError(f"{label}: " + "; ".join(messages(exc))) from None
        entry_id = entry.id
        if entry_id in seen:
            raise LibraryError(f"{label}: id '{entry_id}' is used twice")
        seen.add(entry_id)
        out.append(entry)
    return out
