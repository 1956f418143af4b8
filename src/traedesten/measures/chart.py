"""Server-side SVG geometry for a trajectory: the line, the cut-off and the reliable-change band around intake."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, PAD = 640, 240, 36


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str
    dots: list[tuple[float, float, str, str]]
    cutoff_y: float | None
    band: tuple[float, float] | None
    y_ticks: list[tuple[float, str]]
    bottom: int
    right: int


def trajectory_chart(traj) -> Chart | None:
    if not traj.points or traj.definition.total_range is None:
        return None
    low, high = (float(v) for v in traj.definition.total_range)
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def y(value) -> float:
        return round(PAD + inner_h * (1 - (float(value) - low) / (high - low)), 1)

    n = len(traj.points)
    xs = [round(PAD + (inner_w * i / (n - 1) if n > 1 else inner_w / 2), 1) for i in range(n)]
    dots = [(x, y(p.total), f"{p.administration.on:%d.%m.%Y}", f"{p.total.normalize():f}") for x, p in zip(xs, traj.points)]
    defn = traj.definition
    band = None
    if defn.reliable_change is not None:
        intake = traj.points[0].total
        top, bottom = min(Decimal(high), intake + defn.reliable_change), max(Decimal(low), intake - defn.reliable_change)
        band = (y(top), round(y(bottom) - y(top), 1))
    ticks = [(y(v), f"{v:g}") for v in (low, (low + high) / 2, high)]
    return Chart(WIDTH, HEIGHT, " ".join(f"{x},{yy}" for x, yy, *_ in dots), dots,
                 y(defn.cutoff) if defn.cutoff is not None else None, band, ticks, HEIGHT - PAD, WIDTH - PAD)
