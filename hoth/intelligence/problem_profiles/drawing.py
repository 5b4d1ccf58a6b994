"""The problem profile's pictures, drawn on the server as SVG: a chart of
monthly counts, a map of hot and cold H3 cells with the towns, and a network
picture. WeasyPrint draws inline SVG into the PDF and browsers draw the same
markup in the preview, so both show one picture without any script.

Plain Python (no Django): each function takes numbers and words and returns
SVG markup, every word escaped here. Colours are set with presentation
attributes, not style attributes or a <style> element, which the service's
Content Security Policy would refuse. Each picture has a table beside it that
says the same, and an accessible name that points to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

FONT = "Arial, Helvetica, sans-serif"
TEXT = "#0b0c0c"
MUTED = "#505a5f"
RULE = "#b1b4b6"

# GOV.UK colours: each series has a colour and a dash, so a chart printed in
# grey can still be read.
SERIES_STYLES = (
    ("#1d70b8", ""),
    ("#d4351c", "6 3"),
    ("#00703c", "2 3"),
    ("#4c2c92", "8 3 2 3"),
    ("#b58840", "1 2"),
    ("#d53880", "4 4"),
)
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")

HOT_FILL = {3: "#d4351c", 2: "#f47738", 1: "#ffdd00"}
COLD_FILL = "#1d70b8"
BACKGROUND_FILL = "#cecece"


def _attrs(**values):
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in values.items()
        if value is not None and value != ""
    )


def _number(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(width, height, label, body, identifier):
    """An SVG element named for assistive technology; its table says the same."""
    # Drawn at its own size, one unit a CSS pixel, and shrunk by the page's
    # styles (max-width) when the column is narrower.
    size = _attrs(viewBox=f"0 0 {_number(width)} {_number(height)}", width=_number(width), height=_number(height))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {_attrs(id=identifier)} {size}'
        f' role="img" {_attrs(aria_label=label)} class="hoth-profile-picture" '
        f'font-family="{FONT}"><title>{escape(label)}</title>{body}</svg>'
    )


def _text(x, y, words, *, size=11, anchor="start", weight="", fill=TEXT, halo=False):
    """Text, with a white outline drawn underneath when it sits over the picture."""
    common = _attrs(x=_number(x), y=_number(y), font_size=size, text_anchor=anchor, font_weight=weight)
    under = (
        (
            f'<text {common} fill="#ffffff" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" '
            f'aria-hidden="true">{escape(words)}</text>'
        )
        if halo
        else ""
    )
    return f'{under}<text {common} fill="{fill}">{escape(words)}</text>'


def _marker(shape, x, y, r, fill, stroke=TEXT, stroke_width=1.0):
    paint = _attrs(fill=fill, stroke=stroke, stroke_width=_number(stroke_width))
    if shape == "square":
        box = _attrs(x=_number(x - r), y=_number(y - r), width=_number(2 * r), height=_number(2 * r))
        return f"<rect {box} {paint}/>"
    if shape == "diamond":
        points = (
            f"{_number(x)},{_number(y - r * 1.3)} {_number(x + r * 1.3)},{_number(y)} "
            f"{_number(x)},{_number(y + r * 1.3)} {_number(x - r * 1.3)},{_number(y)}"
        )
        return f'<polygon points="{points}" {paint}/>'
    if shape == "triangle":
        points = (
            f"{_number(x)},{_number(y - r * 1.3)} {_number(x + r * 1.2)},{_number(y + r)} "
            f"{_number(x - r * 1.2)},{_number(y + r)}"
        )
        return f'<polygon points="{points}" {paint}/>'
    return f"<circle {_attrs(cx=_number(x), cy=_number(y), r=_number(r))} {paint}/>"


# --- the chart of monthly counts -------------------------------------------------------------------


def axis_step(peak, most_ticks=5):
    """A whole step of 1, 2 or 5 times a power of ten that marks `peak` in at most `most_ticks` steps."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if peak <= step * most_ticks:
                return step
        power *= 10


def trend_chart(months, series, *, label, identifier="profile-trends-chart", width=480, height=300):
    """Lines of monthly counts. `months` are the x-axis labels; `series` is
    [(name, [count per month])]."""
    left, right, top, bottom = 44, 12, 14, 72
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((max(values, default=0) for _, values in series), default=0)
    step = axis_step(highest)
    peak = max(step, step * math.ceil(highest / step))
    count = len(months)

    def x_of(i):
        return left + (plot_w * (i + 0.5) / count if count else 0)

    def y_of(value):
        return top + plot_h - plot_h * value / peak

    parts = []
    for tick in range(peak // step + 1):
        value = tick * step
        y = y_of(value)
        parts.append(
            f'<line {_attrs(x1=left, x2=width - right, y1=_number(y), y2=_number(y))} stroke="{RULE}" '
            f'stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, _number(value), size=12, anchor="end", fill=MUTED))
    # Label every month when they fit, else every second or third.
    every = max(1, math.ceil(count / 6))
    for i, month in enumerate(months):
        if i % every == 0:
            parts.append(_text(x_of(i), top + plot_h + 17, month, size=12, anchor="middle", fill=MUTED))
    for s, (_name, values) in enumerate(series):
        colour, dash = SERIES_STYLES[s % len(SERIES_STYLES)]
        points = " ".join(f"{_number(x_of(i))},{_number(y_of(v))}" for i, v in enumerate(values))
        if count > 1:
            parts.append(
                f'<polyline points="{points}" fill="none" {_attrs(stroke=colour, stroke_dasharray=dash)} '
                f'stroke-width="2"/>'
            )
        for i, value in enumerate(values):
            parts.append(_marker(MARKERS[s % len(MARKERS)], x_of(i), y_of(value), 3, colour, stroke=colour))
    # The key, under the axis, on a second line when the first is full.
    x = left
    y = height - 28
    for s, (name, _values) in enumerate(series):
        colour, dash = SERIES_STYLES[s % len(SERIES_STYLES)]
        if x + 34 + 6.6 * len(name) > width:
            x, y = left, y + 16
        parts.append(
            f"<line {_attrs(x1=x, x2=x + 22, y1=y - 4, y2=y - 4, stroke=colour, stroke_dasharray=dash)} "
            f'stroke-width="2"/>'
        )
        parts.append(_marker(MARKERS[s % len(MARKERS)], x + 11, y - 4, 3, colour, stroke=colour))
        parts.append(_text(x + 27, y + 1, name, size=12))
        x += 34 + 6.6 * len(name)
    parts.append(f'<line {_attrs(x1=left, x2=left, y1=top, y2=top + plot_h)} stroke="{MUTED}" stroke-width="1"/>')
    return _svg(width, height, label, "".join(parts), identifier)


# --- the map ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCell:
    boundary: tuple  # ((lat, lng), ...)
    level: int  # -3 .. 3, as hoth.analytics.hotspots; 0 for a cell with events that is neither hot nor cold
    emerging: bool = False


@dataclass(frozen=True)
class MapMark:
    """A numbered hotspot: its number on the map matches its row in the table."""

    number: int
    lat: float
    lng: float


@dataclass(frozen=True)
class MapTown:
    name: str
    lat: float
    lng: float
    chosen: bool = False


class Projection:
    """Latitude and longitude to points on the page: equirectangular about the
    middle of the extent, which over a county is true to within a fraction of
    a per cent, and north up."""

    def __init__(self, lats, lngs, width, margin=36, max_height=420):
        south, north = min(lats), max(lats)
        west, east = min(lngs), max(lngs)
        # At least about 2 km across, so a single hotspot is not drawn the size of the page.
        pad = 0.01
        south, north, west, east = south - pad, north + pad, west - pad * 1.6, east + pad * 1.6
        self.squash = math.cos(math.radians((south + north) / 2))
        span_x = (east - west) * self.squash
        span_y = north - south
        self.scale = min((width - 2 * margin) / span_x, (max_height - 2 * margin) / span_y)
        self.west, self.north, self.margin = west, north, margin
        self.width = width
        self.height = span_y * self.scale + 2 * margin

    def __call__(self, lat, lng):
        return (
            self.margin + (lng - self.west) * self.squash * self.scale,
            self.margin + (self.north - lat) * self.scale,
        )

    def metres(self, metres):
        """A distance on the ground as a length on the page."""
        return metres / 111_320 * self.scale


def _scale_bar(project, x, y):
    for km in (50, 20, 10, 5, 2, 1, 0.5):
        length = project.metres(km * 1000)
        if length <= project.width / 4:
            break
    words = f"{_number(km)} km"
    return (
        f'<line {_attrs(x1=_number(x), x2=_number(x + length), y1=_number(y), y2=_number(y))} stroke="{TEXT}" '
        f'stroke-width="2"/>' + _text(x + length + 4, y + 4, words, size=10)
    )


def hotspot_map(cells, marks, towns, *, label, extent=(), identifier="profile-map-picture", width=600):
    """Hot and cold cells (hexagons), numbered hotspots and labelled towns,
    with north up and a scale bar; no map tiles. The map frames the cells and
    the (lat, lng) points of `extent` (all the towns when none is given); a
    town outside the frame is left out."""
    extent = list(extent) or [(t.lat, t.lng) for t in towns]
    lats = [lat for cell in cells for lat, _ in cell.boundary] + [lat for lat, _ in extent]
    lngs = [lng for cell in cells for _, lng in cell.boundary] + [lng for _, lng in extent]
    if not lats:
        return ""
    project = Projection(lats, lngs, width)
    towns = [
        t for t in towns if 0 <= project(t.lat, t.lng)[0] <= width and 0 <= project(t.lat, t.lng)[1] <= project.height
    ]
    parts = [f'<rect x="0" y="0" {_attrs(width=_number(width), height=_number(project.height))} fill="#f3f2f1"/>']
    # Cells with events but neither hot nor cold first, pale, to show where events are.
    for cell in sorted(cells, key=lambda c: c.level != 0):
        points = " ".join(f"{_number(x)},{_number(y)}" for x, y in (project(lat, lng) for lat, lng in cell.boundary))
        if cell.level == 0:
            parts.append(f'<polygon points="{points}" fill="{BACKGROUND_FILL}"/>')
            continue
        fill = HOT_FILL.get(cell.level, HOT_FILL[1]) if cell.level > 0 else COLD_FILL
        parts.append(
            f'<polygon points="{points}" {_attrs(fill=fill)} stroke="{TEXT}" '
            f'stroke-width="{2 if cell.emerging else 0.5}"/>'
        )
    # Towns and hotspots are points with labels placed clear of each other.
    points = [project(t.lat, t.lng) for t in towns] + [project(m.lat, m.lng) for m in marks]
    labels = [t.name for t in towns] + [str(m.number) for m in marks]
    sizes = [12 if t.chosen else 10 for t in towns] + [12] * len(marks)
    spots = place_labels(
        points, labels, radius=[4] * len(towns) + [11] * len(marks), size=sizes, within=(0, 0, width, project.height)
    )
    for town, (x, y) in zip(towns, points):
        parts.append(
            _marker(
                "square" if town.chosen else "circle",
                x,
                y,
                3.5 if town.chosen else 2.5,
                TEXT if town.chosen else "#ffffff",
            )
        )
    for x, y in points[len(towns) :]:
        parts.append(
            f'<circle {_attrs(cx=_number(x), cy=_number(y))} r="11" fill="none" stroke="{TEXT}" stroke-width="1.5"/>'
        )
    for i, spot in enumerate(spots):
        town = towns[i] if i < len(towns) else None
        parts.append(
            _text(
                spot[0],
                spot[1],
                labels[i],
                size=sizes[i],
                anchor=spot[2],
                halo=True,
                weight="bold" if town is None or town.chosen else "",
                fill=MUTED if town is not None and not town.chosen else TEXT,
            )
        )
    parts.append(_scale_bar(project, 12, project.height - 12))
    parts.append(_text(width - 12, 18, "N \u2191", size=12, anchor="end", weight="bold"))
    return _svg(width, project.height, label, "".join(parts), identifier)


# --- the network -----------------------------------------------------------------------------------

# Each kind of subject its colour and shape (hoth.analytics.network.Kind codes).
KIND_STYLES = {
    1: ("Child", "#1d70b8", "circle"),
    2: ("Adult", "#4c2c92", "square"),
    3: ("Place", "#00703c", "diamond"),
    4: ("Vehicle", "#b58840", "square"),
    5: ("Phone", "#505a5f", "circle"),
    6: ("Online account", "#d53880", "triangle"),
    7: ("Group", "#912b88", "triangle"),
}
# Of concern: a thick red outline, as on the network page.
CONCERN = "#d4351c"
NODE_RADIUS = 7
LABEL_SIZE = 11
# Page points per link length: the picture aims to be about PICTURE_SIZE
# points across, but never below LEAST_UNIT, so two nodes kept half a link
# length apart by hoth.analytics.layout never touch (2 x NODE_RADIUS < LEAST_UNIT / 2).
PICTURE_SIZE = 900
LEAST_UNIT = 30
MOST_UNIT = 80
KEY_ENTRY = 130


@dataclass(frozen=True)
class NetworkNode:
    x: float  # in link lengths, from hoth.analytics.layout
    y: float
    kind: int
    label: str = ""  # drawn beside the node when given
    of_concern: bool = False


def _text_box(x, y, words, size, anchor):
    """The box (left, top, right, bottom) a line of text takes, estimated from its length."""
    width = 0.58 * size * len(words) + 2
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return (left, y - size, left + width, y + size * 0.3)


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(points, labels, radius=NODE_RADIUS, size=LABEL_SIZE, within=None):
    """Where to write each label: right of its point, else left, below or
    above, whichever first clears every point, the labels already placed and
    the edges of the picture `within` (left, top, right, bottom), else the
    place with fewest clashes. `radius` and `size` may be one number or one
    per point. Returns [(x, y, anchor, box) or None]."""
    count = len(points)
    radii = radius if isinstance(radius, (list, tuple)) else [radius] * count
    sizes = size if isinstance(size, (list, tuple)) else [size] * count
    nodes = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(points, radii)]
    placed, boxes = [], []
    for i, ((x, y), words) in enumerate(zip(points, labels)):
        if not words:
            placed.append(None)
            continue
        gap, height = radii[i] + 3, sizes[i]
        options = [
            (x + gap, y + height * 0.35, "start"),
            (x - gap, y + height * 0.35, "end"),
            (x, y + gap + height, "middle"),
            (x, y - gap - 2, "middle"),
        ]
        best = None
        for option in options:
            box = _text_box(*option[:2], words, height, option[2])
            clashes = sum(_overlap(box, other) for j, other in enumerate(nodes) if j != i)
            clashes += sum(_overlap(box, other) for other in boxes)
            if within and not (
                box[0] >= within[0] and box[1] >= within[1] and box[2] <= within[2] and box[3] <= within[3]
            ):
                clashes += 10
            if best is None or clashes < best[0]:
                best = (clashes, (*option, box))
            if not clashes:
                break
        placed.append(best[1])
        boxes.append(best[1][3])
    return placed


def network_picture(nodes, edges, *, label, identifier="profile-network-picture"):
    """Nodes coloured and shaped by kind (of concern: a thick red outline),
    the edges between them, and the labels given, each placed clear of the
    nodes where it can be; a key underneath."""
    if not nodes:
        return ""
    span = max(max(n.x for n in nodes), max(n.y for n in nodes), 1.0)
    unit = min(MOST_UNIT, max(LEAST_UNIT, PICTURE_SIZE / span))
    points = [(n.x * unit, n.y * unit) for n in nodes]
    labels = place_labels(points, [n.label for n in nodes])
    boxes = [
        (x - NODE_RADIUS * 1.4, y - NODE_RADIUS * 1.4, x + NODE_RADIUS * 1.4, y + NODE_RADIUS * 1.4) for x, y in points
    ] + [spot[3] for spot in labels if spot]
    margin = 12
    left, top = min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin
    right, bottom = max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin
    kinds = sorted({n.kind for n in nodes})
    width = max(right - left, 2 * margin + 2 * KEY_ENTRY)
    per_row = max(1, int((width - 2 * margin) // KEY_ENTRY))
    key_rows = -(-(len(kinds) + 1) // per_row)
    height = bottom - top + 12 + 18 * key_rows

    def at(i):
        return points[i][0] - left, points[i][1] - top

    parts = []
    for a, b in edges:
        (x1, y1), (x2, y2) = at(a), at(b)
        parts.append(
            f"<line {_attrs(x1=_number(x1), y1=_number(y1), x2=_number(x2), y2=_number(y2))} "
            f'stroke="{RULE}" stroke-width="1.2"/>'
        )
    for i, node in enumerate(nodes):
        x, y = at(i)
        _, colour, shape = KIND_STYLES[node.kind]
        parts.append(
            _marker(
                shape,
                x,
                y,
                NODE_RADIUS * (0.75 if shape != "circle" else 1),
                colour,
                stroke=CONCERN if node.of_concern else TEXT,
                stroke_width=3 if node.of_concern else 1,
            )
        )
    for node, spot in zip(nodes, labels):
        if spot:
            x, y, anchor, _ = spot
            parts.append(
                _text(
                    x - left,
                    y - top,
                    node.label,
                    size=LABEL_SIZE,
                    anchor=anchor,
                    halo=True,
                    weight="bold" if node.of_concern else "",
                )
            )
    # The key.
    entries = [(KIND_STYLES[k][0], KIND_STYLES[k][1], KIND_STYLES[k][2], TEXT, 1) for k in kinds]
    entries.append(("Of concern", "#ffffff", "circle", CONCERN, 3))
    for i, (name, colour, shape, stroke, stroke_width) in enumerate(entries):
        x = margin + KEY_ENTRY * (i % per_row)
        y = bottom - top + 12 + 18 * (i // per_row)
        parts.append(_marker(shape, x + 6, y - 4, 5, colour, stroke=stroke, stroke_width=stroke_width))
        parts.append(_text(x + 16, y, name, size=11))
    return _svg(width, height, label, "".join(parts), identifier)
