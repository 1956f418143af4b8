"""Server-rendered SVG charts of report tables. Suppressed values are drawn as a hatched stub, never to scale."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .tables import Table, shown

WIDTH = 640
BAR = 22
GAP = 8
LABEL = 230
STUB = 6
"""Width in pixels of a suppressed bar: the same for every hidden value, so it says nothing about the value."""


def _join(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _n(value: float) -> str:
    return f"{value:.1f}"


def _svg(height: int, title: str, body: SafeString, width: int = WIDTH) -> SafeString:
    return format_html('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">'
                       '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                       '<rect width="3" height="6" class="hatch"/></pattern></defs>{}</svg>', width, height, title, body)


def hbars(table: Table) -> SafeString:
    """One horizontal bar per row, for the table's first column."""
    rows = [r for r in table.rows if r.values and r.values[0] != 0]
    biggest = max([r.values[0] for r in rows if isinstance(r.values[0], (int, float))] or [1])
    room = WIDTH - LABEL - 70
    parts = []
    for i, row in enumerate(rows):
        y = i * (BAR + GAP)
        value = row.values[0]
        width = STUB if value is None else max(1, round(room * value / biggest))
        css = "bar hidden" if value is None else "bar"
        parts.append(format_html(
            '<text x="0" y="{}" class="label">{}</text><rect x="{}" y="{}" width="{}" height="{}" class="{}"/>'
            '<text x="{}" y="{}" class="value">{}</text>',
            y + 16, row.label, LABEL, y, width, BAR, css, LABEL + width + 6, y + 16, shown(value, table.columns[0].kind)))
    return _svg(max(1, len(rows)) * (BAR + GAP), str(table.title), _join(parts))


def bars(table: Table) -> SafeString:
    """Vertical bars over the rows (months, length bands), for the first column."""
    rows = table.rows
    if not rows:
        return SafeString("")
    height, bottom = 220, 190
    biggest = max([r.values[0] for r in rows if isinstance(r.values[0], (int, float))] or [1]) or 1
    step = (WIDTH - 40) / len(rows)
    width = max(4, step * 0.7)
    parts = []
    for i, row in enumerate(rows):
        value = row.values[0]
        h = STUB if value is None else round(160 * value / biggest)
        x = 20 + i * step
        parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}: {}</title></rect>',
                                 _n(x), bottom - h, _n(width), h, "bar hidden" if value is None else "bar", row.label,
                                 shown(value, table.columns[0].kind)))
        if len(rows) <= 12 or i % max(1, len(rows) // 12) == 0:
            parts.append(format_html('<text x="{}" y="{}" class="tick">{}</text>', _n(x), bottom + 16, row.label))
        if len(rows) <= 12:
            parts.append(format_html('<text x="{}" y="{}" class="value">{}</text>', _n(x), bottom - h - 4,
                                     shown(value, table.columns[0].kind)))
    return _svg(height, str(table.title), _join(parts))


def flow(table: Table) -> SafeString:
    """A two-column flow (Sankey): rows on the left, columns on the right, bands as wide as the citizens they carry."""
    ends = table.columns[:-1]
    matrix = [row.values[:-1] for row in table.rows]
    unit = lambda v: STUB / 2 if v is None else v  # noqa: E731 - a hidden band is drawn as a thin stub
    left = [sum(unit(v) for v in row) for row in matrix]
    right = [sum(unit(row[c]) for row in matrix) for c in range(len(ends))]
    total = sum(left) or 1
    height = 360
    scale = (height - GAP * (len(matrix) + 1)) / total
    right_scale = (height - GAP * (len(ends) + 1)) / (sum(right) or 1)
    scale = min(scale, right_scale)
    width = 860
    x0, x1, node = 200, width - 300, 12
    parts: list[SafeString] = []
    y: float = GAP
    left_y: list[float | None] = []
    right_y: list[float | None] = []
    for row, size in zip(table.rows, left):
        if size == 0:
            left_y.append(None)
            continue
        h = size * scale
        left_y.append(y)
        parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" class="node"/>'
                                 '<text x="{}" y="{}" class="label end">{} ({})</text>',
                                 x0 - node, _n(y), node, _n(h), x0 - node - 4, _n(y + h / 2 + 4), row.label, shown(row.values[-1])))
        y += h + GAP
    y = GAP
    totals = table.total.values[:-1] if table.total else [None] * len(ends)
    for column, size, value in zip(ends, right, totals):
        if size == 0:
            right_y.append(None)
            continue
        h = size * scale
        right_y.append(y)
        parts.append(format_html('<rect x="{}" y="{}" width="{}" height="{}" class="node"/>'
                                 '<text x="{}" y="{}" class="label">{} ({})</text>',
                                 x1, _n(y), node, _n(h), x1 + node + 4, _n(y + h / 2 + 4), column.label, shown(value)))
        y += h + GAP
    out_offset = [0.0] * len(matrix)
    in_offset = [0.0] * len(ends)
    for c in range(len(ends)):
        for r, values in enumerate(matrix):
            v, top, bottom = values[c], left_y[r], right_y[c]
            if v == 0 or top is None or bottom is None:
                continue
            h = unit(v) * scale
            ya, yb = top + out_offset[r], bottom + in_offset[c]
            out_offset[r] += h
            in_offset[c] += h
            mid = (x0 + x1) / 2
            parts.append(format_html(
                '<path d="M{},{} C{},{} {},{} {},{} L{},{} C{},{} {},{} {},{} Z" class="{}">'
                '<title>{} → {}: {}</title></path>',
                x0, _n(ya), mid, _n(ya), mid, _n(yb), x1, _n(yb), x1, _n(yb + h), mid, _n(yb + h), mid, _n(ya + h), x0, _n(ya + h),
                "band hidden" if v is None else "band", table.rows[r].label, ends[c].label, shown(v)))
    return _svg(height, str(table.title), _join(parts), width)


def draw(kind: str, table: Table) -> SafeString:
    if table.empty:
        return SafeString("")
    return {"hbars": hbars, "bars": bars, "flow": flow}.get(kind, lambda t: SafeString(""))(table)

