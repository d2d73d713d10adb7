"""The exercise library: loaded from assets/exercises.yaml, checked for a consistent difficulty ladder."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..domain import Category, Exercise, Phase, TargetArea
from ..errors import LibraryError
from ..words.dose import stated_counts
from .files import ASSETS, parse_entries

EXERCISES_FILE = ASSETS / "exercises.yaml"


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'zoe' matches 'Zoë' and 'cwiczenie' matches 'ćwiczenie'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class ExerciseLibrary:
    """Exercises by id, in file order, with ladder look-ups and filters."""

    def __init__(self, exercises: Iterable[Exercise]):
        self._by_id: dict[str, Exercise] = {}
        for exercise in exercises:
            if exercise.id in self._by_id:
                raise LibraryError(f"exercise '{exercise.id}': id is used twice")
            self._by_id[exercise.id] = exercise
        check_ladders(self._by_id)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise LibraryError(f"'{exercise_id}' is not in the exercise library") from None

    def ids(self) -> list[str]:
        return list(self._by_id)

    def harder(self, exercise_id: str) -> Exercise | None:
        nxt = self.get(exercise_id).progression
        return self._by_id[nxt] if nxt else None

    def easier(self, exercise_id: str) -> Exercise | None:
        prev = self.get(exercise_id).regression
        return self._by_id[prev] if prev else None

    def with_custom(self, custom: Iterable[Exercise]) -> ExerciseLibrary:
        """A new library with the clinic's own exercises added after the built-in ones."""
        return ExerciseLibrary([*self._by_id.values(), *custom])

    def search(
        self,
        text: str = "",
        *,
        category: Category | None = None,
        equipment: str | None = None,
        area: TargetArea | None = None,
        phase: Phase | None = None,
    ) -> list[Exercise]:
        needle = fold(text.strip())
        found = []
        for ex in self:
            haystack = fold(" ".join([ex.name, ex.id.replace("_", " "), *ex.target_muscles]))
            if needle and needle not in haystack:
                continue
            if category and ex.category is not category:
                continue
            if equipment and equipment not in ex.equipment:
                continue
            if area and area not in ex.target_areas:
                continue
            if phase and phase not in ex.phases:
                continue
            found.append(ex)
        return found

    def equipment(self) -> list[str]:
        return sorted({item for ex in self for item in ex.equipment})


def check_ladders(by_id: dict[str, Exercise]) -> None:
    """Progression and regression links must name real exercises and form one consistent order.

    Each link is an edge from easier to harder (A.progression = B gives A→B; B.regression = A gives A→B).
    The union of both must have no cycle, and an exercise something progresses to must have a way back.
    """
    edges: dict[str, set[str]] = {ex_id: set() for ex_id in by_id}
    for ex in by_id.values():
        for field, target in (("progression", ex.progression), ("regression", ex.regression)):
            if target is None:
                continue
            if target not in by_id:
                raise LibraryError(f"exercise '{ex.id}': {field} '{target}' is not in the library")
            if target == ex.id:
                raise LibraryError(f"exercise '{ex.id}': {field} points to itself")
        if ex.progression:
            edges[ex.id].add(ex.progression)
            if by_id[ex.progression].regression is None:
                raise LibraryError(
                    f"exercise '{ex.progression}': regression is missing, but '{ex.id}' progresses to it"
                )
        if ex.regression:
            edges[ex.regression].add(ex.id)
    _reject_cycles(edges)


def _reject_cycles(edges: dict[str, set[str]]) -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                loop = " → ".join([*path[path.index(nxt):], nxt]) if nxt in path else nxt
                raise LibraryError(f"exercise '{nxt}': the progression ladder loops ({loop})")
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in edges:
        if node not in state:
            visit(node, [node])


def check_library_entry(exercise: Exercise) -> None:
    """A library file states, for every exercise, a one-line summary and how the week plan grows it, and its steps
    state no count of the dose (the dose line says it, for the dose the clinician chose). A part of a timed
    session ("jog for 1 minute") is fine when shorter than the whole."""
    label = f"exercise '{exercise.id}'"
    if exercise.summary is None:
        raise LibraryError(f"{label}: summary is missing (one plain line saying what the exercise is)")
    if "weekly" not in exercise.model_fields_set:
        raise LibraryError(f"{label}: weekly is missing (how the week plan grows it: reps, hold_seconds, sets, "
                           "minutes or none, with a step and a max)")
    dose = exercise.default_dose
    for number, step in enumerate(exercise.steps, start=1):
        for count in stated_counts(step):
            dosed = getattr(dose, count.field)
            if dosed is None or (count.field == "minutes" and count.number < dosed):
                continue
            raise LibraryError(f"{label}: steps[{number}] says '{count.text}'; steps must not state the dose's "
                               f"{count.field.replace('_', ' ')}, the dose line does")


def load_library_file(path: Path) -> ExerciseLibrary:
    exercises = parse_entries(path, "exercises", Exercise)
    for exercise in exercises:
        try:
            check_library_entry(exercise)
        except LibraryError as exc:
            raise LibraryError(f"{path.name}: {exc}") from None
    return ExerciseLibrary(exercises)


@functools.cache
def load_library() -> ExerciseLibrary:
    """The built-in library (cached: it is read-only data)."""
    return load_library_file(EXERCISES_FILE)
