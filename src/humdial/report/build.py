"""Assemble the report: read the run directory, build each track's view, write one HTML file."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from html import escape
from pathlib import Path

from humdial.report import leaderboard
from humdial.report.bootstrap import BootstrapConfig
from humdial.report.drilldown import pick_samples, track2_sample_html
from humdial.report.load import RunData, load_run
from humdial.report.media import AudioBudget, load_clip
from humdial.report.page import card, filters, page, table
from humdial.report.svg import histogram
from humdial.report.track1_view import Track1View, build_track1_view
from humdial.report.track2_view import HEADLINE_KEYS, LANGUAGE_KEYS, Track2View, build_track2_view
from humdial.results import paths
from humdial.results.verdicts import VerdictRecord


@dataclass(frozen=True)
class ReportOptions:
    out: Path | None = None
    """Where to write the page (default RUN_DIR/report.html)."""
    audio: str = "auto"
    """embed | link | auto (see humdial.report.media)."""
    embed_budget_mb: float = 20.0
    max_samples: int = 40
    """Samples drawn in the drill-down (errors first, then spread over languages and scenarios)."""
    bootstrap: BootstrapConfig = BootstrapConfig()
    title: str = "humdial run report"


def _iv(view_intervals: dict, key: str) -> tuple[float | None, float | None]:
    iv = view_intervals.get(key)
    return (iv.low, iv.high) if iv else (None, None)


def _track2_section(view: Track2View, data: RunData, opts: ReportOptions, report_dir: Path,
                    budget: AudioBudget) -> tuple[str, dict]:
    proxy = "PROXY" in view.judge_note
    cards = "".join(card(name, getattr(view.overall, key), unit, *_iv(view.intervals, key), key=f"track2/{key}",
                         proxy=proxy and key in ("final_score", "interruption_total", "rejection_total"))
                    for key, name, unit in HEADLINE_KEYS)
    lang_rows = [[lang, b.interruption_total, b.rejection_total, b.total_delay_s,
                  " ".join(f"{k}: [{iv.low:g}, {iv.high:g}]" for k, iv in view.language_intervals.get(lang, {}).items()
                           if iv.low is not None)]
                 for lang, b in view.languages.items()]
    scen_rows = [[r["lang"], r["scenario"], r["category"], r["n"], r["errors"], r["headline"], r["stop_latency"],
                  r["response_latency"], r["first_response_delay"], r["note"]] for r in view.scenario_rows]
    final = view.overall.final_score
    chart, chart_note = leaderboard.track2_chart(final, view.intervals.get("final_score"), proxy)
    hists = "".join(histogram(view.latencies[k], title) for k, title in
                    (("stop", "Stop latency (s)"), ("response", "Response latency (s)"),
                     ("first_response", "First-response delay (s)")))
    chosen = pick_samples(view.samples, opts.max_samples)
    samples_html = "".join(track2_sample_html(r, data.verdicts, data.run_dir, report_dir, budget) for r in chosen)
    langs = sorted({r.lang for r in view.samples})
    units = sorted({r.unit for r in view.samples})
    counts = view.counts
    pending = ("<p class='note'>Pending (needs the behaviour judge): " + escape("; ".join(view.pending)) + "</p>"
               if view.pending else "")
    html = (f'<section class="block" id="track2"><h2>Track 2 - full-duplex interaction <span class="badge">mode: {escape(view.mode)}</span></h2>'
            f'<p class="muted">{escape(view.judge_note)}. Samples: {counts.samples}, '
            f'ok {counts.ok}, with errors {counts.with_errors}. Intervals: stratified bootstrap over '
            f'samples ({opts.bootstrap.replicates} replicates, {int(opts.bootstrap.confidence * 100)}%).</p>'
            f'<div class="cards">{cards}</div>{pending}'
            f'<h3>Per language</h3>{table(["language", "interruption", "rejection", "total delay (s)", "95% CI"], lang_rows)}'
            f'<h3>Per scenario</h3>{table(["lang", "scenario", "category", "n", "errors", "headline", "stop (s)", "response (s)", "first response (s)", "note"], scen_rows, left=3, cls="scenarios")}'
            f'<h3>Leaderboard</h3><p class="muted">{escape(leaderboard.CAVEAT)} {escape(leaderboard.PROXY_NOTE)}</p>'
            f'<div class="scroll">{chart}</div>' + (f'<p class="note">{escape(chart_note)}</p>' if chart_note else "")
            + f'<h3>Latency distributions</h3><div class="charts">{hists}</div>'
            f'<h3>Samples ({len(chosen)} of {len(view.samples)} drawn)</h3>{filters("track2-samples", langs, units)}'
            f'<div id="track2-samples">{samples_html}</div></section>')
    summary = {"mode": view.mode, "overall": {k: getattr(view.overall, k) for k, _, _ in HEADLINE_KEYS},
               "intervals": {k: iv.as_dict() for k, iv in view.intervals.items()},
               "languages": {lang: {k: getattr(b, k) for k in LANGUAGE_KEYS} for lang, b in view.languages.items()}, "samples_drawn": len(chosen), "scenarios": view.scenario_rows}
    return html, summary


def _track1_items_html(view: Track1View, verdicts: dict[tuple[str, str], VerdictRecord], report_dir: Path,
                       budget: AudioBudget, limit: int) -> str:
    rows = []
    for it in view.items[:limit]:
        verdict = verdicts.get((it.task, it.dialogue_id))
        scores = ", ".join(f"{k}={v}" for k, v in it.scores.items()) or "-"
        clip = load_clip(it.audio, report_dir, budget) if it.audio else None
        player = f'<audio controls preload="none" src="{escape(clip.src or "")}"></audio>' if clip else ""
        reason = (verdict.reason if verdict else "") or it.reason
        rows.append(f'<tr><td class="l">{escape(it.lang)}</td><td class="l">{escape(it.task)}</td>'
                    f'<td class="l">{escape(it.dialogue_id)}</td><td class="l">{escape(it.status)}</td>'
                    f'<td class="l">{escape(scores)}</td><td class="l reason">{escape(reason)}</td>'
                    f'<td class="l">{player}</td></tr>')
    return ('<table class="items"><tr><th class="l">lang</th><th class="l">task</th><th class="l">dialogue</th>'
            '<th class="l">status</th><th class="l">scores</th><th class="l">judge reason</th><th class="l">reply audio</th></tr>'
            + "".join(rows) + "</table>")


def _track1_section(view: Track1View, data: RunData, opts: ReportOptions, report_dir: Path,
                    budget: AudioBudget) -> tuple[str, dict]:
    langs = sorted(k for k in view.substitutes if k != "overall")
    cards = card("Official final (overall)", view.finals.get("overall"), key="track1/official/overall")
    cards += "".join(card(f"Final, judge audio dims ({k}) - not official", view.substitutes.get(k),
                          "", *_iv(view.intervals, k), key=f"track1/substitute/{k}", proxy=view.proxy)
                     for k in ["overall"] + langs)
    emotion_html = ""
    if view.emotion is not None:
        acc = view.emotion.accuracy
        emotion_html = "<h3>Baseline emotion recognition (per user turn, against the gold labels)</h3><div class='cards'>" + "".join(
            card(f"Emotion accuracy ({k})", acc.get(k), "", *_iv(view.emotion_intervals, k), key=f"track1/emotion/{k}")
            for k in ["overall"] + sorted(k for k in acc if k != "overall")) + "</div>"
        matrix = view.emotion.confusion
        if matrix:
            labels = sorted({g for g in matrix} | {p for row in matrix.values() for p in row})
            emotion_html += "<p class='muted'>Confusion matrix: rows gold, columns predicted.</p>" + table(
                ["gold \\ predicted"] + labels, [[g] + [matrix.get(g, {}).get(p, 0) for p in labels] for g in labels])
    chart, chart_note = leaderboard.track1_chart(view.finals.get("overall") if view.finals.get("overall") is not None
                                                 else view.substitutes.get("overall"),
                                                 view.intervals.get("overall"), view.proxy,
                                                 "this run" if view.finals.get("overall") is not None
                                                 else "this run (not official)")
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in view.notes)
    html = (f'<section class="block" id="track1"><h2>Track 1 - emotional intelligence'
            + (' <span class="badge proxy">proxy judge</span>' if view.proxy else "") + "</h2>"
            f'<p class="muted">Judge: {escape(view.judge)}. Intervals: stratified bootstrap over dialogues '
            f'({opts.bootstrap.replicates} replicates).</p><div class="cards">{cards}</div>{notes}{emotion_html}'
            f'<h3>Per language, task and dimension</h3>'
            f'{table(["lang", "task", "dimension", "mean", "n", "source"], view.task_rows, left=3)}'
            f'<h3>Leaderboard</h3><p class="muted">{escape(leaderboard.CAVEAT)} {escape(leaderboard.PROXY_NOTE)}</p>'
            f'<div class="scroll">{chart}</div>' + (f'<p class="note">{escape(chart_note)}</p>' if chart_note else "")
            + f'<h3>Dialogues ({min(len(view.items), opts.max_samples * 3)} of {len(view.items)})</h3>'
            f'<div class="scroll">{_track1_items_html(view, data.verdicts, report_dir, budget, opts.max_samples * 3)}</div></section>')
    return html, {"finals": view.finals, "substitutes": view.substitutes, "proxy": view.proxy,
                  "intervals": {k: iv.as_dict() for k, iv in view.intervals.items()},
                  "emotion_accuracy": view.emotion.accuracy if view.emotion is not None else None,
                  "emotion_intervals": {k: iv.as_dict() for k, iv in view.emotion_intervals.items()}}


def build_report(run_dir: str | Path, options: ReportOptions = ReportOptions()) -> Path:
    """Write the report and return its path. Missing parts are explained on the page, never fatal."""
    run_dir = Path(run_dir)
    data = load_run(run_dir)
    out = options.out or run_dir / paths.REPORT
    out.parent.mkdir(parents=True, exist_ok=True)
    budget = AudioBudget(mode=options.audio, limit_bytes=int(options.embed_budget_mb * 1024 * 1024))
    sections: list[str] = []
    summary: dict = {"run_dir": str(run_dir), "notes": data.notes}
    if data.track2 is not None:
        html, summary["track2"] = _track2_section(build_track2_view(data.track2, data.verdicts, options.bootstrap),
                                                  data, options, out.parent, budget)
        sections.append(html)
    if data.track1 is not None or data.emotion is not None:
        html, summary["track1"] = _track1_section(build_track1_view(data.track1, data.emotion, options.bootstrap),
                                                  data, options, out.parent, budget)
        sections.append(html)
    if not sections:
        chart2, _ = leaderboard.track2_chart(None, None, False)
        chart1, _ = leaderboard.track1_chart(None, None, False)
        sections.append(f'<section class="block"><h2>No results yet</h2><p>This run directory holds no results file. '
                        f'The published leaderboards are shown for reference.</p>{chart2}{chart1}</section>')
    notes = "".join(f"<li>{escape(n)}</li>" for n in data.notes)
    demo = data.demo.skipped if data.demo is not None else None
    demo_html = ("".join(f"<li>{escape(s)}</li>" for s in demo) if demo else "")
    head = (f'<section class="block"><h2>About this run</h2><p>Run directory: <code>{escape(str(run_dir))}</code>. '
            f'Audio: {budget.embedded} clip(s) embedded, {budget.linked} linked relative to this file.</p>'
            + (f'<ul class="notes">{notes}</ul>' if notes else "")
            + (f'<h3>Stages the demo skipped</h3><ul class="notes">{demo_html}</ul>' if demo_html else "") + "</section>")
    summary["audio"] = {"embedded": budget.embedded, "linked": budget.linked}
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out.write_text(page(options.title, f"{run_dir} - generated {stamp} by humdial", head + "".join(sections), summary),
                   encoding="utf-8")
    return out
