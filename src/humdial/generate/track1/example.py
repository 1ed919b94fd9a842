"""A tiny synthetic Track 1 test set and a matching submission, for demos, docs and tests.

Two dialogues per task and language, written by us, with gold emotions; user and reply audio are
speech-like synthetic signals (harmonic voice with a moving pitch, syllable envelope and pauses), not
speech. Nothing here is official data; it only exercises the layouts and the evaluation end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from humdial.audio.io import write_audio
from humdial.layouts.track1 import official_audio_dir, official_jsonl_name, response_wav_name
from humdial.protocol.track1 import Task

RATE = 16_000

_EN = {
    "events": ["my boss moved the deadline to tomorrow", "my sister called to say she got the job",
               "the bus broke down on the way home"],
    "emotions": ["anger", "happy", "sad"],
    "questions": {Task.TRAJECTORY: "Can you sum up how my mood changed while we talked?",
                  Task.REASONING: "Why do you think I felt like that today?",
                  Task.EMPATHY: "I just feel worn out by all of it."},
    "replies": {Task.TRAJECTORY: "You started out angry because your boss moved the deadline to tomorrow, "
                                 "then you felt happy when your sister called about the job, and now you sound "
                                 "sad after the bus broke down on the way home.",
                Task.REASONING: "I think the anger came because the deadline change took away your control, "
                                "so the good news about your sister felt like relief; the bus breakdown then "
                                "made you sad because it showed how tired you are.",
                Task.EMPATHY: "That sounds exhausting, and it makes sense you feel worn out after the deadline "
                              "and the bus. You handled a lot today; maybe rest a little tonight."},
    "generic": "Okay. Let me know if there is anything else.",
}
_ZH = {
    "events": ["老板把截止日期提前到了明天", "我姐姐打电话说她找到工作了", "回家路上公交车坏了"],
    "emotions": ["anger", "happy", "sad"],
    "questions": {Task.TRAJECTORY: "你能总结一下我刚才的情绪变化吗？",
                  Task.REASONING: "你觉得我今天为什么会有这些情绪？",
                  Task.EMPATHY: "我真的觉得好累啊。"},
    "replies": {Task.TRAJECTORY: "你一开始很生气，因为老板把截止日期提前到了明天；后来姐姐打电话说找到工作，"
                                 "你变得开心；现在公交车坏了，你又有些难过。",
                Task.REASONING: "我觉得你生气是因为截止日期的变化让你失去了掌控感，所以姐姐的好消息让你松了口气；"
                                "公交车坏了让你难过，是因为它说明你已经很累了。",
                Task.EMPATHY: "听起来你今天真的很辛苦，截止日期和公交车的事都压在你身上，觉得累是很正常的。"
                              "你已经做得很好了，今晚好好休息一下吧。"},
    "generic": "好的。还有什么需要吗？",
}
TEXTS = {"en": _EN, "zh": _ZH}


def speechlike(seconds: float, seed: int, f0: float = 160.0, f0_swing: float = 0.25, pauses: bool = True,
               noise: float = 0.003, gain: float = 0.3) -> np.ndarray:
    """A voiced, speech-like test signal: harmonics of a moving pitch under a ~4 Hz syllable envelope."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    contour = f0 * (1 + f0_swing * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6)))
    phase = 2 * np.pi * np.cumsum(contour) / RATE
    voice = sum(np.sin(k * phase) / k for k in range(1, 8))
    syllables = 0.5 * (1 + np.sin(2 * np.pi * 4.0 * t + rng.uniform(0, 6))) ** 2
    envelope = syllables * (0.6 + 0.4 * np.sin(2 * np.pi * 0.3 * t) ** 2)
    if pauses:
        envelope[(t % 2.0) > 1.6] = 0.0
    signal = gain * voice / np.abs(voice).max() * envelope + noise * rng.standard_normal(len(t))
    return signal.astype(np.float32)


def _dialogue(lang: str, task: Task, index: int) -> dict:
    texts = TEXTS[lang]
    did = f"task{task.value}_4_{lang}_0001_{index:04d}"
    turns = []
    emotions = [*texts["emotions"], "neutral"] if task is not Task.EMPATHY else ["neutral", "happy", "neutral", "sad"]
    for i, (event, emotion) in enumerate(zip(texts["events"], emotions), start=1):
        turns.append({"turn_id": i, "text": event, "emotion": emotion, "split_audio_file": f"{official_audio_dir(task)}/{did}_{i}.wav"})
    turns.append({"turn_id": 4, "text": texts["questions"][task], "emotion": emotions[3],
                  "split_audio_file": f"{official_audio_dir(task)}/{did}_4.wav"})
    return {"dialogue_id": did, "turns": turns}


def _reply(lang: str, task: Task, turn_id: int, final: int, good: bool) -> str:
    texts = TEXTS[lang]
    if not good:
        return texts["generic"]
    if turn_id == final or task is Task.EMPATHY:
        return texts["replies"][task]
    return texts["generic"]


def write_example(root: str | Path, langs: tuple[str, ...] = ("zh", "en"), per_task: int = 2,
                  with_pdf: bool = True) -> tuple[Path, Path]:
    """Write `root/HD-Track1-Test` (gold) and `root/HD-Track1` (a submission); returns both folders.

    In each (language, task) the first dialogue gets good replies and good reply audio; the others a
    generic reply and flat, clipped, noisy reply audio, so any sensible scorer ranks them apart.
    """
    root = Path(root)
    gold_root, sub_root = root / "HD-Track1-Test", root / "HD-Track1"
    seed = 0
    for lang in langs:
        for task in (Task.TRAJECTORY, Task.REASONING, Task.EMPATHY):
            gold_lines, sub_lines = [], []
            for index in range(1, per_task + 1):
                gold = _dialogue(lang, task, index)
                gold_lines.append(gold)
                good = index == 1
                sub_turns = []
                for turn in gold["turns"]:
                    seed += 1
                    write_audio(gold_root / lang / turn["split_audio_file"], speechlike(1.5, seed, f0=200), RATE)
                    name = response_wav_name(gold["dialogue_id"], turn["turn_id"])
                    sub_turn = {"turn_id": turn["turn_id"], "input_audio": turn["split_audio_file"],
                                "response_text": _reply(lang, task, turn["turn_id"], len(gold["turns"]), good)}
                    if task is Task.EMPATHY:
                        audio = (speechlike(3.0, seed) if good else
                                 np.clip(speechlike(3.0, seed, f0_swing=0.0, pauses=False, noise=0.2, gain=3.0), -1, 1))
                        write_audio(sub_root / lang / official_audio_dir(task) / name, audio, RATE)
                        sub_turn["response_audio"] = f"{official_audio_dir(task)}/{name}"
                    sub_turns.append(sub_turn)
                sub_lines.append({"dialogue_id": gold["dialogue_id"], "turns": sub_turns})
            for folder, lines in ((gold_root, gold_lines), (sub_root, sub_lines)):
                path = folder / lang / official_jsonl_name(task)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    if with_pdf:
        (sub_root / "Example_System_Description.pdf").write_bytes(b"%PDF-1.4\n% humdial example\n%%EOF\n")
    return gold_root, sub_root
