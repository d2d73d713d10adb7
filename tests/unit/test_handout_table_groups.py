"""A table whose body rows come in groups (the large-print week plan: an exercise's name row, then its dose row)
breaks only between groups, and leaves at least ``min_rows`` groups on each page."""

from __future__ import annotations

import pytest
from reportlab.platypus import PageBreak

from rehab.handout.table import Table

ROW = 20.0


def grouped(sizes: list[int], min_rows: int = 3) -> Table:
    """A header row, then one group per size (a name row and size - 1 more rows), every row ROW tall."""
    rows, starts = [["head"]], []
    for n, size in enumerate(sizes):
        starts.append(len(rows) - 1)
        rows += [[f"exercise {n}"]] + [[f"dose {n}.{k}"] for k in range(size - 1)]
    table = Table(rows, colWidths=[200], rowHeights=[ROW] * len(rows), repeatRows=1)
    table.groups, table.min_rows = tuple(starts), min_rows
    return table


def body_names(piece: Table) -> list[str]:
    return [row[0] for row in piece._cellvalues[1:]]


@pytest.mark.parametrize("room_rows", range(7, 14))
def test_a_split_falls_between_groups_and_leaves_three_on_each_side(room_rows):
    table = grouped([2, 2, 1, 2, 2, 1, 2, 2])  # steady rows are groups of one
    table.wrap(200, 1e6)
    pieces = [p for p in table.split(200, ROW * room_rows + 0.5) if not isinstance(p, PageBreak)]
    assert len(pieces) == 2
    first, second = (body_names(p) for p in pieces)
    assert second[0].startswith("exercise")  # the next page starts with a name, never a dose
    assert sum(name.startswith("exercise") for name in first) >= 3
    assert sum(name.startswith("exercise") for name in second) >= 3
    assert pieces[1].groups[0] == 0 and len(pieces[0].groups) + len(pieces[1].groups) == 8


def test_too_little_room_for_three_groups_moves_the_table_on_whole():
    table = grouped([2] * 8)
    table.wrap(200, 1e6)
    assert table.split(200, ROW * 5 + 0.5) == []  # a header and two exercises: not enough
