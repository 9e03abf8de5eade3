"""Chart geometry for the report's SVG (drawn by the template, autoescaped, rendered by
WeasyPrint): the compliance trend and the Pareto of incidents per asset."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 14, 56


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)  # {"points": "x,y x,y", "class": ...}
    dots: list[dict] = field(default_factory=list)
    x_labels: list[dict] = field(default_factory=list)
    y_left: list[dict] = field(default_factory=list)
    y_right: list[dict] = field(default_factory=list)
    plot: dict = field(default_factory=dict)


def _frame() -> tuple[float, float, float, float]:
    return LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def _label(x: float, y: float, text: str, slot: float) -> dict:
    """An axis label; `tilt` when it is wider than its slot (about 5.5 units a character)."""
    return {"x": round(x, 1), "y": y, "text": text, "tilt": len(text) * 5.5 > slot * 0.95}


def _even(count: int) -> int:
    """A count axis's top, raised to an even number so that its middle tick is whole."""
    return count + count % 2


def _one_direction(chart: Chart) -> Chart:
    """An axis reads one way: when any label must tilt, all of them do."""
    tilt = any(label["tilt"] for label in chart.x_labels)
    for label in chart.x_labels:
        label["tilt"] = tilt
    return chart


def _percent_axis(chart: Chart, side: str, x: float) -> None:
    _, top, _, height = _frame()
    for value in (0, 25, 50, 75, 100):
        y = top + height * (1 - value / 100)
        getattr(chart, f"y_{side}").append({"x": x, "y": round(y, 1), "text": f"{value}%"})


def trend_chart(points: list[dict], labels: list[str]) -> Chart:
    """Tickets per bucket as bars (right axis), response and resolution compliance as lines."""
    left, top, width, height = _frame()
    chart = Chart(plot={"x": left, "y": top, "width": width, "height": height})
    if not points:
        return chart
    slot = width / len(points)
    most = _even(max(p["tickets"] for p in points) or 1)
    for index, point in enumerate(points):
        bar_height = height * point["tickets"] / most
        x = left + slot * index
        chart.bars.append(
            {
                "x": round(x + slot * 0.2, 1),
                "y": round(top + height - bar_height, 1),
                "width": round(slot * 0.6, 1),
                "height": round(bar_height, 1),
                "class": "volume",
            }
        )
        if len(points) <= 14 or index % max(1, len(points) // 12) == 0:
            chart.x_labels.append(_label(x + slot / 2, top + height + 14, labels[index], slot))
    for clock in ("response", "resolution"):
        coords = []
        for index, point in enumerate(points):
            value = point[clock]["compliance_percent"]
            if value is None:
                continue
            x = round(left + slot * index + slot / 2, 1)
            y = round(top + height * (1 - value / 100), 1)
            coords.append(f"{x},{y}")
            chart.dots.append({"x": x, "y": y, "class": clock})
        chart.lines.append({"points": " ".join(coords), "class": clock})
    _percent_axis(chart, "left", left - 6)
    for fraction in (0, 0.5, 1):
        chart.y_right.append(
            {
                "x": left + width + 6,
                "y": round(top + height * (1 - fraction), 1),
                "text": str(round(most * fraction)),
            }
        )
    return _one_direction(chart)


def pareto_chart(rows: list[dict], labels: list[str], limit: int = 12) -> Chart:
    """Incidents per asset, most first, with the cumulative share as a line (right axis)."""
    left, top, width, height = _frame()
    chart = Chart(plot={"x": left, "y": top, "width": width, "height": height})
    shown = rows[:limit]
    if not shown:
        return chart
    slot = width / len(shown)
    most = _even(shown[0]["incidents"] or 1)
    coords = []
    for index, row in enumerate(shown):
        bar_height = height * row["incidents"] / most
        x = left + slot * index
        chart.bars.append(
            {
                "x": round(x + slot * 0.15, 1),
                "y": round(top + height - bar_height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(bar_height, 1),
                "class": "incidents",
                "value": row["incidents"],
            }
        )
        chart.x_labels.append(_label(x + slot / 2, top + height + 14, labels[index], slot))
        cx = round(x + slot / 2, 1)
        cy = round(top + height * (1 - row["cumulative_percent"] / 100), 1)
        coords.append(f"{cx},{cy}")
        chart.dots.append({"x": cx, "y": cy, "class": "cumulative"})
    chart.lines.append({"points": " ".join(coords), "class": "cumulative"})
    _percent_axis(chart, "right", left + width + 6)
    for fraction in (0, 0.5, 1):
        chart.y_left.append(
            {
                "x": left - 6,
                "y": round(top + height * (1 - fraction), 1),
                "text": str(round(most * fraction)),
            }
        )
    return _one_direction(chart)
