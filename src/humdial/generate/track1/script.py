"""Track 1 dialogue scripts: user turns with gold emotion, cause and a reference assistant reply.

Tasks (current numbering, track1.md 1.2): 1 = emotional trajectory (last turn asks for a summary of
the user's emotional changes), 2 = emotional reasoning (last turn asks why), 3 = empathy (no meta
question; the official scorer evaluates the second non-neutral turn, so every Task 3 dialogue has
at least two non-neutral turns).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from humdial.generate.bank import Filler, load_bank

TASKS = (1, 2, 3)
TURN_COUNTS = (3, 4, 5)


@dataclass(frozen=True)
class Turn:
    turn_id: int
    text: str
    emotion: str
    cause: str
    response_text: str


@dataclass(frozen=True)
class Dialogue:
    dialogue_id: str
    lang: str
    task: int
    turns: tuple[Turn, ...]

    def to_json(self) -> dict:
        return {"dialogue_id": self.dialogue_id, "lang": self.lang, "task": self.task,
                "turns": [asdict(t) for t in self.turns]}


def emotion_plan(n_emotional_turns: int, n_neutral: int, emotions: list[str], rng: random.Random) -> list[str]:
    """A trajectory: emotional turns (no emotion twice in a row) with neutral stretches between them.

    The first turn is always emotional so the dialogue opens on an event; neutral turns are
    inserted later (never first), which keeps at least two emotional turns for Task 3's rule.
    """
    seq: list[str] = []
    for _ in range(n_emotional_turns):
        seq.append(rng.choice([e for e in emotions if not seq or e != seq[-1]]))
    for _ in range(n_neutral):
        seq.insert(rng.randint(1, len(seq)), "neutral")
    return seq


def _story_turns(lang: str, count: int, rng: random.Random, fill: Filler) -> list[Turn]:
    bank = load_bank(f"track1_{lang}")
    emotions = sorted(bank["episodes"])
    n_neutral = rng.randint(0, max(0, count - 2)) if count > 2 else 0
    plan = emotion_plan(count - n_neutral, n_neutral, emotions, rng)
    used_episodes: set[tuple[str, int]] = set()
    neutral_pool = list(range(len(bank["neutral"])))
    rng.shuffle(neutral_pool)
    turns = []
    for k, emotion in enumerate(plan, start=1):
        if emotion == "neutral":
            entry = bank["neutral"][neutral_pool.pop()]
            turns.append(Turn(k, fill.fill(entry["text"]), "neutral", "", fill.fill(entry["reply"])))
            continue
        choices = [i for i in range(len(bank["episodes"][emotion])) if (emotion, i) not in used_episodes]
        idx = rng.choice(choices)
        used_episodes.add((emotion, idx))
        ep = bank["episodes"][emotion][idx]
        turns.append(Turn(k, fill.pick(ep["texts"]), emotion, fill.fill(ep["cause"]), fill.fill(ep["reply"])))
    return turns


def _reference_reply(lang: str, task: int, turns: list[Turn]) -> str:
    """The Task 1 / Task 2 reference answer, built from the dialogue's own causes and emotions."""
    bank = load_bank(f"track1_{lang}")
    tpl, words = bank["reply_templates"], bank["emotion_words"]
    key = "task1" if task == 1 else "task2"
    pieces = [tpl[f"{key}_open"]]
    neutral_said = False
    for t in turns:
        if t.emotion == "neutral":
            if task == 1 and not neutral_said:
                pieces.append(tpl["task1_neutral"])
                neutral_said = True
            continue
        pieces.append(tpl[f"{key}_step"].format(cause=t.cause, emotion=words.get(t.emotion, t.emotion)))
    pieces.append(tpl[f"{key}_close"])
    return ("" if lang == "zh" else " ").join(pieces)


def compose(lang: str, task: int, n_turns: int, dialogue_id: str, rng: random.Random) -> Dialogue:
    if task not in TASKS or n_turns not in TURN_COUNTS:
        raise ValueError(f"task must be one of {TASKS} and turns one of {TURN_COUNTS}")
    bank = load_bank(f"track1_{lang}")
    fill = Filler(bank["slots"], rng)
    if task == 3:
        turns = _story_turns(lang, n_turns, rng, fill)
    else:
        turns = _story_turns(lang, n_turns - 1, rng, fill)
        question = rng.choice(bank["final_questions"][f"task{task}"])
        turns.append(Turn(n_turns, question, "neutral", "", _reference_reply(lang, task, turns)))
    return Dialogue(dialogue_id=dialogue_id, lang=lang, task=task, turns=tuple(turns))
