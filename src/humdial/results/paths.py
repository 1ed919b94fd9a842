"""Every file and folder name a stage writes into a run (or output) directory, declared once.

Writers and readers import these names; no other module spells them (a test checks it). What each
file holds, which stage writes it and which model reads it is listed in docs/run_directory.md.

    RUN/                          (`humdial eval track2` / `eval track1` --out)
      track2_results.json         Track2Results   (humdial.results.track2)
      track1_results.json         Track1Results   (humdial.results.track1)
      verdicts.jsonl              VerdictRecord lines (humdial.results.verdicts)
      judge_ratios.json           JudgeRatiosFile (Track 2 judge stage, reused by a later score-only run)
      transcripts/<id>/<role>.json  ASR transcripts (Track 2 transcribe stage)
      cache/vad  cache/asr  cache/judge   content-addressed caches (judge cache shared by both tracks)
      report.html                 `humdial report`
    OUT/                          (`humdial run track2` / `run track1` --out)
      agent_logs/...              one `<stem>.events.jsonl` per output wav (mirror of the output tree), and
                                  one `<stem>.job.json` (the key of the input and settings that made it)
      agent_run.json              the agent run's summary
      track1_emotion.json         predicted vs gold emotion per turn (Track 1 baseline)
      timelines.jsonl             the Track 1 baseline's per-dialogue timings
      errors.jsonl                one line per failed item (generators and the Track 1 baseline)
      track1_done/<key>.json      one record per answered Track 1 dialogue: its key and answer (resume)
    DATA/humdial_gen.json         the settings a `humdial gen` data set was made with (refuses to mix sets)
    demo.json                     what `humdial demo` ran and skipped
"""

from __future__ import annotations

from pathlib import Path

TRACK2_RESULTS = "track2_results.json"
TRACK1_RESULTS = "track1_results.json"
VERDICTS = "verdicts.jsonl"
JUDGE_RATIOS = "judge_ratios.json"
TRANSCRIPTS_DIR = "transcripts"
CACHE_DIR = "cache"
VAD_CACHE = "vad"
ASR_CACHE = "asr"
JUDGE_CACHE = "judge"
REPORT = "report.html"
AGENT_LOGS_DIR = "agent_logs"
AGENT_EVENTS_SUFFIX = ".events.jsonl"
AGENT_JOB_SUFFIX = ".job.json"
"""Beside each event log: the sha256 key of the input wav and settings the output was made with (resume)."""
AGENT_RUN = "agent_run.json"
TRACK1_EMOTION = "track1_emotion.json"
TRACK1_TIMELINES = "timelines.jsonl"
ERRORS = "errors.jsonl"
TRACK1_DONE_DIR = "track1_done"
"""`run track1`: one record per finished dialogue (key of its input and settings, and its answer)."""
DEMO_META = "demo.json"
GEN_STAMP = "humdial_gen.json"
"""Written by `humdial gen` into its output folder: the settings that made the data set there."""

RUN_FILE_NAMES: tuple[str, ...] = (
    TRACK2_RESULTS, TRACK1_RESULTS, VERDICTS, JUDGE_RATIOS, REPORT, AGENT_LOGS_DIR, AGENT_RUN, TRACK1_EMOTION,
    TRACK1_TIMELINES, ERRORS, DEMO_META, GEN_STAMP, TRANSCRIPTS_DIR, TRACK1_DONE_DIR, "judge_cache")
"""Names no other module may spell as a string literal ("judge_cache" is the retired Track 1 cache folder)."""


def cache_dir(run: Path) -> Path:
    return Path(run) / CACHE_DIR


def vad_cache_dir(cache_root: Path) -> Path:
    """The VAD cache below a run's cache folder (`cache_dir(run)`)."""
    return Path(cache_root) / VAD_CACHE


def asr_cache_dir(run: Path) -> Path:
    return cache_dir(run) / ASR_CACHE


def judge_cache_dir(run: Path) -> Path:
    """The verdict cache of either track's evaluation: RUN/cache/judge."""
    return cache_dir(run) / JUDGE_CACHE


def transcripts_dir(run: Path) -> Path:
    return Path(run) / TRANSCRIPTS_DIR
