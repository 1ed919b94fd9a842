"""LLM-written scripts for `humdial gen track1|track2 --llm openai:MODEL@URL`.

An LLM writes new scripts in the schema the banks produce (`Track2Script`, `Dialogue`); the
renderers then speak them exactly like bank scripts. Why it is built this way:
- Requests go through the shared LLM client (`humdial.llm.client.ChatClient`, the one the judge and
  the agent use): bounded HTTP retries, temperature 0 and a fixed seed, the API key read from an
  environment variable, JSON structured output where the server supports it. Its re-ask loop is fed
  the complaints of our strict parser, so a malformed or invalid answer is asked again (at most
  `max_reasks` times) with the reasons spelled out.
- Answers are cached on disk by content (`humdial.llm.cache`: model, sampling settings, prompt text
  and request text). A re-run with the same seed and cache sends nothing and writes the same bytes.
- Each request pins down what the bank would have decided (scenario parts, topic, the emotion of
  every Track 1 turn, drawn from seeded generators), so the data keep the bank's proportions and
  every answer can be checked against its request.
- A script that still fails after the re-asks is never dropped silently: it becomes an error of its
  item, or with fallback "bank" that item is drawn from the bank. Either way it is listed, with its
  reasons and the raw answer, in `llm_rejected.jsonl`.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from humdial.errors import HumdialError
from humdial.llm.keys import DEFAULT_KEY_ENV

PROMPT_DIR = Path(__file__).parent / "prompts"
BRIEFS_FILE = "briefs.v1.yaml"
"""The prose of the per-item user messages (scenario descriptions, part briefs, life areas)."""
FALLBACKS = ("none", "bank")
CACHE_MODES = ("use", "refresh", "replay", "off")
REJECTED_FILE = "llm_rejected.jsonl"
RAW_KEEP_CHARS = 2000
"""How much of a rejected raw answer `llm_rejected.jsonl` keeps."""
MAX_TOKENS = 2048
"""Answer budget per request: a five-turn Track 1 dialogue with replies fits with room to spare."""

SCRIPT_SHARE_MIN = {"en": 0.9, "zh": 0.6}
"""Least share of a text's letters written in the language's script (Latin for en, CJK for zh).
0.6 for zh leaves room for a brand or unit such as "Wi-Fi" in a Chinese sentence; pinyin or an
English sentence fails."""

Bounds = tuple[int, int]
TRACK2_LENGTH: dict[str, dict[str, Bounds]] = {
    "en": {"query": (3, 45), "interruption": (1, 30), "backchannel": (1, 4), "third_party": (2, 30),
           "query2": (2, 30), "aside": (2, 30)},
    "zh": {"query": (4, 90), "interruption": (1, 60), "backchannel": (1, 4), "third_party": (3, 60),
           "query2": (3, 60), "aside": (3, 60)},
}
"""Spoken length per part kind: words for en, CJK characters for zh (keeps clips renderable)."""
TRACK1_LENGTH: dict[str, dict[str, Bounds]] = {
    "en": {"text": (3, 70), "cause": (2, 30), "response_text": (3, 200)},
    "zh": {"text": (4, 140), "cause": (2, 60), "response_text": (4, 400)},
}
"""Length per Track 1 field, in the same units."""

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_FENCE = re.compile(r"^```(?:json)?\s*\n?(.*?)\n?```$", re.DOTALL)
_QUESTION_END = re.compile(r"[?？][\"'”’」）)]*$")

# --- what each Track 2 unit asks for ------------------------------------------------------------
@lru_cache(maxsize=1)
def briefs() -> dict:
    """The request prose (prompts/briefs.v1.yaml), with every Track 2 part brief resolved."""
    import yaml

    data = yaml.safe_load((PROMPT_DIR / BRIEFS_FILE).read_text(encoding="utf-8"))
    units = {}
    for unit, entry in data["units"].items():
        parts = tuple((role, kind, data["query_brief"] if brief == "query" else brief)
                      for role, kind, brief in entry["parts"])
        units[unit] = (entry["description"], parts)
    return {**data, "units": units, "track1_finals": {int(k): v for k, v in data["track1_finals"].items()}}


BACKCHANNEL_COUNTS = (1, 2, 2, 3)
"""Backchannels per sample, drawn like the bank does."""


# --- request specifications -------------------------------------------------------------------
@dataclass(frozen=True)
class Track2Spec:
    """What one Track 2 answer must contain (built from the request, checked against the answer)."""

    lang: str
    unit: str
    topic: str
    parts: tuple[tuple[str, str], ...]
    """(role, kind) per part, in order."""
    emotions: tuple[tuple[str, ...], ...]
    """Allowed emotion labels per part."""


@dataclass(frozen=True)
class Track1Spec:
    lang: str
    task: int
    dialogue_id: str
    emotions: tuple[str, ...]
    """The emotion of every turn, in order (the final question of Tasks 1 and 2 included)."""
    tags: tuple[str, ...]
    """Paralinguistic tags the TTS can voice in this language."""


class ScriptRejected(ValueError):
    """An answer that is not a usable script. `malformed`: not the JSON shape; else its content fails."""

    def __init__(self, reasons: list[str], malformed: bool):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.malformed = malformed


def track2_spec(lang: str, unit: str, seed: int, index: int) -> tuple[Track2Spec, str]:
    """The spec and user message of one Track 2 item (topic and backchannel count drawn per item)."""
    from humdial.generate.bank import load_bank
    from humdial.generate.track2.script import INTERRUPTION_EMOTIONS

    units = briefs()["units"]
    if unit not in units:
        raise HumdialError(f"no LLM brief for Track 2 unit {unit!r}")
    rng = random.Random(f"humdial-llm-track2:{seed}:{lang}:{unit}:{index}")
    topics = sorted(load_bank(f"track2_{lang}")["topics"])
    topic = rng.choice(topics)
    other = rng.choice([t for t in topics if t != topic])
    description, unit_parts = units[unit]
    parts = list(unit_parts)
    if unit == "backchannel":
        parts += [("user", "backchannel", briefs()["backchannel_brief"])] * rng.choice(BACKCHANNEL_COUNTS)
    emotions = tuple(tuple(dict.fromkeys(INTERRUPTION_EMOTIONS.get(unit, ("neutral",))))
                     if kind == "interruption" else ("neutral",) for _, kind, _ in parts)
    lines = [f"Language: {briefs()['language_names'][lang]}.", f"Scenario: {description}",
             f"Topic of the user's request: {topic.replace('_', ' ')}.",
             f"Item: {seed}-{unit}-{index} (a label that keeps requests apart; do not say it).",
             "Write these parts, in this order:"]
    for k, ((role, kind, brief), allowed) in enumerate(zip(parts, emotions), start=1):
        text = brief.format(topic=topic.replace("_", " "), other_topic=other.replace("_", " "))
        lines.append(f'{k}. role "{role}", kind "{kind}", emotion one of {_quoted(allowed)}: {text}.')
    spec = Track2Spec(lang=lang, unit=unit, topic=topic, parts=tuple((r, k) for r, k, _ in parts),
                      emotions=emotions)
    return spec, "\n".join(lines) + "\n"


def track1_spec(lang: str, task: int, n_turns: int, dialogue_id: str, seed: int,
                index: int) -> tuple[Track1Spec, str]:
    """The spec and user message of one Track 1 dialogue: the emotion plan follows the bank's rules."""
    from humdial.generate.bank import load_bank
    from humdial.generate.track1.script import TASKS, TURN_COUNTS, emotion_plan

    if task not in TASKS or n_turns not in TURN_COUNTS:
        raise HumdialError(f"task must be one of {TASKS} and turns one of {TURN_COUNTS}")
    rng = random.Random(f"humdial-llm-track1:{seed}:{lang}:{task}:{n_turns}:{index}")
    story = n_turns if task == 3 else n_turns - 1
    n_neutral = rng.randint(0, max(0, story - 2))
    plan = emotion_plan(story - n_neutral, n_neutral, sorted(load_bank(f"track1_{lang}")["episodes"]), rng)
    if task != 3:
        plan.append("neutral")
    tags = tuple(sorted(load_bank("paralinguistic")["spoken_as"].get(lang, {})))
    area = rng.choice(briefs()["life_areas"])
    lines = [f"Language: {briefs()['language_names'][lang]}.", briefs()["track1_finals"][task],
             f"Events come from this part of life: {area}.",
             f"Item: {dialogue_id} (a label that keeps requests apart; do not say it).",
             f"Sound tags you may use in a turn's text: {' '.join(f'[{t}]' for t in tags)}.",
             f"Write exactly {n_turns} user turns with these emotions, in order:"]
    for k, emotion in enumerate(plan, start=1):
        last = task != 3 and k == n_turns
        lines.append(f"{k}. {emotion}" + (f" (the final question of task {task})" if last else ""))
    spec = Track1Spec(lang=lang, task=task, dialogue_id=dialogue_id, emotions=tuple(plan), tags=tags)
    return spec, "\n".join(lines) + "\n"


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f'"{v}"' for v in values)


# --- strict parsing ---------------------------------------------------------------------------
def json_answer(raw: str, key: str, fields: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[dict]:
    """The list under `key` of a one-object JSON answer, each entry holding exactly `fields` as strings.

    Strict: the whole answer must be the object (one surrounding code fence is tolerated); unknown
    keys, missing keys and non-string values are shape errors, answered with a re-ask.
    """
    text = raw.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"the answer is not one JSON object ({exc.msg} at character {exc.pos})"
        raise ScriptRejected([reason], True) from exc
    if not isinstance(value, dict) or set(value) != {key}:
        raise ScriptRejected([f'the answer must be a JSON object with the single key "{key}"'], True)
    entries = value[key]
    if not isinstance(entries, list) or not entries:
        raise ScriptRejected([f'"{key}" must be a non-empty list'], True)
    reasons = []
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            reasons.append(f"{key} entry {i} is not an object")
            continue
        missing = [f for f in fields if f not in entry]
        unknown = sorted(set(entry) - set(fields) - set(optional))
        wrong = [f for f, v in entry.items() if f in fields + optional and not isinstance(v, str)]
        for what, names in (("lacks", missing), ("has unknown key(s)", unknown), ("has non-string", wrong)):
            if names:
                reasons.append(f"{key} entry {i} {what} {_quoted(tuple(names))}")
    if reasons:
        raise ScriptRejected(reasons, True)
    return [{k: " ".join(v.split()) for k, v in entry.items()} for entry in entries]


def script_share(text: str, lang: str) -> float:
    """Share of the letters of `text` (tags removed) written in the language's script."""
    letters = [c for c in _BRACKETED.sub(" ", text) if c.isalpha()]
    if not letters:
        return 0.0
    if lang == "zh":
        hits = sum(bool(_CJK.match(c)) for c in letters)
    else:
        hits = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return hits / len(letters)


def spoken_length(text: str, lang: str) -> int:
    """Words (en) or CJK characters (zh), tags removed."""
    body = _BRACKETED.sub(" ", text)
    return len(_CJK.findall(body)) if lang == "zh" else len(body.split())


def text_problems(text: str, lang: str, bounds: Bounds, tags: tuple[str, ...] = ()) -> list[str]:
    """Why a text cannot be used: empty, wrong language, out of length bounds, unknown bracket tags."""
    if not text:
        return ["empty text"]
    problems = [f"unknown tag [{t}]" for t in _BRACKETED.findall(text) if t not in tags]
    share = script_share(text, lang)
    if share < SCRIPT_SHARE_MIN[lang]:
        problems.append(f"wrong language: {share:.0%} of its letters are {'CJK' if lang == 'zh' else 'Latin'} "
                        f"(needs {SCRIPT_SHARE_MIN[lang]:.0%} for {lang})")
    size, (lo, hi) = spoken_length(text, lang), bounds
    if not lo <= size <= hi:
        unit = "CJK characters" if lang == "zh" else "words"
        problems.append(f"{size} {unit}, outside {lo}-{hi}")
    return problems


def parse_track2(raw: str, spec: Track2Spec) -> dict:
    """A Track 2 answer checked against its spec; returns {"parts": [...]} or raises ScriptRejected."""
    from humdial.generate.track2.script import BREAK

    parts = json_answer(raw, "parts", ("role", "kind", "text"), optional=("emotion",))
    reasons = []
    got = tuple((p["role"], p["kind"]) for p in parts)
    if got != spec.parts:
        missing = sorted({r for r, _ in spec.parts} - {r for r, _ in got})
        reasons += [f'no part by role "{r}"' for r in missing]
        reasons.append(f"parts must be (role, kind) {list(spec.parts)} in this order, got {list(got)}")
    limits = TRACK2_LENGTH[spec.lang]
    for i, part in enumerate(parts, start=1):
        kind, text = part["kind"], part["text"]
        part.setdefault("emotion", "neutral")
        where = f"part {i} ({kind})"
        allowed = spec.emotions[i - 1] if i <= len(spec.emotions) else ("neutral",)
        if part["emotion"] not in allowed:
            reasons.append(f"{where}: emotion {part['emotion']!r} is not one of {_quoted(allowed)}")
        pause = spec.unit == "pause" and kind == "query"
        if pause:
            before, _, after = text.partition(BREAK)
            if text.count(BREAK) != 1 or not spoken_length(before, spec.lang) or not spoken_length(after, spec.lang):
                reasons.append(f"{where}: needs {BREAK} exactly once, with words on both sides")
            part["text"] = text = re.sub(r"\s*\[break\]\s*", f" {BREAK} ", text).strip()
        reasons += [f"{where}: {p}" for p in text_problems(text, spec.lang, limits.get(kind, (1, 60)),
                                                           ("break",) if pause else ())]
    reasons += _repeated("backchannel", [p["text"] for p in parts if p["kind"] == "backchannel"])
    if reasons:
        raise ScriptRejected(reasons, False)
    return {"parts": parts}


def _repeated(what: str, texts: list[str]) -> list[str]:
    """One reason per text said twice (two turns about one event, the same backchannel twice)."""
    seen: set[str] = set()
    twice = [t for t in texts if t.casefold() in seen or seen.add(t.casefold())]
    return [f"{what} repeated: {t!r}" for t in dict.fromkeys(twice)]


def parse_track1(raw: str, spec: Track1Spec) -> dict:
    """A Track 1 answer checked against its spec; returns {"turns": [...]} or raises ScriptRejected."""
    turns = json_answer(raw, "turns", ("text", "emotion", "cause", "response_text"))
    reasons = []
    if len(turns) != len(spec.emotions):
        reasons.append(f"needs exactly {len(spec.emotions)} turns, got {len(turns)}")
    got = tuple(t["emotion"] for t in turns)
    if got != spec.emotions:
        reasons.append(f"emotions must be {list(spec.emotions)} in this order, got {list(got)}")
    limits = TRACK1_LENGTH[spec.lang]
    for i, turn in enumerate(turns, start=1):
        where = f"turn {i}"
        if not turn["emotion"]:
            reasons.append(f"{where}: empty emotion")
        if turn["emotion"] == "neutral" and turn["cause"]:
            reasons.append(f'{where}: a neutral turn has the cause "" (got {turn["cause"]!r})')
        for name in ("text", "cause", "response_text"):
            if name == "cause" and turn["emotion"] == "neutral":
                continue
            tags = spec.tags if name == "text" else ()
            reasons += [f"{where} {name}: {p}" for p in text_problems(turn[name], spec.lang, limits[name], tags)]
    reasons += _repeated("turn", [t["text"] for t in turns])
    reasons += _repeated("cause", [t["cause"] for t in turns if t["cause"]])
    if spec.task != 3 and turns and not _QUESTION_END.search(turns[-1]["text"]):
        reasons.append(f"turn {len(turns)}: the final turn of task {spec.task} must be a question")
    if reasons:
        raise ScriptRejected(reasons, False)
    return {"turns": turns}


def track2_script(parsed: dict, spec: Track2Spec):
    from humdial.generate.track2.script import Part, Track2Script

    return Track2Script(lang=spec.lang, unit=spec.unit, topic=spec.topic,
                        parts=tuple(Part(p["role"], p["kind"], p["text"], p["emotion"]) for p in parsed["parts"]))


def track1_dialogue(parsed: dict, spec: Track1Spec):
    from humdial.generate.track1.script import Dialogue, Turn

    return Dialogue(dialogue_id=spec.dialogue_id, lang=spec.lang, task=spec.task,
                    turns=tuple(Turn(k, t["text"], t["emotion"], t["cause"], t["response_text"])
                                for k, t in enumerate(parsed["turns"], start=1)))


# --- the writer -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Planned:
    """One item's request: what to send, how to check the answer, how to build the script."""

    sample_id: str
    message: str
    parse: Callable[[str], dict]
    build: Callable[[dict], Any]


@dataclass
class Attachment:
    """Items with their LLM scripts attached, and what happened to the others."""

    items: list
    errors: dict[int, dict] = field(default_factory=dict)
    """Item position -> error record (a rejected script, no fallback): the item is not rendered."""
    sources: list[dict] = field(default_factory=list)
    """Per item: where its script comes from (written to the manifest)."""
    rejected: list[dict] = field(default_factory=list)
    """One line per rejected script for llm_rejected.jsonl (deterministic: no timings, no cache flags)."""
    counts: dict[str, int] = field(default_factory=dict)

    def write_report(self, out: Path) -> None:
        path = out / REJECTED_FILE
        if self.rejected:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in self.rejected),
                            encoding="utf-8")
        elif path.exists():
            path.unlink()


@dataclass
class ScriptWriter:
    """Writes scripts for generation items with an LLM behind the shared client and its answer cache."""

    track: str
    llm: Any
    """A `humdial.llm.cache.CachedClient` (anything with its `ask`)."""
    prompt: Any
    """The versioned system prompt (a `humdial.judge.rubrics.Rubric`)."""
    source: dict
    fallback: str = "none"
    concurrency: int = 4

    def plan(self, item) -> Planned:
        if self.track == "track2":
            spec2, message = track2_spec(item.lang, item.unit, item.seed, item.index)
            return Planned(item.sample_id, message, lambda raw: parse_track2(raw, spec2),
                           lambda parsed: track2_script(parsed, spec2))
        spec1, message = track1_spec(item.lang, item.task, item.n_turns, item.dialogue_id, item.seed, item.index)
        return Planned(item.dialogue_id, message, lambda raw: parse_track1(raw, spec1),
                       lambda parsed: track1_dialogue(parsed, spec1))

    def _ask(self, planned: Planned):
        messages = [{"role": "system", "content": self.prompt.text}, {"role": "user", "content": planned.message}]
        return self.llm.ask(messages, planned.parse, json_output=True)

    def attach(self, items: list, quiet: bool = False) -> Attachment:
        """Ask for every item's script (bounded concurrency, progress bar) and attach the valid ones."""
        from humdial.execute.pool import map_chunks

        planned = [self.plan(item) for item in items]
        with ThreadPoolExecutor(max_workers=max(1, self.concurrency), thread_name_prefix="llm-script") as pool:
            answers = map_chunks(lambda chunk: [self._ask(p) for p in chunk], planned, chunk_size=1,
                                  description=f"{self.track} llm scripts", quiet=quiet, executor=pool)
        result = Attachment(items=[])
        counts = dict.fromkeys(("requested", "written", "invalid", "malformed", "failed", "fallback", "cached",
                                "calls"), 0)
        counts["requested"] = len(items)
        for k, (item, plan, cached) in enumerate(zip(items, planned, answers)):
            answer = cached.answer
            counts["cached"] += int(cached.cached)
            counts["calls"] += 0 if cached.cached else answer.attempts
            if answer.status == "ok":
                result.items.append(replace(item, script=plan.build(answer.parsed)))
                result.sources.append({**self.source, "request_key": cached.key})
                counts["written"] += 1
                continue
            status, reasons = _failure(answer, plan)
            counts[status] += 1
            line = {"sample_id": plan.sample_id, "status": status, "reasons": reasons,
                    "raw": answer.raw[:RAW_KEEP_CHARS], "fallback": self.fallback}
            result.rejected.append(line)
            result.items.append(item)
            if self.fallback == "bank":
                counts["fallback"] += 1
                result.sources.append({"writer": "bank", "llm_rejected": f"{status}: {'; '.join(reasons)}"})
            else:
                result.sources.append({})
                result.errors[k] = {"sample_id": plan.sample_id, "stage": "llm_script",
                                    "error": f"LLM script {status}: {'; '.join(reasons)}", "reasons": reasons}
        result.counts = counts
        return result


def _failure(answer, plan: Planned) -> tuple[str, list[str]]:
    """(invalid | malformed | failed, reasons) of an answer that is not ok."""
    if answer.status == "parse_failed":
        try:
            plan.parse(answer.raw)
        except ScriptRejected as exc:
            return ("malformed" if exc.malformed else "invalid"), exc.reasons
        return "invalid", [answer.error]
    return "failed", [answer.error or "no answer"]


def load_prompt(track: str):
    """The packaged system prompt of a track (newest version), as a versioned Rubric."""
    from humdial.judge.rubrics import parse_rubric

    name = f"{track}_scripts"
    found = sorted(PROMPT_DIR.glob(f"{name}.v*.txt"), key=lambda p: int(p.name[len(name) + 2:-4]))
    if not found:
        raise HumdialError(f"no packaged prompt {name}.v*.txt in {PROMPT_DIR}")
    path = found[-1]
    return parse_rubric(path.read_text(encoding="utf-8"), f"package:{path.name}", name)


def default_cache_dir() -> Path:
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "humdial" / "llm_scripts"


def make_writer(track: str, spec: str, *, key_env: str = DEFAULT_KEY_ENV, cache_dir: str | Path | None = None,
                cache_mode: str = "use", fallback: str = "none", settings=None) -> ScriptWriter:
    """A ScriptWriter for `--llm openai:MODEL@URL` (the key is read from the variable named `key_env`)."""
    from humdial.llm.cache import AnswerCache, CachedClient
    from humdial.llm.client import ChatClient, ClientSettings, public_url
    from humdial.llm.spec import parse_llm_spec

    if track not in ("track1", "track2"):
        raise HumdialError(f"unknown track {track!r}")
    if fallback not in FALLBACKS:
        raise HumdialError(f"--llm-fallback must be one of {', '.join(FALLBACKS)}")
    if cache_mode not in CACHE_MODES:
        raise HumdialError(f"--cache-mode must be one of {', '.join(CACHE_MODES)}")
    try:
        parsed = parse_llm_spec(spec, what="--llm")
    except HumdialError as exc:  # the spec is not echoed: a mistyped one may hold a credential
        raise HumdialError(f"{exc} (the key goes in the environment variable named by --key-env)") from None
    settings = settings or ClientSettings(max_tokens=MAX_TOKENS)
    prompt = load_prompt(track)
    client = ChatClient(parsed.model, parsed.base_url, key_env=key_env, settings=settings)
    llm = CachedClient(client, AnswerCache(cache_dir or default_cache_dir()), cache_mode)
    source = {"writer": "llm", "model": parsed.model, "base_url": public_url(parsed.base_url),
              "prompt": f"{prompt.id}.v{prompt.version}", "prompt_sha256": prompt.sha256[:16]}
    return ScriptWriter(track=track, llm=llm, prompt=prompt, source=source, fallback=fallback,
                        concurrency=settings.concurrency)


def add_llm_arguments(p) -> None:
    """The --llm options shared by `gen track1` and `gen track2` (--key-env and --cache-mode are shared flags)."""
    p.add_argument("--llm", default=None, metavar="openai:MODEL@URL",
                   help="write new scripts with an LLM behind an OpenAI-compatible endpoint; without it, scripts "
                        "come from the banks")
    p.add_argument("--llm-fallback", choices=FALLBACKS, default="none",
                   help="none: an item whose LLM script is rejected is skipped and the run exits 1; "
                        "bank: that item is drawn from the bank instead (still listed in llm_rejected.jsonl)")
    p.add_argument("--llm-cache", type=Path, default=None,
                   help="answer cache folder (default: $XDG_CACHE_HOME/humdial/llm_scripts); re-runs cost nothing")


def writer_from_args(track: str, args) -> ScriptWriter | None:
    if not args.llm:
        return None
    return make_writer(track, args.llm, key_env=args.key_env, cache_dir=args.llm_cache,
                       cache_mode=args.cache_mode, fallback=args.llm_fallback)
