"""Inline SVG charts (no JavaScript needed to draw them, no network, no plotting library).

Every chart is a string of SVG with a `data-chart` attribute naming its kind, so the browser test can
find and count them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Sequence

import numpy as np

PALETTE = {"published": "#9aa5b1", "ours": "#1f6feb", "proxy": "#d97706", "input": "#2f855a", "output": "#1f6feb",
           "user_vad": "#68d391", "model_vad": "#90cdf4", "event": "#c53030"}
"""Colours by role; `proxy` marks numbers produced by the offline proxy judge."""


WORD_CHAR_PX = 6.0
"""Width budget per character of a 9 px word label (CJK glyphs are wider, so be generous)."""


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else str(int(round(x)))


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    kind: str = "published"
    """'published', 'ours' or 'proxy' (ours, scored with the proxy judge)."""
    low: float | None = None
    high: float | None = None
    note: str = ""


LABEL_CHAR_PX, LABEL_MIN_PX, LABEL_MAX_PX, PLOT_MIN_PX = 7.0, 160, 520, 330
"""Bar labels (11 px text, bold for our runs) take up to about 7 px per character; the label column grows with the longest label
(so a run's caveat is never cut off) up to 520 px, and the plot keeps at least 330 px."""


def _bar(out: list[str], b: Bar, y: float, label_w: int, row_h: int, scale: float, top_value: float, unit: str,
         rank: str = "") -> None:
    w = max(0.0, min(b.value, top_value)) * scale
    colour = PALETTE.get(b.kind, PALETTE["published"])
    weight = ' font-weight="bold"' if b.kind != "published" else ""
    tip = escape(f"{b.label}: {b.value:g}{unit}" + (f" [{b.low:g}, {b.high:g}]" if b.low is not None else "")
                 + (f" ({b.note})" if b.note else ""))
    label = f"{rank} {b.label}" if rank else b.label
    out.append(f'<g class="bar bar-{escape(b.kind)}"><title>{tip}</title>'
               f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" class="label"{weight}>{escape(label)}</text>'
               f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}"/>')
    if b.low is not None and b.high is not None:
        x1, x2 = label_w + b.low * scale, label_w + min(b.high, top_value) * scale
        out.append(f'<line x1="{x1:.1f}" y1="{y + 11}" x2="{x2:.1f}" y2="{y + 11}" class="whisker"/>'
                   f'<line x1="{x1:.1f}" y1="{y + 6}" x2="{x1:.1f}" y2="{y + 16}" class="whisker"/>'
                   f'<line x1="{x2:.1f}" y1="{y + 6}" x2="{x2:.1f}" y2="{y + 16}" class="whisker"/>')
    out.append(f'<text x="{label_w + w + 6 + (0 if b.high is None else max(0.0, (min(b.high, top_value) - b.value) * scale)):.1f}" '
               f'y="{y + 15}" class="value">{b.value:g}{escape(unit)}</text></g>')


def bar_chart(bars: Sequence[Bar], title: str, unit: str = "", x_max: float | None = None,
              width: int = 640, lower_is_better: bool = False, apart: Sequence[Bar] = (),
              apart_title: str = "") -> str:
    """Horizontal bars, best first and numbered; `apart` bars (runs not comparable with `bars`) are drawn
    in their own band below a divider, under `apart_title`, unnumbered, so they never read as a rank."""
    bars = sorted(bars, key=lambda b: b.value, reverse=not lower_is_better)
    longest = max([len(b.label) + 4 for b in list(bars) + list(apart)] + [0])
    label_w = min(LABEL_MAX_PX, max(LABEL_MIN_PX, int(LABEL_CHAR_PX * longest) + 12))
    width = max(width, label_w + PLOT_MIN_PX + 70)  # a long label widens the chart, never cuts the plot
    row_h, top = 22, 34
    band = (row_h + 8) if apart else 0
    height = top + row_h * (len(bars) + len(apart)) + band + 26
    top_value = x_max or _nice_max(max([b.high or b.value for b in list(bars) + list(apart)] + [1e-9]))
    plot_w = width - label_w - 70
    scale = plot_w / top_value
    out = [f'<svg class="chart" data-chart="bar" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="4" y="18" class="chart-title">{escape(title)}</text>']
    step = _nice_max(top_value / 5)
    for k in range(int(top_value / step + 1e-9) + 1):  # ticks at round steps
        x = label_w + k * step * scale
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 22}" class="grid"/>'
                   f'<text x="{x:.1f}" y="{height - 8}" class="tick" text-anchor="middle">{_num(k * step)}{escape(unit)}</text>')
    for i, b in enumerate(bars):
        _bar(out, b, top + i * row_h, label_w, row_h, scale, top_value, unit, rank=f"#{i + 1}")
    if apart:
        y = top + len(bars) * row_h + 4
        out.append(f'<g class="apart-band" data-apart="{len(apart)}"><line x1="4" y1="{y}" x2="{width - 4}" y2="{y}" '
                   f'class="divider" stroke="#444" stroke-dasharray="6 3"/>'
                   f'<text x="4" y="{y + 17}" class="apart-title" font-style="italic">{escape(apart_title)}</text></g>')
        for j, b in enumerate(apart):
            _bar(out, b, y + band - 4 + j * row_h, label_w, row_h, scale, top_value, unit)
    out.append("</svg>")
    return "".join(out)


def histogram(values: Sequence[float], title: str, unit: str = "s", bins: int = 20, width: int = 340,
              height: int = 200, colour: str = PALETTE["ours"]) -> str:
    """One distribution: counts on a labelled y axis, value ticks on the x axis, the median (solid) and
    90th percentile (dashed) marked and named in a legend."""
    head = (f'<svg class="chart" data-chart="histogram" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
            f'<text x="4" y="16" class="chart-title">{escape(title)}</text>')
    if not values:
        return head + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="empty">no values</text></svg>'
    arr = np.asarray(values, dtype=float)
    lo, hi = float(min(0.0, arr.min())), float(arr.max())
    step = _nice_max((hi - lo) / 4 if hi > lo else 0.25)  # round ticks; the largest value never on the edge
    lo, hi = math.floor(lo / step) * step, (math.floor(hi / step) + 1) * step
    counts, edges = np.histogram(arr, bins=bins, range=(lo, hi))
    left, right, top, bottom = 44, width - 10, 44, height - 36
    sx = (right - left) / (hi - lo)
    y_max = max(1, int(counts.max()))
    sy = (bottom - top) / y_max
    parts = [head]
    y_step = max(1, int(_nice_max(y_max / 4)))
    for c in range(0, y_max + 1, y_step):  # y axis: sample counts
        y = bottom - c * sy
        parts.append(f'<line x1="{left - 3}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 5}" y="{y + 3:.1f}" class="tick" text-anchor="end">{c}</text>')
    parts.append(f'<text x="10" y="{(top + bottom) / 2:.1f}" class="tick" text-anchor="middle" '
                 f'transform="rotate(-90 10 {(top + bottom) / 2:.1f})">count</text>')
    for c, e0, e1 in zip(counts, edges[:-1], edges[1:]):
        if c:
            x = left + (e0 - lo) * sx
            parts.append(f'<rect x="{x:.1f}" y="{bottom - c * sy:.1f}" width="{max(1.0, (e1 - e0) * sx - 1):.1f}" '
                         f'height="{c * sy:.1f}" fill="{colour}" opacity="0.8"><title>{c} value(s) in '
                         f'[{e0:.3f}, {e1:.3f}) {unit}</title></rect>')
    med, p90 = float(np.median(arr)), float(np.percentile(arr, 90))
    for value, style, name in ((med, "", "median"), (p90, ' stroke-dasharray="4 3"', "p90")):
        x = left + (value - lo) * sx
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" class="mark"{style}>'
                     f'<title>{name} {value:.3f} {unit}</title></line>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="axis"/>'
                 f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" class="axis"/>')
    ticks = int(round((hi - lo) / step))
    every = 1 if ticks <= 6 else 2  # at most about six labels across the axis
    for k in range(0, ticks + 1, every):  # x axis: value ticks at round steps
        value = lo + k * step
        x = left + (value - lo) * sx
        parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" class="axis"/>'
                     f'<text x="{x:.1f}" y="{bottom + 15}" class="tick" text-anchor="middle">{value:g}</text>')
    parts.append(f'<text x="{(left + right) / 2:.1f}" y="{height - 6}" class="tick" text-anchor="middle">{escape(unit)}</text>'
                 f'<text x="{left}" y="32" class="tick">n = {len(arr)}; median {med:.3f} {unit} (solid), '
                 f'p90 {p90:.3f} {unit} (dashed)</text></svg>')
    return "".join(parts)


@dataclass(frozen=True)
class Lane:
    """One row of the timeline: a waveform envelope or a set of labelled intervals."""

    name: str
    envelope: tuple[np.ndarray, np.ndarray] | None = None
    """(min, max) per column, covering [0, duration]."""
    intervals: tuple[tuple[float, float, str], ...] = ()
    colour: str = "#1f6feb"


def timeline(lanes: Sequence[Lane], duration: float, marks: Sequence[tuple[float, str]] = (), width: int = 900,
             title: str = "") -> str:
    """Waveforms, VAD segments and words on one shared time axis; `marks` are vertical event lines."""
    left, right = 110, width - 10
    lane_h = {True: 60, False: 24}
    height = 20 + sum(lane_h[lane.envelope is not None] for lane in lanes) + 26
    duration = max(duration, 1e-3)
    sx = (right - left) / duration
    parts = [f'<svg class="chart timeline" data-chart="timeline" role="img" aria-label="{escape(title or "timeline")}" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    y = 14
    for lane in lanes:
        h = lane_h[lane.envelope is not None]
        parts.append(f'<text x="{left - 6}" y="{y + h / 2 + 4:.1f}" text-anchor="end" class="label">{escape(lane.name)}</text>'
                     f'<rect x="{left}" y="{y}" width="{right - left}" height="{h - 4}" class="lane"/>')
        if lane.envelope is not None:
            lo, hi = lane.envelope
            n = len(hi)
            if n:
                mid, amp = y + (h - 4) / 2, (h - 8) / 2
                xs = left + np.arange(n) * (right - left) / n
                top = " ".join(f"{x:.1f},{mid - amp * v:.1f}" for x, v in zip(xs, hi))
                bottom = " ".join(f"{x:.1f},{mid - amp * v:.1f}" for x, v in zip(xs[::-1], lo[::-1]))
                parts.append(f'<polygon points="{top} {bottom}" fill="{lane.colour}" class="wave"/>')
        for start, end, text in lane.intervals:
            x0, x1 = left + max(0.0, start) * sx, left + min(duration, end) * sx
            parts.append(f'<g class="interval"><title>{escape(text)} {start:.2f}-{end:.2f} s</title>'
                         f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(1.0, x1 - x0):.1f}" height="{h - 8}" '
                         f'fill="{lane.colour}" opacity="0.75"/>')
            if text and x1 - x0 > WORD_CHAR_PX * len(text) + 2:  # a label that does not fit stays a tooltip
                parts.append(f'<text x="{x0 + 2:.1f}" y="{y + h / 2 + 2:.1f}" class="word">{escape(text)}</text>')
            parts.append("</g>")
        y += h
    for t, label in marks:
        x = left + min(max(t, 0.0), duration) * sx
        parts.append(f'<line x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{y}" stroke="{PALETTE["event"]}" stroke-width="1" '
                     f'opacity="0.6"><title>{escape(label)} at {t:.2f} s</title></line>')
    step = _nice_max(duration / 8) if duration > 0 else 1
    t = 0.0
    while t <= duration + 1e-9:
        x = left + t * sx
        parts.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 4}" class="axis"/>'
                     f'<text x="{x:.1f}" y="{y + 16}" text-anchor="middle" class="tick">{_num(t)} s</text>')
        t += step
    parts.append("</svg>")
    return "".join(parts)
