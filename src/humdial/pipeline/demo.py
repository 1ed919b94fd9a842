"""`humdial demo`: the whole pipeline on a small fresh benchmark, offline, in a few minutes.

    gen track2 / gen track1  ->  run track2 / run track1  ->  eval track2 / eval track1 (proxy judge)  ->  report

Every stage is a typed call of the same library function the matching command calls (generate_track2,
run_dataset, run_track1, run_eval, evaluate, build_report), so the demo exercises what users run without
going back up through the CLI. A stage whose inputs an earlier stage did not produce is skipped with a
printed reason that also goes into the report; a stage that raises is marked failed and the others go on;
nothing is faked.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.table import Table

from humdial.errors import HumdialError
from humdial.results import paths
from humdial.results.demo import write_demo_meta
from humdial.results.track1 import load_emotion_report, load_track1_results
from humdial.results.track2 import Track2Results, load_track2_results
from humdial.pipeline.headline import track2_finals


EVALUATOR_ASR: tuple[str, ...] = ("zh=whisper", "en=whisper")
"""The demo's Track 2 evaluator transcribes every output itself with the bundled defaults (multilingual
whisper base for both languages, docs/asr.md); it never reads transcripts written by the system."""


@dataclass(frozen=True)
class DemoOptions:
    out: Path = Path("runs/demo")
    n: int = 3
    """Passed to both generators as --n (items per scenario or task and language, as each defines it)."""
    langs: tuple[str, ...] = ("en", "zh")
    seed: int = 2026
    jobs: int = 2
    quiet: bool = False


@dataclass
class StageOutcome:
    name: str
    status: str
    """ok | items_failed (the command finished but reported failed items) | skipped | failed."""
    note: str = ""
    seconds: float = 0.0


@dataclass
class DemoResult:
    stages: list[StageOutcome] = field(default_factory=list)
    report: Path | None = None

    def ok(self, name: str) -> bool:
        return any(s.name == name and s.status in ("ok", "items_failed") for s in self.stages)

    @property
    def skipped(self) -> list[str]:
        return [f"{s.name}: {s.note}" for s in self.stages if s.status in ("skipped", "failed")]


def _find_gold(root: Path) -> Path | None:
    """The folder holding `<lang>/HD-Track1-T*.jsonl` (or task*.jsonl) below a generator's output."""
    from humdial.layouts.track1 import find_task_files

    files = find_task_files(root) if root.is_dir() else []
    if not files:
        return None
    lang_dirs = {f.path.parent for f in files}
    parents = {d.parent for d in lang_dirs}
    return sorted(parents, key=lambda p: len(p.parts))[0]


class Demo:
    def __init__(self, options: DemoOptions, console: Console | None = None):
        self.o = options
        self.console = console or Console()
        self.result = DemoResult()
        out = options.out
        self.paths = {"data2": out / "data" / "track2", "data1": out / "data" / "track1",
                      "sys2": out / "track2" / "outputs", "sys1": out / "track1" / "system",
                      "eval2": out / "track2", "eval1": out / "track1"}

    def _stage(self, index: int, total: int, name: str, call: Callable[[], int],
               needs: tuple[str, ...] = (), check: Callable[[], str | None] | None = None) -> None:
        """Run one stage; `call` returns how many items failed (0: all fine)."""
        self.console.rule(f"[bold]{index}/{total} {name}")
        started = time.time()
        missing = [n for n in needs if not self.result.ok(n)]
        if missing:
            return self._done(StageOutcome(name, "skipped", f"needs {', '.join(missing)}, which did not run"), started)
        try:
            failed_items = call()
        except Exception as exc:  # noqa: BLE001 - one stage failing must not hide the others' results
            return self._done(StageOutcome(name, "failed", f"{type(exc).__name__}: {exc}"), started)
        problem = check() if check else None
        if problem:
            return self._done(StageOutcome(name, "failed", problem), started)
        self._done(StageOutcome(name, "items_failed" if failed_items else "ok",
                                f"finished; {failed_items} item(s) failed (see the report)" if failed_items else ""),
                   started)

    def _done(self, outcome: StageOutcome, started: float) -> None:
        outcome.seconds = round(time.time() - started, 1)
        self.result.stages.append(outcome)
        colour = {"ok": "green", "items_failed": "yellow", "skipped": "yellow", "failed": "red"}[outcome.status]
        self.console.print(f"[{colour}]{outcome.status}[/{colour}] {outcome.name} ({outcome.seconds} s) {outcome.note}")

    # --- the stages, each a typed call ---------------------------------------------------------------------------

    def _gen_track2(self) -> int:
        from humdial.generate.driver import generate_track2

        o = self.o
        return len(generate_track2(self.paths["data2"], list(o.langs), o.n, o.seed, "dev", o.jobs, quiet=o.quiet).errors)

    def _gen_track1(self) -> int:
        from humdial.generate.driver import generate_track1

        o = self.o
        return len(generate_track1(self.paths["data1"], list(o.langs), o.n, o.seed, "test", o.jobs, quiet=o.quiet).errors)

    def _run_track2(self) -> int:
        from humdial.agent.batch import Track2RunOptions, run_dataset

        o = self.o
        # The evaluator transcribes both languages itself (EVALUATOR_ASR); the agent writes no transcripts.
        summary = run_dataset(Track2RunOptions(data=self.paths["data2"], out=self.paths["sys2"], langs=o.langs,
                                               jobs=o.jobs, quiet=o.quiet, self_transcripts=False))
        return len(summary["errors"])

    def _run_track1(self) -> int:
        from humdial.empathy.runner import Track1RunOptions, run_track1

        gold = _find_gold(self.paths["data1"]) or self.paths["data1"]
        return len(run_track1(Track1RunOptions(data=gold, out=self.paths["sys1"], quiet=self.o.quiet)).errors)

    def _eval_track2(self) -> int:
        from humdial.asr.registry import parse_routes
        from humdial.evaluate.track2.pipeline import EvalOptions, run_eval
        from humdial.evaluate.track2.transcripts import TranscribeConfig
        from humdial.judge.spec import make_judge

        o, out = self.o, self.paths["eval2"]
        routes = parse_routes(list(EVALUATOR_ASR))
        own = [lang for lang, spec in routes.items() if spec.backend == "precomputed"]
        if own:
            raise HumdialError(f"the demo's evaluator must run its own ASR, not read transcripts ({', '.join(own)})")
        asr = TranscribeConfig(routes=routes, store=paths.transcripts_dir(out),
                               cache_dir=paths.asr_cache_dir(out), for_judge=True)
        judge = make_judge("proxy", track="track2", cache_dir=paths.judge_cache_dir(out))
        results = run_eval(EvalOptions(data=self.paths["data2"], out=out, outputs=self.paths["sys2"],
                                       langs=list(o.langs), jobs=o.jobs, asr=asr, judge=judge, quiet=o.quiet))
        return int(results["counts"]["with_errors"])

    def _eval_track1(self) -> int:
        from humdial.evaluate.track1.outcome import track1_outcome
        from humdial.evaluate.track1.pipeline import EvalOptions, evaluate
        from humdial.judge.spec import make_judge

        gold = _find_gold(self.paths["data1"]) or self.paths["data1"]
        results = evaluate(gold, self.paths["sys1"] / "HD-Track1", make_judge("proxy", track="track1"),
                           self.paths["eval1"], EvalOptions(langs=tuple(self.o.langs), quiet=self.o.quiet))
        return track1_outcome(results["counts"]).failed_items

    def run(self) -> DemoResult:
        o, p = self.o, self.paths
        o.out.mkdir(parents=True, exist_ok=True)
        total = 7
        self._stage(1, total, "gen track2", self._gen_track2)
        self._stage(2, total, "gen track1", self._gen_track1,
                    check=lambda: None if _find_gold(p["data1"]) else f"no Track 1 JSONL found under {p['data1']}")
        self._stage(3, total, "run track2", self._run_track2, needs=("gen track2",))
        self._stage(4, total, "run track1", self._run_track1, needs=("gen track1",))
        self._stage(5, total, "eval track2", self._eval_track2, needs=("gen track2", "run track2"))
        self._stage(6, total, "eval track1", self._eval_track1, needs=("gen track1", "run track1"))
        write_demo_meta(o.out / paths.DEMO_META, {"options": {**asdict(o), "out": str(o.out)},
                                                  "stages": [asdict(s) for s in self.result.stages],
                                                  "skipped": self.result.skipped})
        self.console.rule(f"[bold]{total}/{total} report")
        from humdial.report import ReportOptions, build_report

        self.result.report = build_report(o.out, ReportOptions(title="humdial demo report"))
        return self.result


def headline(results: Track2Results, langs: tuple[str, ...], console: Console) -> None:
    """The Track 2 final score for each language and overall, or the reason it is missing."""
    routes = (results.provenance.asr or {}).get("routes", {})
    asr = ", ".join(f"{lang}={r.get('spec', '?')}" for lang, r in sorted(routes.items())) or "unknown"
    console.print(f"[bold]Track 2 final score[/bold] ({results.mode} mode, proxy judge, transcribed by the "
                  f"evaluator's own ASR: {asr})", soft_wrap=True)
    for final in track2_finals(results, tuple(lang for lang in ("zh", "en") if lang in langs)):
        colour = "green" if final.value is not None else "yellow"
        console.print(f"  [{colour}]{final.line()}[/{colour}]", soft_wrap=True)


def scoreboard(out: Path, console: Console, langs: tuple[str, ...] = ("zh", "en")) -> None:
    """Print the headline numbers of whatever results the demo produced (read through the results models)."""
    table = Table(title="humdial demo scoreboard (our synthetic data; proxy judge: NOT comparable to official)",
                  title_justify="left")
    for col in ("track", "scope", "metric", "value"):
        table.add_column(col)
    problems: list[str] = []
    res2: Track2Results | None = None
    t2 = out / "track2" / paths.TRACK2_RESULTS
    if t2.is_file():
        try:
            res2 = load_track2_results(t2)
        except HumdialError as exc:
            problems.append(str(exc))
            res2 = None
        else:
            block = res2.block()
            for key in ("interruption_total", "rejection_total", "total_delay_s", "delay_score"):
                table.add_row("Track 2", f"overall ({res2.mode})", key, _fmt(getattr(block.overall, key)))
            for lang, lang_block in block.languages.items():
                for key in ("interruption_total", "rejection_total", "total_delay_s"):
                    table.add_row("Track 2", lang, key, _fmt(getattr(lang_block, key)))
    t1 = out / "track1" / paths.TRACK1_RESULTS
    if t1.is_file():
        try:
            res1 = load_track1_results(t1)
        except HumdialError as exc:
            problems.append(str(exc))
        else:
            table.add_row("Track 1", "overall", "final (official, needs human D2/D3)", _fmt(res1.overall.official))
            table.add_row("Track 1", "overall", "final, judge audio dims (not official)", _fmt(res1.overall.judge_audio))
            for lang, entry in res1.per_language.items():
                for code, tb in entry.tasks.items():
                    text_dim = tb.dims.get("textual_empathy_insight")
                    value = tb.avg if tb.avg is not None else (text_dim.mean if text_dim else None)
                    table.add_row("Track 1", lang, f"{code} (judge)", _fmt(value))
    emotion = out / "track1" / "system" / paths.TRACK1_EMOTION
    if emotion.is_file():
        try:
            for scope, value in load_emotion_report(emotion).accuracy.items():
                table.add_row("Track 1", scope, "emotion label accuracy (baseline)", _fmt(value))
        except HumdialError as exc:
            problems.append(str(exc))
    if table.row_count:
        console.print(table)
    else:
        console.print("[yellow]no results were produced; see the skipped stages above[/yellow]")
    if res2 is not None:
        headline(res2, langs, console)
    for problem in problems:
        console.print(f"[red]unreadable results[/red] {problem}", soft_wrap=True)


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def run_demo(options: DemoOptions, console: Console | None = None) -> DemoResult:
    console = console or Console()
    demo = Demo(options, console)
    result = demo.run()
    console.rule("[bold]scoreboard")
    scoreboard(options.out, console, tuple(options.langs))
    for line in result.skipped:
        console.print(f"[yellow]skipped[/yellow] {line}")
    console.print(f"[bold]report:[/bold] {result.report}  (open it in a browser)", soft_wrap=True)
    return result
