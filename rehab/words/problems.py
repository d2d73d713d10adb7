"""Turn pydantic validation errors into plain words: the one translator of the app.

Two styles over the same rules: ``messages`` names a document's field by its path (``items[2].sets: 0 is below the
minimum 1``), for files and the command line; ``form_message`` names a form field by its label (``Sets must be 1 to
10.``), for the screens' forms (clinic settings, the exercise form, the Build page's grid).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


def field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(error: dict[str, Any]) -> str:
    """One plain sentence for one pydantic error."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in ("greater_than_equal", "greater_than"):
        return f"{_shown(value)} is below the minimum {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"{_shown(value)} is above the maximum {ctx.get('le', ctx.get('lt'))}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "enum":
        return f"{_shown(value)} is not allowed; use one of {ctx.get('expected')}"
    if kind == "string_too_long":
        return too_long(error)
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} entr{'y' if ctx.get('min_length') == 1 else 'ies'}"
    if kind == "too_long":
        return f"has too many entries (at most {ctx.get('max_length')})"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} is not allowed here (lower-case letters, digits and _ only)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_shown(value)} is not a whole number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_shown(value)} is not true or false"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return f"{_shown(value)} is not a date like 2026-11-22"
    if kind in ("string_type",):
        return f"{_shown(value)} is not text"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be an object with named fields"
    if kind in ("tuple_type", "list_type"):
        return "must be a list"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"]


def messages(exc: ValidationError, prefix: str = "") -> list[str]:
    errors = exc.errors()
    # pydantic counts a list's length after dropping invalid entries; report the entries, not a bogus "too short"
    parents_of_errors = {tuple(e["loc"][:i]) for e in errors for i in range(len(e["loc"]))}
    out = []
    for error in errors:
        if error["type"] == "too_short" and tuple(error["loc"]) in parents_of_errors:
            continue
        path = field_path(tuple(error["loc"]))
        where = f"{prefix}{'.' if prefix and path else ''}{path}" or "document"
        out.append(f"{where}: {describe(error)}")
    return out


def too_long(error: dict[str, Any]) -> str:
    """``is too long (N characters; at most M)`` for a string_too_long error."""
    return f"is too long ({len(error['input'])} characters; at most {error['ctx']['max_length']})"


def form_message(name: str, error: dict[str, Any], *, low: Any = None, high: Any = None,
                 choices: list[str] | None = None) -> str:
    """One sentence for one pydantic error of the form field labelled ``name``: ``Sets must be 1 to 10.``
    ``low``/``high``: the field's bounds, when it has them; ``choices``: the words for an enum's values."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("greater_than_equal", "less_than_equal") and low is not None and high is not None:
        return f"{name} must be {low} to {high}."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{name} must be a whole number."
    if kind in ("bool_parsing", "bool_type"):
        return f"{name} must be yes or no."
    if kind == "enum" and choices:
        return f"{name} must be one of: {', '.join(choices)}."
    if kind in ("missing", "string_too_short"):
        return f"{name} is required."
    if kind == "string_too_long":
        return f"{name} {too_long(error)}."
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"{name} must have at least {'one entry' if n == 1 else f'{n} entries'}."
    if kind == "too_long":
        return f"{name} must have at most {ctx.get('max_length')} entries."
    if kind == "value_error":
        reason = str(ctx.get("error", error["msg"]))
        return f"{name}: {reason[0].lower() + reason[1:]}." if reason else f"{name} is not valid."
    return f"{name}: {error['msg']}."
