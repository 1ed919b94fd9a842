"""`humdial run track1`: answer every dialogue of a Track 1 data set and write an HD-Track1 submission.

Reads `<lang>/HD-Track1-T{1,2,3}.jsonl` (or `task*.jsonl`) below `--data`; for each dialogue, turn by turn,
labels the user's emotion from what is known up to that turn (never the gold label), replies, and on
Task 3 speaks every reply with prosody matched to the user's state. The user's words come from ASR of
their audio or from the data's transcripts (`--user-text`, empathy/hearing.py). Writes:

    OUT/HD-Track1/<lang>/HD-Track1-T{1,2,3}.jsonl, HD-Track1-T3/{dialogue_id}_{turn_id}_response.wav,
    OUT/HD-Track1/humdial-baseline_System_Description.pdf
    OUT/timelines.jsonl          the emotion timeline of every dialogue, with the user's words as heard
    OUT/track1_emotion.json      predicted vs gold label per turn (when the data carries gold labels)
    OUT/errors.jsonl             one line per item that failed, with the reason
    OUT/track1_done/<key>.json   one record per finished dialogue (resume)

Resume: a dialogue's record is written after its Task 3 audio, and holds the dialogue's key (sha256 over
its turns as read, the content of its user audio files and the settings that shape the answer) with
the answer itself and the sha256 of each reply wav. A re-run (after kill -9, say) reuses a dialogue
exactly when its record holds the key it would compute now and its wavs are intact, answers every
other dialogue afresh, rewrites the JSONL files from all answers and removes reply wavs that no answer
names, so the outputs equal those of one uninterrupted run on the current inputs.
"""

from __future__ import annotations

import json
import os
import signal
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path

from humdial import __version__

from humdial.respond.base import Turn as ChatTurn
from humdial.audio.io import write_audio
from humdial.empathy.pdf import BASELINE_DESCRIPTION, write_pdf
from humdial.empathy.responder import Track1Request, make_track1_responder, question_goal
from humdial.empathy.emotion import EmotionConfig, EmotionRecognizer, build_timeline, canonical
from humdial.empathy.hearing import Ears, HearingOptions, resolve_user_text
from humdial.errors import ItemError
from humdial.execute.cache import file_sha256, key_of
from humdial.execute.pool import map_chunks
from humdial.layouts.track1 import (find_task_files, load_dialogues, official_audio_dir, official_jsonl_name,
                                    response_wav_name)
from humdial.protocol.track1 import Task
from humdial.results import paths

SUBMISSION = "HD-Track1"
PDF_NAME = "humdial-baseline_System_Description.pdf"
GOALS = {Task.TRAJECTORY: "trajectory", Task.REASONING: "reasoning", Task.EMPATHY: "empathy"}
REPLY_PROSODY = {"neutral": "neutral", "happiness": "happiness", "sadness": "calm", "anger": "calm", "fear": "calm",
                 "surprise": "surprise", "disgust": "calm"}
"""Emotion of the spoken reply for each user state: share joy and surprise, soothe the rest."""
KILL_AFTER_ENV = "HUMDIAL_TEST_KILL_AFTER"
"""Test hook only: a process that has answered (and recorded) this many dialogues kills itself with
SIGKILL, so the kill -9 / resume test needs no timing. Unset in normal use."""


@dataclass(frozen=True)
class DialogueJob:
    lang: str
    task: Task
    dialogue_id: str
    base_dir: str
    turns: tuple[dict, ...]
    """{turn_id, text, audio (as written), gold (label or None)} in turn order."""


@dataclass
class Track1RunOptions:
    data: Path
    out: Path
    responder: str = "offline"
    encoder: bool = True
    """Use the sentence encoder for emotion (off: lexicon, tags and voice only; faster)."""
    jobs: int = 1
    quiet: bool = False
    force: bool = False
    """Answer every dialogue again, even those an earlier run finished with the same inputs and settings."""
    hearing: HearingOptions = field(default_factory=HearingOptions)
    """Where the user's words come from (script transcript or ASR of the audio; default auto)."""


@dataclass
class Track1RunResult:
    dialogues: int = 0
    turns: int = 0
    errors: list[dict] = field(default_factory=list)
    accuracy: dict = field(default_factory=dict)
    reused: int = 0
    """Dialogues taken from an earlier run's records (same inputs and settings)."""
    user_text: str = ""
    """The source the run used (audio | transcript) and why."""


def _jobs_from_file(path: Path, lang: str, task: Task, errors: list[dict]) -> list[DialogueJob]:
    """Dialogues of one input file through the shared Track 1 loader; every bad line becomes an error."""
    loaded = load_dialogues(path, "input", lang, task)
    for err in loaded.errors:
        errors.append({"where": f"{err.path}:{err.line}", **({"dialogue_id": err.dialogue_id} if err.dialogue_id else {}),
                       "error": err.message})
    return [DialogueJob(lang, task, d.dialogue_id, d.base_dir,
                        tuple({"turn_id": t.turn_id, "text": t.text or "", "audio": t.user_audio,
                               "gold": canonical(t.emotion)} for t in d.turns))
            for d in loaded.dialogues]


_state: dict = {}
_finished = [0]
"""Dialogues this process answered and recorded (for KILL_AFTER_ENV)."""


def _emotion_config(encoder: bool) -> EmotionConfig:
    return EmotionConfig(encoder_weight=0.6 if encoder else 0.0)


def _worker(encoder: bool, responder: str, hearing: HearingOptions):
    key = (encoder, responder, hearing)
    if key not in _state:
        from humdial.tts.espeak import EspeakSynthesizer

        _state.clear()
        _state[key] = (EmotionRecognizer(_emotion_config(encoder)), make_track1_responder(responder),
                       EspeakSynthesizer(), Ears(hearing))
    return _state[key]


def _audio_path(job: DialogueJob, turn: dict) -> Path | None:
    return Path(job.base_dir) / turn["audio"] if turn["audio"] else None


def settings_identity(encoder: bool, responder: str, hearing: HearingOptions) -> dict:
    """Everything besides the dialogue itself that shapes an answer (part of every dialogue key); the
    transcript cache folder and thread count do not change what is heard, so they are left out."""
    return {"humdial": __version__, "encoder": encoder, "responder": responder,
            "emotion": asdict(_emotion_config(encoder)), "reply_prosody": REPLY_PROSODY,
            "user_text": hearing.user_text, "asr": list(hearing.asr)}


def dialogue_key(job: DialogueJob, identity: dict) -> str:
    """sha256 over the dialogue as read (gold labels aside: answers never see them), the content of its
    user audio files and the settings."""
    audio = []
    for turn in job.turns:
        try:
            audio.append(file_sha256(Path(job.base_dir) / turn["audio"]) if turn["audio"] else None)
        except OSError as exc:
            audio.append(f"unreadable: {type(exc).__name__}")
    turns = [{k: v for k, v in t.items() if k != "gold"} for t in job.turns]
    return key_of({"lang": job.lang, "task": job.task.value, "dialogue_id": job.dialogue_id, "turns": turns,
                   "audio": audio, "settings": identity})


def record_path(done_dir: Path, job: DialogueJob) -> Path:
    """The dialogue's record; named by a hash, since a dialogue id is not a safe file name."""
    return done_dir / f"{key_of(job.lang, job.task.value, job.dialogue_id)}.json"


def _reply_wavs(result: dict, out_dir: Path) -> list[Path]:
    return [out_dir / result["lang"] / t["response_audio"] for t in result["turns"] if t.get("response_audio")]


def _reuse(job: DialogueJob, key: str, out_dir: Path, done_dir: Path) -> dict | None:
    """The recorded answer when it was made from this key and its reply wavs are unchanged, else None."""
    try:
        record = json.loads(record_path(done_dir, job).read_text(encoding="utf-8"))
        if record["key"] != key:
            return None
        result = record["result"]
        for wav in _reply_wavs(result, out_dir):
            if file_sha256(wav) != record["wavs"][str(wav.relative_to(out_dir))]:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {**result, "gold": [t["gold"] for t in job.turns]}


def _record(job: DialogueJob, key: str, result: dict, out_dir: Path, done_dir: Path) -> None:
    wavs = {str(w.relative_to(out_dir)): file_sha256(w) for w in _reply_wavs(result, out_dir)}
    record = {"key": key, "result": {k: v for k, v in result.items() if k != "gold"}, "wavs": wavs}
    path = record_path(done_dir, job)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    _finished[0] += 1
    if os.environ.get(KILL_AFTER_ENV, "").isdigit() and _finished[0] >= int(os.environ[KILL_AFTER_ENV]):
        os.kill(os.getpid(), signal.SIGKILL)


def answer_dialogue(job: DialogueJob, out_dir: Path, encoder: bool, responder_spec: str,
                    hearing: HearingOptions = HearingOptions("transcript")) -> dict:
    """Answer one dialogue; failures of one turn's audio or ASR become errors, never exceptions."""
    recognizer, responder, tts, ears = _worker(encoder, responder_spec, hearing)
    errors: list[dict] = []
    heard = [ears.hear(job.lang, t["text"], _audio_path(job, t)) for t in job.turns]
    errors += [{"dialogue_id": job.dialogue_id, "turn_id": t["turn_id"], "error": h.error}
               for t, h in zip(job.turns, heard) if h.error]
    audios = [h.samples for h in heard]
    texts = [h.text for h in heard]
    ids = [t["turn_id"] for t in job.turns]
    states = recognizer.analyse_causal(job.lang, ids, texts, audios)
    history: list[ChatTurn] = []
    out_turns = []
    for k, turn in enumerate(job.turns):
        final = k == len(job.turns) - 1
        goal = "empathy" if not final or job.task is Task.EMPATHY else question_goal(texts[k], job.lang, GOALS[job.task])
        timeline = build_timeline(states[: k + 1])
        try:
            reply = responder.respond_track1(Track1Request(job.lang, timeline, texts[k], goal, tuple(history)))
            text = reply.text
        except ItemError as exc:
            errors.append({"dialogue_id": job.dialogue_id, "turn_id": turn["turn_id"], "error": f"responder: {exc}"})
            text = "嗯，我在听。" if job.lang == "zh" else "I'm listening."
        history += [ChatTurn("user", texts[k]), ChatTurn("agent", text)]
        entry = {"turn_id": turn["turn_id"], "input_audio": turn["audio"] or "", "response_text": text}
        name = response_wav_name(job.dialogue_id, turn["turn_id"])
        if job.task is Task.EMPATHY and not _safe_name(name):
            errors.append({"dialogue_id": job.dialogue_id, "turn_id": turn["turn_id"],
                           "error": "tts: the dialogue id cannot be part of a file name (path separator or "
                                    "leading dot); no response audio written"})
        elif job.task is Task.EMPATHY:
            rel = f"{official_audio_dir(Task.EMPATHY)}/{name}"
            try:
                utt = tts.synthesize(text, job.lang, emotion=REPLY_PROSODY.get(states[k].label, "neutral"))
                write_audio(out_dir / job.lang / rel, utt.samples, utt.sample_rate)
                entry["response_audio"] = rel
            except ItemError as exc:
                errors.append({"dialogue_id": job.dialogue_id, "turn_id": turn["turn_id"], "error": f"tts: {exc}"})
        out_turns.append(entry)
    return {"lang": job.lang, "task": job.task.value, "dialogue_id": job.dialogue_id, "turns": out_turns,
            "timeline": build_timeline(states).as_dict(), "heard": texts, "gold": [t["gold"] for t in job.turns],
            "errors": errors}


def _safe_name(name: str) -> bool:
    return not any(c in name for c in "/\\\0") and not name.startswith(".")


def _answer_chunk(jobs: list[DialogueJob], out_dir: Path, done_dir: Path, encoder: bool, responder: str,
                  hearing: HearingOptions, force: bool = False) -> list[dict]:
    """Reuse each dialogue's recorded answer when its key still matches; answer and record the others."""
    identity = settings_identity(encoder, responder, hearing)
    results = []
    for job in jobs:
        key = dialogue_key(job, identity)
        reused = None if force else _reuse(job, key, out_dir, done_dir)
        if reused is not None:
            results.append({**reused, "reused": True})
            continue
        record_path(done_dir, job).unlink(missing_ok=True)  # a kill from here on leaves the dialogue undone
        result = answer_dialogue(job, out_dir, encoder, responder, hearing)
        _record(job, key, result, out_dir, done_dir)
        results.append({**result, "reused": False})
    return results


def _prune_reply_wavs(sub: Path, langs: set[str], answered: list[dict]) -> None:
    """Remove Task 3 reply wavs no answer names (left by an earlier run on other inputs)."""
    named = {w for r in answered for w in _reply_wavs(r, sub)}
    for lang in langs:
        for wav in (sub / lang / official_audio_dir(Task.EMPATHY)).glob("*.wav"):
            if wav not in named and wav.is_file():
                wav.unlink()


def emotion_report(results: list[dict]) -> dict:
    """Predicted vs gold per turn, accuracy per language, and the confusion matrix (gold -> predicted)."""
    turns = []
    for r in results:
        for state, gold in zip(r["timeline"]["turns"], r["gold"]):
            if gold:
                turns.append({"lang": r["lang"], "dialogue_id": r["dialogue_id"], "turn_id": state["turn_id"],
                              "gold": gold, "predicted": state["label"]})
    by_lang: dict[str, list[bool]] = defaultdict(list)
    confusion: dict[str, Counter] = defaultdict(Counter)
    for t in turns:
        by_lang[t["lang"]].append(t["gold"] == t["predicted"])
        confusion[t["gold"]][t["predicted"]] += 1
    accuracy = {lang: round(sum(h) / len(h), 4) for lang, h in sorted(by_lang.items())}
    if turns:
        accuracy["overall"] = round(sum(t["gold"] == t["predicted"] for t in turns) / len(turns), 4)
    return {"note": "baseline predictions never read the gold label; gold is used here only to score them",
            "accuracy": accuracy, "confusion": {g: dict(c) for g, c in sorted(confusion.items())}, "turns": turns}


def run_track1(opts: Track1RunOptions) -> Track1RunResult:
    result = Track1RunResult()
    files = [f for f in find_task_files(opts.data) if f.task in GOALS]
    jobs: list[DialogueJob] = []
    for f in files:
        jobs += _jobs_from_file(f.path, f.lang, f.task, result.errors)
    source, why = resolve_user_text(opts.hearing.user_text, (_audio_path(j, t) for j in jobs for t in j.turns))
    hearing = replace(opts.hearing, user_text=source)
    result.user_text = f"{source} ({why})"
    if source == "audio":
        Ears(hearing).router  # a bad --asr spec fails here, before any work
    sub = opts.out / SUBMISSION
    sub.mkdir(parents=True, exist_ok=True)
    answered = map_chunks(partial(_answer_chunk, out_dir=sub, done_dir=opts.out / paths.TRACK1_DONE_DIR,
                                  encoder=opts.encoder, responder=opts.responder, hearing=hearing,
                                  force=opts.force), jobs,
                          jobs=opts.jobs, chunk_size=4, description="Track 1 baseline", quiet=opts.quiet)
    _prune_reply_wavs(sub, {f.lang for f in files}, answered)
    grouped: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for r in answered:
        grouped[(r["lang"], r["task"])].append(r)
        result.errors += r["errors"]
    for lang in sorted({f.lang for f in files}):
        for task in GOALS:
            path = sub / lang / official_jsonl_name(task)
            path.parent.mkdir(parents=True, exist_ok=True)
            lines = [{"dialogue_id": r["dialogue_id"], "turns": r["turns"]} for r in grouped.get((lang, task.value), [])]
            path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
            if task is Task.EMPATHY:
                (sub / lang / official_audio_dir(task)).mkdir(exist_ok=True)
    write_pdf(sub / PDF_NAME, BASELINE_DESCRIPTION)
    (opts.out / paths.TRACK1_TIMELINES).write_text("".join(json.dumps({"lang": r["lang"], "task": r["task"],
                                                                  "dialogue_id": r["dialogue_id"], "user_text": source,
                                                                  "heard": r["heard"], **r["timeline"]},
                                                                 ensure_ascii=False) + "\n" for r in answered),
                                              encoding="utf-8")
    report = emotion_report(answered)
    (opts.out / paths.TRACK1_EMOTION).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (opts.out / paths.ERRORS).write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in result.errors),
                                           encoding="utf-8")
    result.dialogues = len(answered)
    result.reused = sum(1 for r in answered if r["reused"])
    result.turns = sum(len(r["turns"]) for r in answered)
    result.accuracy = report["accuracy"]
    return result
