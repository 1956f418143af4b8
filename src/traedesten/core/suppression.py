"""Small-cell suppression: reports never show a count of citizens between 1 and 4.

Primary suppression hides the small cells. Complementary suppression then hides enough other cells
that no hidden cell can be worked out by subtracting the published cells from a published total.
"""

SMALL_CELL = 5


def suppress(n: int) -> int | None:
    """The count, or None (shown as "<5") when it could point to a few identifiable citizens. Zero is safe."""
    return n if n == 0 or n >= SMALL_CELL else None


def is_small(n) -> bool:
    return 0 < n < SMALL_CELL


def _complete_line(values: list, hidden: list[bool], total_hidden: bool) -> bool:
    """If the total is published and exactly one non-zero cell of the line is hidden, hide the smallest other one.

    Returns whether anything changed. When no other cell can be hidden, the caller must hide the total.
    """
    if total_hidden:
        return False
    lone = [i for i, h in enumerate(hidden) if h and values[i]]
    if len(lone) != 1:
        return False
    candidates = [i for i, h in enumerate(hidden) if not h and values[i]]
    if not candidates:
        return False
    hidden[min(candidates, key=lambda i: (values[i], i))] = True
    return True


def suppress_line(values: list[int], *, extra: list[bool] | None = None) -> tuple[list[bool], bool]:
    """Which cells of a row of counts to hide, and whether to hide its total (the sum)."""
    hidden = [is_small(v) or bool(extra and extra[i]) for i, v in enumerate(values)]
    total = sum(values)
    total_hidden = is_small(total)
    _complete_line(values, hidden, total_hidden)
    if not total_hidden and sum(1 for i, h in enumerate(hidden) if h and values[i]) == 1:
        total_hidden = True  # nothing else to hide: the total would reveal the one hidden cell
    return hidden, total_hidden


def suppress_matrix(matrix: list[list[int]]) -> tuple[list[list[bool]], list[bool], list[bool], bool]:
    """Hide small cells of a table with row totals, column totals and a grand total, until none can be derived.

    Returns the hidden cells, hidden row totals, hidden column totals and whether the grand total is hidden.
    """
    rows, cols = len(matrix), len(matrix[0]) if matrix else 0
    hidden = [[is_small(v) for v in row] for row in matrix]
    row_totals = [sum(row) for row in matrix]
    col_totals = [sum(matrix[r][c] for r in range(rows)) for c in range(cols)]
    row_hidden = [is_small(t) for t in row_totals]
    col_hidden = [is_small(t) for t in col_totals]
    grand = sum(row_totals)
    grand_hidden = is_small(grand)
    changed = True
    while changed:
        changed = False
        for r in range(rows):
            changed |= _complete_line(matrix[r], hidden[r], row_hidden[r])
        for c in range(cols):
            column = [matrix[r][c] for r in range(rows)]
            flags = [hidden[r][c] for r in range(rows)]
            if _complete_line(column, flags, col_hidden[c]):
                for r in range(rows):
                    hidden[r][c] = flags[r]
                changed = True
        changed |= _complete_line(row_totals, row_hidden, grand_hidden)
        changed |= _complete_line(col_totals, col_hidden, grand_hidden)
        for r in range(rows):  # a lone hidden cell with nothing to pair it with: hide the row total too
            if not row_hidden[r] and sum(1 for c in range(cols) if hidden[r][c] and matrix[r][c]) == 1:
                row_hidden[r] = changed = True
        for c in range(cols):
            if not col_hidden[c] and sum(1 for r in range(rows) if hidden[r][c] and matrix[r][c]) == 1:
                col_hidden[c] = changed = True
    return hidden, row_hidden, col_hidden, grand_hidden
