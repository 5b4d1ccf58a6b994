"""Statistical disclosure control for the counts the board and the analysts
see: a count of children under five is not shown, and neither is any other
count that would let someone work it out from the totals beside it.

A small count is suppressed first (primary suppression). Then, while a
suppressed count could still be worked out, more are suppressed (secondary
suppression): "12 children, of whom 9 in Crewe and [c] in Nantwich" gives
Nantwich away. Zeros are shown: a zero names no one.

Why it works. A table with its row and column totals is a set of lines
(each row and each column) whose counts add up to the line's total. Think
of every count as an edge between its row and its column (a line with no
total to add up to is one shared, free node). Adding one to a suppressed
count and taking one from the next around a cycle of suppressed counts
keeps every total right, so any suppressed count on a cycle could be one
more or one less than it is: nobody can recover it. A suppressed count on
no cycle (a bridge) can be recovered by adding up what is on either side of
it, so the cheapest cycle through it is found (Dijkstra over the counts,
costing what is not yet suppressed by its value, so as little as possible
is hidden) and suppressed too, until no suppressed count is a bridge. Only
counts of one or more are used for cycles: with every suppressed count at
least one, a cycle can be walked either way without going below zero.

Pure Python: the pages, exports and API pass their tables through here.
"""

import heapq
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

# The smallest count of people shown; anything from 1 to SMALLEST_SHOWN - 1
# is suppressed. The one definition of "a small count" on the platform.
SMALLEST_SHOWN = 5
# What a page or an export shows in place of a suppressed count ("[c]",
# confidential, as the Office for National Statistics marks it).
SUPPRESSED = "[c]"

Node = tuple[str, int]
FREE: Node = ("free", 0)


@dataclass(frozen=True)
class Shown:
    """A table as it may be shown: None where a count is suppressed. The
    totals are None when the table was given without them."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...] | None
    column_totals: tuple[int | None, ...] | None
    total: int | None

    @property
    def suppressed(self) -> int:
        """How many counts (cells and totals) are not shown."""
        values = [v for row in self.cells for v in row]
        values += list(self.row_totals or ()) + list(self.column_totals or ())
        if self.row_totals is not None and self.column_totals is not None:
            values.append(self.total)
        return sum(v is None for v in values)


def protect(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    smallest: int = SMALLEST_SHOWN,
    hidden_row_totals: Collection[int] = (),
) -> Shown:
    """The table `cells` (rows of counts, each row the same length) with its
    row totals and column totals (and the grand total, when both are shown),
    with every small count suppressed and every count that would give one
    away suppressed too. `hidden_row_totals` are rows whose total is hidden
    already (by another table that shares it): they stay hidden, protected
    like any other."""
    rows = [list(row) for row in cells]
    if not rows or not rows[0]:
        raise ValueError("A table needs at least one count")
    if any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("Every row of a table must have the same number of counts")
    if any(v < 0 for row in rows for v in row):
        raise ValueError("Counts cannot be negative")
    grid = _with_totals(rows, row_totals, column_totals)
    width = len(rows[0])
    already = {(i, width) for i in hidden_row_totals if row_totals and grid[i][width] > 0}
    hidden = _suppress(grid, row_totals, column_totals, smallest, already)
    shown = [[None if (i, j) in hidden else v for j, v in enumerate(row)] for i, row in enumerate(grid)]
    height = len(rows)
    body = tuple(tuple(row[:width]) for row in shown[:height])
    return Shown(
        cells=body,
        row_totals=tuple(row[width] for row in shown[:height]) if row_totals else None,
        column_totals=tuple(shown[height][:width]) if column_totals else None,
        total=shown[height][width] if row_totals and column_totals else None,
    )


def protect_together(tables: Sequence[Sequence[Sequence[int]]], *, smallest: int = SMALLEST_SHOWN) -> list[Shown]:
    """Tables of the same rows broken down different ways (children each
    quarter by sex, by ethnicity, by town), each shown with its row totals,
    which are the same counts in every table: a total is shown in all of
    them or in none. Each table is protected again with the totals the others
    hid until none hides another, so nothing hidden in one table can be
    worked out from another."""
    sums = {tuple(sum(row) for row in table) for table in tables}
    if len(sums) > 1:
        raise ValueError("Tables protected together must have the same row totals")
    hidden: set[int] = set()
    while True:
        shown = [protect(table, column_totals=False, smallest=smallest, hidden_row_totals=hidden) for table in tables]
        now_hidden = {i for table in shown for i, total in enumerate(table.row_totals or ()) if total is None}
        if now_hidden <= hidden:
            return shown
        hidden |= now_hidden


def protect_counts(counts: Sequence[int], *, smallest: int = SMALLEST_SHOWN) -> tuple[list[int | None], int | None]:
    """One list of counts and its total (children by agency type, say), each
    suppressed as `protect` would: (counts shown, total shown)."""
    if not counts:
        return [], 0
    shown = protect([list(counts)], row_totals=True, column_totals=False, smallest=smallest)
    assert shown.row_totals is not None
    return list(shown.cells[0]), shown.row_totals[0]


def _with_totals(rows: list[list[int]], row_totals: bool, column_totals: bool) -> list[list[int]]:
    grid = [row + [sum(row)] if row_totals else list(row) for row in rows]
    if column_totals:
        grid.append([sum(column) for column in zip(*grid)])
    return grid


def _suppress(
    grid: list[list[int]], row_totals: bool, column_totals: bool, smallest: int, already: set[tuple[int, int]]
) -> set[tuple[int, int]]:
    """The positions in `grid` (the table with its totals) not to show,
    `already` among them."""

    # A line whose total is shown is a constraint, so a node; a line with none is free.
    def ends(i: int, j: int) -> tuple[Node, Node]:
        return (("row", i) if row_totals else FREE, ("column", j) if column_totals else FREE)

    edges = {(i, j): ends(i, j) for i, row in enumerate(grid) for j in range(len(row))}
    hidden = {(i, j) for i, j in edges if 0 < grid[i][j] < smallest} | already
    while (bridge := _a_bridge(hidden, edges)) is not None:
        path = _cheapest_cycle_through(bridge, grid, edges, hidden)
        if not path:
            # Nothing of one or more closes a cycle: hide every count rather than risk one.
            return set(edges)
        hidden |= path
    return hidden


def _a_bridge(hidden: set[tuple[int, int]], edges: dict[tuple[int, int], tuple[Node, Node]]) -> tuple[int, int] | None:
    """A suppressed position that lies on no cycle of suppressed positions
    (Tarjan's bridges over a multigraph: parallel edges and loops are cycles)."""
    adjacent: dict[Node, list[tuple[Node, tuple[int, int]]]] = {}
    for position in sorted(hidden):
        a, b = edges[position]
        adjacent.setdefault(a, []).append((b, position))
        adjacent.setdefault(b, []).append((a, position))
    order: dict[Node, int] = {}
    low: dict[Node, int] = {}
    for root in adjacent:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[Node, tuple[int, int] | None, Iterator[tuple[Node, tuple[int, int]]]]] = [
            (root, None, iter(adjacent[root]))
        ]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for neighbour, position in neighbours:
                if position == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                    continue
                order[neighbour] = low[neighbour] = len(order)
                stack.append((neighbour, position, iter(adjacent[neighbour])))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    assert via is not None
                    return via
    return None


def _cheapest_cycle_through(
    bridge: tuple[int, int],
    grid: list[list[int]],
    edges: dict[tuple[int, int], tuple[Node, Node]],
    hidden: set[tuple[int, int]],
) -> set[tuple[int, int]] | None:
    """The positions, not yet suppressed, of the cheapest path joining the
    bridge's two ends without it: suppressing them puts it on a cycle."""
    start, goal = edges[bridge]
    adjacent: dict[Node, list[tuple[Node, tuple[int, int]]]] = {}
    for position, (a, b) in edges.items():
        i, j = position
        if position == bridge or grid[i][j] == 0:
            continue
        adjacent.setdefault(a, []).append((b, position))
        adjacent.setdefault(b, []).append((a, position))
    best: dict[Node, int] = {start: 0}
    came: dict[Node, tuple[Node, tuple[int, int]]] = {}
    queue: list[tuple[int, Node]] = [(0, start)]
    while queue:
        cost, node = heapq.heappop(queue)
        if node == goal:
            path = set()
            while node != start:
                node, position = came[node]
                path.add(position)
            return path - hidden
        if cost > best[node]:
            continue
        for neighbour, position in adjacent.get(node, ()):
            i, j = position
            step = cost + (0 if position in hidden else grid[i][j])
            if step < best.get(neighbour, step + 1):
                best[neighbour] = step
                came[neighbour] = (node, position)
                heapq.heappush(queue, (step, neighbour))
    return None
