"""The comparison as one self-contained HTML page: differences with paired intervals, and the samples
(Track 2) and items (Track 1) whose verdict or scores changed, each run's view side by side."""

from __future__ import annotations

import datetime as _dt
from html import escape
from pathlib import Path

from humdial.protocol.track1 import Task
from humdial.report.compare import Comparison, Pair, RunSide
from humdial.report.compare_track1 import ItemChange, Track1Pair, Track1Side, outcome
from humdial.report.difference import Difference
from humdial.report.drilldown import track2_sample_html
from humdial.report.fmt import MISSING, Markup, by_unit, track1_score
from humdial.report.load import find_reply_audio, wav_index
from humdial.report.media import AudioBudget, load_clip
from humdial.report.page import SMALL_SAMPLE, page, table
from humdial.results.track1 import ItemRecord

EXTRA_CSS = (".pair{display:grid;grid-template-columns:1fr 1fr;gap:12px;border-top:2px solid #cbd5e0;margin-top:10px}"
             ".pair>div{overflow-x:auto;min-width:0}.better{color:#276749}.worse{color:#c53030}"
             ".pair dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:4px 0}"
             ".pair dt{color:#4a5568}.pair dd{margin:0}.pair svg.chart{max-width:100%;height:auto}"
             "table.diffs td:last-child,table.diffs th:last-child{text-align:left}")
LOWER_IS_BETTER = ("total_delay_s", "first_response_delay")
MAX_FLIPS_DRAWN = 30
"""Flipped samples (Track 2) / changed items (Track 1) drawn side by side per pair (all are listed)."""

LABELS = {"final_score": "final", "interruption_total": "interruption", "rejection_total": "rejection",
          "total_delay_s": "total delay (s)", "delay_score": "delay score", "headline": "headline (%)",
          "first_response_delay": "first resp (s)"}
HEADERS = ["lang", "scenario", "value", "A", "B", "B - A", "95% CI of B - A", "reading"]
TRACK1_HEADERS = ["lang", "task", "value", "A", "B", "B - A", "95% CI of B - A", "reading"]


def shown(x: float | None, unit: str) -> str:
    """Track 1 scores at 2 dp (as published), everything else by `fmt.by_unit`."""
    return track1_score(x) if unit == "t1" else by_unit(x, unit)


def _signed(d: Difference) -> str:
    if d.diff is None:
        return MISSING
    return ("+" if d.diff > 0 else "-" if d.diff < 0 else "") + shown(abs(d.diff), d.unit)


def _interval(d: Difference) -> str:
    iv = d.interval
    if iv is None or iv.low is None or iv.high is None:
        return MISSING
    return f"[{shown(iv.low, d.unit)}, {shown(iv.high, d.unit)}]"


def _significance(d: Difference) -> str:
    iv = d.interval
    if d.diff is None:
        return MISSING
    if iv is None or iv.low is None or iv.high is None or iv.low <= 0 <= iv.high:
        return "no clear difference"
    better = (d.diff < 0) == (d.key in LOWER_IS_BETTER)
    return "B better" if better else "B worse"


def difference_rows(differences: list[Difference], total: str = "(total)") -> list[list[str]]:
    """Rows with a value in at least one run (values neither run has are left out); all cells are text."""
    return [[d.lang, d.scenario or total, LABELS.get(d.key, d.key), shown(d.a, d.unit), shown(d.b, d.unit), _signed(d),
             _interval(d), _significance(d)]
            for d in differences if d.a is not None or d.b is not None]


def _coloured(rows: list[list[str]]) -> list[list[object]]:
    """The page's rows: a clear difference coloured (green B better, red B worse)."""
    cls = {"B better": "better", "B worse": "worse"}
    return [r[:-1] + [Markup(f'<span class="{cls[r[-1]]}">{escape(r[-1])}</span>') if r[-1] in cls else r[-1]]
            for r in rows]


def _warn(shared: int, what: str) -> str:
    return (f"<p class='note'>Only {shared} shared {what}: intervals from fewer than {SMALL_SAMPLE} are "
            "unreliable.</p>" if shared < SMALL_SAMPLE else "")


def _title(track: str, a: str, b: str, mode: str) -> str:
    return (f'<h2>{track}: B = <code>{escape(b)}</code> vs A = <code>{escape(a)}</code>'
            f' <span class="badge">mode: {escape(mode)}</span></h2>')


def _pair_html(pair: Pair, sides: dict[str, RunSide], report_dir: Path, budget: AudioBudget) -> str:
    a, b = sides[pair.a], sides[pair.b]
    flips = [[f.sample_id, f.a.verdict, f.a.reason, f.b.verdict, f.b.reason] for f in pair.flips]
    drawn = []
    for f in pair.flips[:MAX_FLIPS_DRAWN]:
        left = track2_sample_html(a.records[f.sample_id], a.data.verdicts, a.data.run_dir, report_dir, budget,
                                  f.a, anchor="a-")
        right = track2_sample_html(b.records[f.sample_id], b.data.verdicts, b.data.run_dir, report_dir, budget,
                                   f.b, anchor="b-")
        drawn.append(f'<div class="pair" data-sample="{escape(f.sample_id)}"><div><b>A</b> {left}</div>'
                     f'<div><b>B</b> {right}</div></div>')
    return (f'<section class="block compare" data-track="track2">{_title("Track 2", pair.a, pair.b, pair.mode)}'
            f'<p class="muted">Shared samples {pair.shared}; only in A {pair.only_a}; only in B {pair.only_b}. '
            f'Differences are B - A over the shared samples, with a paired stratified bootstrap 95% interval.</p>'
            + _warn(pair.shared, "samples")
            + table(HEADERS, _coloured(difference_rows(pair.differences)), left=3, cls="diffs")
            + f'<h3>Samples whose verdict flipped ({len(pair.flips)})</h3>'
            + (table(["sample", "A", "A: why", "B", "B: why"], flips, left=5) if flips else "<p>none</p>")
            + (f'<h3>Flipped samples side by side ({len(drawn)} drawn)</h3>' + "".join(drawn) if drawn else "")
            + "</section>")


class _ReplyFinder:
    """Track 1 reply wavs of one run, indexed once (names only in the results)."""

    def __init__(self, side: Track1Side) -> None:
        self.side = side
        self.index = wav_index(side.data.run_dir)

    def player(self, item_id: str, other: ItemRecord, report_dir: Path, budget: AudioBudget) -> str:
        """The item's reply player. An item the evaluator did not judge (missing, wrong language) records no
        audio name; the other run's name for the same dialogue is looked for then, so both sides can be heard."""
        item = self.side.items[item_id]
        name = item.audio or other.audio
        where = find_reply_audio(name, item.lang, self.side.data.run_dir, self.index)
        clip = load_clip(where, report_dir, budget) if where else None
        if clip is not None:
            return (f'<audio controls preload="none" src="{escape(clip.src or "")}"></audio>'
                    + ("" if item.audio else ' <span class="muted">(not judged)</span>'))
        if name:
            return f'<span class="muted">{escape(name)} not found under the run directory</span>'
        if item.task == Task.EMPATHY.code:
            return f'<span class="muted">no reply audio recorded for this item ({escape(item.status)})</span>'
        return '<span class="muted">none (Task 1 and 2 are judged on text)</span>'


def _item_html(side: Track1Side, finder: _ReplyFinder, other: ItemRecord, item_id: str, report_dir: Path,
               budget: AudioBudget) -> str:
    item = side.items[item_id]
    verdict = side.data.verdicts.get((item.task, item.dialogue_id))
    reason = (verdict.reason or verdict.error) if verdict else item.reason
    scores = ", ".join(f"{k} {track1_score(v)}" for k, v in item.scores.items()) or MISSING
    notes = "".join(f"<br><span class='warn'>{escape(n)}</span>" for n in item.notes)
    return (f'<dl><dt>outcome</dt><dd><b>{escape(outcome(item))}</b></dd><dt>scores</dt><dd>{escape(scores)}</dd>'
            f'<dt>judge</dt><dd class="reason">{escape(reason or MISSING)}{notes}</dd>'
            f'<dt>reply audio</dt><dd>{finder.player(item_id, other, report_dir, budget)}</dd></dl>')


def _change_row(c: ItemChange) -> list[str]:
    return [c.item_id, outcome(c.a), outcome(c.b), track1_score(c.mean_a), track1_score(c.mean_b),
            MISSING if c.diff is None else f"{c.diff:+.2f}"]


def _track1_pair_html(pair: Track1Pair, sides: dict[str, Track1Side], report_dir: Path, budget: AudioBudget) -> str:
    a, b = sides[pair.a], sides[pair.b]
    fa, fb = _ReplyFinder(a), _ReplyFinder(b)
    drawn = [f'<div class="pair" data-item="{escape(c.item_id)}"><div><b>A</b> <code>{escape(c.item_id)}</code>'
             f'{_item_html(a, fa, c.b, c.item_id, report_dir, budget)}</div><div><b>B</b> <code>{escape(c.item_id)}</code>'
             f'{_item_html(b, fb, c.a, c.item_id, report_dir, budget)}</div></div>' for c in pair.changes[:MAX_FLIPS_DRAWN]]
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in pair.notes)
    return (f'<section class="block compare" data-track="track1">{_title("Track 1", pair.a, pair.b, pair.mode)}'
            f'<p class="muted">Shared items {pair.shared}; only in A {pair.only_a}; only in B {pair.only_b}. '
            f'Judge scores (1-5) per dimension and task, and the final with the judge\'s audio scores for T3 D2/D3 '
            f'(NOT official: the official final needs human ratings). B - A over the shared items with a paired '
            f'bootstrap 95% interval stratified by language and task.</p>{notes}'
            + _warn(pair.shared, "items")
            + table(TRACK1_HEADERS, _coloured(difference_rows(pair.differences, "(final)")), left=3, cls="diffs")
            + f'<h3>Items whose outcome or scores changed ({len(pair.changes)})</h3>'
            + (table(["item", "A", "B", "A mean score", "B mean score", "B - A"], [_change_row(c) for c in pair.changes],
                     left=3)
               if pair.changes else "<p>none</p>")
            + (f'<h3>Changed items side by side ({len(drawn)} drawn, largest change first)</h3>' + "".join(drawn)
               if drawn else "")
            + "</section>")


def comparison_data(cmp: Comparison) -> dict:
    """The page's numbers as JSON (`window.humdialReport`), for tests and scripts."""
    return {"runs": cmp.runs, "mode": cmp.mode, "notes": cmp.notes,
            "pairs": [{"a": p.a, "b": p.b, "mode": p.mode, "shared": p.shared,
                       "differences": [d.as_dict() for d in p.differences],
                       "flips": [{"sample_id": f.sample_id, "a": f.a.as_dict(), "b": f.b.as_dict()} for f in p.flips]}
                      for p in cmp.track2],
            "track1_pairs": [{"a": p.a, "b": p.b, "mode": p.mode, "shared": p.shared, "notes": p.notes,
                              "differences": [d.as_dict() for d in p.differences],
                              "changes": [c.as_dict() for c in p.changes]} for p in cmp.track1]}


def write_compare_page(cmp: Comparison, out: Path, audio: str = "auto", embed_budget_mb: float = 4.0) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    budget = AudioBudget(mode=audio, limit_bytes=int(embed_budget_mb * 1024 * 1024))
    sides2 = {s.name: s for s in cmp.track2_sides}
    sides1 = {s.name: s for s in cmp.track1_sides}
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in cmp.notes)
    body = (notes + "".join(_pair_html(p, sides2, out.parent, budget) for p in cmp.track2)
            + "".join(_track1_pair_html(p, sides1, out.parent, budget) for p in cmp.track1))
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    html = page("humdial run comparison", f"{len(cmp.runs)} runs, mode {cmp.mode} - generated {stamp} by humdial",
                body, comparison_data(cmp))
    out.write_text(html.replace("</style>", EXTRA_CSS + "</style>", 1), encoding="utf-8")
    return out
