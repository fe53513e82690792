"""Charts as inline SVG, drawn on the server (no script, no CDN). Pure: values in, markup out.

Every chart carries a ``<title>`` and a text ``<desc>`` listing its values, so a screen reader reads the
figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 40


@dataclass(frozen=True, slots=True)
class Line:
    """A horizontal reference line (a threshold) at ``value``."""

    value: float
    label: str
    css: str = "threshold"


def _scale(maximum: float) -> float:
    return maximum if maximum > 0 else 1.0


def _frame(title: str, desc: str, body: list[str]) -> Markup:
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        *body,
        "</svg>",
    ]
    return Markup("".join(parts))


def _axes(top: float, lines: tuple[Line, ...]) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = [
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{HEIGHT - BOTTOM}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{_number(top)}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{HEIGHT - BOTTOM + 4}" text-anchor="end">0</text>',
    ]
    for line in lines:
        y = HEIGHT - BOTTOM - plot_h * min(line.value / top, 1.0)
        out.append(
            f'<line class="{escape(line.css)}" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
        )
        out.append(
            f'<text class="tick {escape(line.css)}" x="{WIDTH - RIGHT}" y="{y - 3:.1f}" '
            f'text-anchor="end">{escape(line.label)}</text>'
        )
    return out


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def bar_chart(title: str, bars: list[tuple[str, float]], *, css: dict[str, str] | None = None) -> Markup:
    """Vertical bars, one per (label, value); ``css`` gives a bar's class by label (e.g. lane colours)."""
    top = _scale(max((v for _, v in bars), default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(bars), 1)
    body = _axes(top, ())
    for i, (label, value) in enumerate(bars):
        h = plot_h * value / top
        x = LEFT + i * step + step * 0.15
        cls = escape((css or {}).get(label, "bar"))
        body.append(
            f'<rect class="{cls}" x="{x:.1f}" y="{HEIGHT - BOTTOM - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}"><title>{escape(label)}: {_number(value)}</title></rect>'
        )
        body.append(
            f'<text class="label" x="{x + step * 0.35:.1f}" y="{HEIGHT - BOTTOM + 14}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        body.append(
            f'<text class="value" x="{x + step * 0.35:.1f}" y="{HEIGHT - BOTTOM - h - 3:.1f}" '
            f'text-anchor="middle">{_number(value)}</text>'
        )
    desc = "; ".join(f"{label}: {_number(v)}" for label, v in bars)
    return _frame(title, desc, body)


def line_chart(title: str, points: list[tuple[str, float | None]], *, lines: tuple[Line, ...] = ()) -> Markup:
    """A line over (label, value) points (a None value breaks the line), with reference lines."""
    values = [v for _, v in points if v is not None]
    top = _scale(max([*values, *(line.value * 1.2 for line in lines)], default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)
    body = _axes(top, lines)
    path: list[str] = []
    for i, (label, value) in enumerate(points):
        x = LEFT + i * step if len(points) > 1 else LEFT + plot_w / 2
        if i % max(len(points) // 8, 1) == 0:
            body.append(
                f'<text class="label" x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
        if value is None:
            path.append("")
            continue
        y = HEIGHT - BOTTOM - plot_h * min(value / top, 1.0)
        path.append(f"{x:.1f},{y:.1f}")
        body.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3">'
            f"<title>{escape(label)}: {value:.4f}</title></circle>"
        )
    for segment in " ".join(path).split("  "):
        if segment.strip():
            body.append(f'<polyline class="series" fill="none" points="{segment.strip()}"/>')
    desc = "; ".join(f"{label}: {'—' if v is None else f'{v:.4f}'}" for label, v in points)
    return _frame(title, desc, body)
