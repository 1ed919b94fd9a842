"""Assemble the report: read the run directory, build each track's view, write one HTML file."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from html import escape
from pathlib import Path

from humdial.report import leaderboard
from humdial.report.bootstrap import BootstrapConfig
from humdial.report.drilldown import STATUS_LABEL, pick_samples, sample_attrs, track2_sample_html, verdict_badge
from humdial.report.fmt import MISSING, Markup, interval, percent, score, seconds, track1_score
from humdial.report.load import RunData, find_reply_audio, load_run, wav_index
from humdial.report.media import AudioBudget, load_clip
from humdial.report.page import SMALL_SAMPLE, card, filters, page, table
from humdial.report.svg import histogram
from humdial.report.track1_view import Track1View, build_track1_view
from humdial.report.track2_view import HEADLINE_KEYS, LANGUAGE_KEYS, Track2View, build_track2_view
from humdial.results import paths
from humdial.results.verdicts import VerdictRecord
from humdial.results.schema import dump
from humdial.scoring.leaderboard import RunFacts, run_facts, track1_facts
from humdial.scoring.sample_verdict import FAILED, INCOMPLETE, PASSED, VERDICTS


@dataclass(frozen=True)
class ReportOptions:
    out: Path | None = None
    """Where to write the page (default RUN_DIR/report.html)."""
    audio: str = "auto"
    """embed | link | auto (see humdial.report.media)."""
    embed_budget_mb: float = 4.0
    """auto: audio embedded up to this many MB, linked beyond (a 1,000-sample run's page stays a few MB)."""
    max_samples: int = 40
    """Samples drawn in the drill-down (errors first, then spread over languages and scenarios)."""
    bootstrap: BootstrapConfig = BootstrapConfig()
    title: str = "humdial run report"


def _iv(view_intervals: dict, key: str) -> tuple[float | None, float | None]:
    iv = view_intervals.get(key)
    return (iv.low, iv.high) if iv else (None, None)


UNITS = {"final_score": score, "interruption_total": score, "rejection_total": score, "total_delay_s": seconds,
         "delay_score": score}
"""Display format of each headline key (totals are percentages on a 0-100 scale, delays seconds)."""


def _scenario_link(lang: str, scenario: str, n: int) -> Markup:
    return Markup(f'<a class="goto" href="#track2-index" data-scope="track2-samples" data-lang="{escape(lang)}" '
                  f'data-scenario="{escape(scenario)}">{n} sample(s)</a>')


def _sample_index(view: Track2View, drawn: set[str]) -> str:
    """One row per sample (every sample, not only the drawn ones): verdict and reason, link to the drill-down."""
    rows = []
    for r in view.samples:
        v = view.verdicts.get(r.sample_id)
        sid = escape(r.sample_id)
        name = f'<a href="#s-{sid}">{sid}</a>' if r.sample_id in drawn else sid
        rows.append(f'<tr class="srow" {sample_attrs(r, v)}><td class="l">{escape(r.lang)}</td>'
                    f'<td class="l">{escape(r.unit)}</td><td class="l">{name}</td>'
                    f'<td class="l">{verdict_badge(v)}</td><td class="l reason">{escape(v.reason if v else "")}</td>'
                    f'<td class="l">{escape(STATUS_LABEL.get(r.status, r.status))}</td></tr>')
    return ('<div class="scroll index"><table class="index"><tr><th class="l">lang</th><th class="l">unit</th>'
            '<th class="l">sample</th><th class="l">verdict</th><th class="l">why</th><th class="l">evaluation</th></tr>'
            + "".join(rows) + "</table></div>")


def _track2_section(view: Track2View, data: RunData, opts: ReportOptions, report_dir: Path,
                    budget: AudioBudget) -> tuple[str, dict]:
    proxy = "PROXY" in view.judge_note
    n_samples = len(view.samples)
    why = {k: r.why for k, r in view.overall.unavailable.items()}
    incomplete = (f"evaluation incomplete: {view.overall.incomplete} sample(s) could not be checked (no transcript "
                  "or no judge verdict) and are left out, not counted as failures" if view.overall.incomplete else "")
    cards = "".join(card(name, getattr(view.overall, key), UNITS[key], *_iv(view.intervals, key), key=f"track2/{key}",
                         proxy=proxy and key in ("final_score", "interruption_total", "rejection_total"), n=n_samples,
                         why=why.get(key, ""), extra=incomplete if key in ("final_score", "interruption_total",
                                                                            "rejection_total") else "")
                    for key, name, _ in HEADLINE_KEYS)
    lang_rows = []
    for lang, b in view.languages.items():
        ivs = view.language_intervals.get(lang, {})
        n_lang = sum(r.lang == lang for r in view.samples)
        lang_why = "; ".join(f"{k.replace('_', ' ')}: {r.why}" for k, r in b.unavailable.items())
        lang_rows.append([lang, n_lang, b.incomplete or 0, score(b.interruption_total),
                          _ci(ivs, "interruption_total", score), score(b.rejection_total),
                          _ci(ivs, "rejection_total", score), seconds(b.total_delay_s),
                          _ci(ivs, "total_delay_s", seconds), lang_why])
    scen_rows = [[r["lang"], r["scenario"], r["category"], _scenario_link(r["lang"], r["id"], r["n"]), r["errors"],
                  r["passed"], r["failed"], r["incomplete"], r["headline"], r["stop_latency"], r["response_latency"],
                  r["first_response_delay"], r["note"]] for r in view.scenario_rows]
    final = view.overall.final_score
    facts = run_facts(dump(data.track2)) if data.track2 is not None else run_facts(None)
    if proxy and not facts.proxy:  # tags from the proxy judge reused from the verdict log
        facts = RunFacts("offline proxy (NOT comparable to official LLM-judged scores)", facts.data, facts.languages,
                         facts.samples, facts.failed)
    chart, chart_note = leaderboard.track2_chart(final, view.intervals.get("final_score"), facts,
                                                 why_missing=why.get("final_score", ""))
    hists = "".join(histogram(view.latencies[k], title) for k, title in
                    (("stop", "Stop latency (s)"), ("response", "Response latency (s)"),
                     ("first_response", "First-response delay (s)")))
    failed = {sid for sid, v in view.verdicts.items() if v.verdict == FAILED}
    chosen = pick_samples(view.samples, opts.max_samples, failed)
    samples_html = "".join(track2_sample_html(r, data.verdicts, data.run_dir, report_dir, budget,
                                              view.verdicts.get(r.sample_id)) for r in chosen)
    langs = sorted({r.lang for r in view.samples})
    scenarios = sorted({r.unit.split(".")[0] for r in view.samples})
    counts = view.counts
    verdict_counts = {k: sum(v.verdict == k for v in view.verdicts.values()) for k in VERDICTS}
    unavailable = _unavailable_html(view)
    incomplete_note = f"<p class='note'>{escape(incomplete)}.</p>" if incomplete else ""
    small = (f"<p class='note'>Only {n_samples} samples: every interval rests on fewer than {SMALL_SAMPLE} samples "
             "per group and is unreliable.</p>" if n_samples < SMALL_SAMPLE else "")
    html = (f'<section class="block" id="track2"><h2>Track 2 - full-duplex interaction <span class="badge">mode: {escape(view.mode)}</span></h2>'
            f'<p class="muted">{escape(view.judge_note)}. Samples: {counts.samples} '
            f'(evaluated {counts.ok}, evaluation errors {counts.with_errors}); against the scenario criterion: '
            f'passed {verdict_counts[PASSED]}, failed {verdict_counts[FAILED]}, incomplete (not checkable) '
            f'{verdict_counts[INCOMPLETE]}. '
            f'Intervals: stratified bootstrap over samples ({opts.bootstrap.replicates} replicates, '
            f'{int(opts.bootstrap.confidence * 100)}%).</p>'
            f'<div class="cards">{cards}</div>{small}{incomplete_note}{unavailable}'
            f'<h3>Per language</h3>{table(["language", "samples", "incomplete", "interruption", "95% CI", "rejection", "95% CI", "total delay (s)", "95% CI", "why unavailable"], lang_rows)}'
            f'<h3>Per scenario</h3><p class="muted">headline: percentage of the scenario criterion (judge ratio or '
            f'rejection rate); latencies in seconds; "samples" filters the sample list below.</p>'
            f'{table(["lang", "scenario", "category", "samples", "errors", "passed", "failed", "incomplete", "headline", "stop (s)", "response (s)", "first response (s)", "note"], scen_rows, left=3, cls="scenarios", formats={8: percent, 9: seconds, 10: seconds, 11: seconds})}'
            f'<h3>Leaderboard</h3><p class="muted">{escape(leaderboard.CAVEAT)}</p>'
            f'<div class="scroll">{chart}</div>' + (f'<p class="note">{escape(chart_note)}</p>' if chart_note else "")
            + f'<h3>Latency distributions</h3><div class="charts">{hists}</div>'
            f'<div id="track2-samples"><h3 id="track2-index">Samples ({n_samples}; {len(chosen)} drawn in detail)</h3>'
            f'{filters("track2-samples", {"lang": langs, "scenario": scenarios, "verdict": [FAILED, PASSED, INCOMPLETE], "status": list(STATUS_LABEL.values())})}'
            f'{_sample_index(view, {r.sample_id for r in chosen})}'
            f'<h3>Drill-downs</h3>{samples_html}</div></section>')
    summary = {"mode": view.mode, "overall": {k: getattr(view.overall, k) for k, _, _ in HEADLINE_KEYS},
               "intervals": {k: iv.as_dict() for k, iv in view.intervals.items()},
               "languages": {lang: {k: getattr(b, k) for k in LANGUAGE_KEYS} for lang, b in view.languages.items()},
               "samples_drawn": len(chosen), "scenarios": view.scenario_rows, "verdict_counts": verdict_counts,
               "verdicts": {sid: v.as_dict() for sid, v in view.verdicts.items()},
               "unavailable": [u.model_dump() for u in view.unavailable],
               "placement": {"comparable": facts.comparable, "facts": facts.caveat()}}
    return html, summary


def _unavailable_html(view: Track2View) -> str:
    """Values that cannot be computed, grouped by cause (one line per cause, the places it hits, the full
    sentences folded under it)."""
    if not view.unavailable:
        return ""
    groups: dict[tuple[str, str], list] = {}
    for u in view.unavailable:
        groups.setdefault((u.reason, u.cause or u.why), []).append(u)
    items = []
    for (code, cause), entries in groups.items():
        places = ", ".join(f"{u.where} {u.metric.removesuffix('_s').replace('_', ' ')}" for u in entries)
        details = "".join(f"<li>{escape(u.where)} {escape(u.metric.replace('_', ' '))}: {escape(u.why)}</li>"
                          for u in entries)
        items.append(f'<li data-reason="{escape(code)}"><b>{escape(cause)}</b> [{escape(code)}]: {escape(places)}'
                     f"<details><summary>why, in full</summary><ul>{details}</ul></details></li>")
    return ("<p class='note'>Values that cannot be computed (shown as n/a), by cause:</p>"
            f"<ul class='notes unavailable'>{''.join(items)}</ul>")


def _ci(ivs: dict, key: str, fmt) -> str:
    iv = ivs.get(key)
    return interval(iv.low, iv.high, "s" if fmt is seconds else "score") if iv else MISSING


def _track1_items_html(view: Track1View, verdicts: dict[tuple[str, str], VerdictRecord], run_dir: Path,
                       report_dir: Path, budget: AudioBudget, limit: int) -> str:
    rows = []
    index = wav_index(run_dir) if any(it.audio for it in view.items[:limit]) else {}
    for it in view.items[:limit]:
        verdict = verdicts.get((it.task, it.dialogue_id))
        scores = ", ".join(f"{k}={track1_score(v)}" for k, v in it.scores.items()) or "-"
        where = find_reply_audio(it.audio, it.lang, run_dir, index)
        clip = load_clip(where, report_dir, budget) if where else None
        player = (f'<audio controls preload="none" src="{escape(clip.src or "")}"></audio>' if clip else
                  f'<span class="muted">{escape(it.audio)} not found under the run directory</span>' if it.audio
                  else '<span class="muted">no reply audio</span>')
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
    cards = card("Official final (overall)", view.finals.get("overall"), track1_score, key="track1/official/overall",
                 why=view.why.get("official", ""))
    cards += "".join(card(f"Final, judge audio dims ({k}) - not official", view.substitutes.get(k),
                          track1_score, *_iv(view.intervals, k), key=f"track1/substitute/{k}", proxy=view.proxy,
                          why=view.why.get(f"substitute/{k}", ""))
                     for k in ["overall"] + langs)
    emotion_html = ""
    if view.emotion is not None:
        acc = view.emotion.accuracy
        emotion_html = "<h3>Baseline emotion recognition (per user turn, against the gold labels)</h3><div class='cards'>" + "".join(
            card(f"Emotion accuracy ({k})", acc.get(k), percent, *_iv(view.emotion_intervals, k), key=f"track1/emotion/{k}")
            for k in ["overall"] + sorted(k for k in acc if k != "overall")) + "</div>"
        matrix = view.emotion.confusion
        if matrix:
            labels = sorted({g for g in matrix} | {p for row in matrix.values() for p in row})
            emotion_html += "<p class='muted'>Confusion matrix: rows gold, columns predicted.</p>" + table(
                ["gold \\ predicted"] + labels, [[g] + [matrix.get(g, {}).get(p, 0) for p in labels] for g in labels])
    facts = track1_facts(dump(data.track1) if data.track1 is not None else None)
    if view.proxy and not facts.proxy:
        facts = RunFacts("offline proxy (NOT comparable to official LLM-judged scores)", facts.data, facts.languages,
                         facts.samples, facts.failed)
    chart, chart_note = leaderboard.track1_chart(view.finals.get("overall") if view.finals.get("overall") is not None
                                                 else view.substitutes.get("overall"),
                                                 view.intervals.get("overall"), facts,
                                                 "this run" if view.finals.get("overall") is not None
                                                 else "this run (judge audio dims, not official)",
                                                 why_missing="no official final (needs human D2/D3) and no "
                                                             "substitute final (some task lacks judge scores)")
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in view.notes)
    html = (f'<section class="block" id="track1"><h2>Track 1 - emotional intelligence'
            + (' <span class="badge proxy">proxy judge</span>' if view.proxy else "") + "</h2>"
            f'<p class="muted">Judge: {escape(view.judge)}. Intervals: stratified bootstrap over dialogues '
            f'({opts.bootstrap.replicates} replicates).</p><div class="cards">{cards}</div>{notes}{emotion_html}'
            f'<h3>Per language, task and dimension</h3>'
            f'{table(["lang", "task", "dimension", "mean", "n", "source"], view.task_rows, left=3, formats={3: track1_score})}'
            f'<h3>Leaderboard</h3><p class="muted">{escape(leaderboard.CAVEAT)}</p>'
            f'<div class="scroll">{chart}</div>' + (f'<p class="note">{escape(chart_note)}</p>' if chart_note else "")
            + f'<h3>Dialogues ({min(len(view.items), opts.max_samples * 3)} of {len(view.items)})</h3>'
            f'<div class="scroll">{_track1_items_html(view, data.verdicts, data.run_dir, report_dir, budget, opts.max_samples * 3)}</div></section>')
    return html, {"finals": view.finals, "substitutes": view.substitutes, "proxy": view.proxy,
                  "placement": {"comparable": facts.comparable, "facts": facts.caveat()},
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
        chart2, _ = leaderboard.track2_chart(None, None, run_facts(None))
        chart1, _ = leaderboard.track1_chart(None, None, track1_facts(None))
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
