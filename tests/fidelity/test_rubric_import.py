"""`humdial rubric import` on a fake organisers' checkout (placeholder texts of our own, shaped like theirs:
Task 1-2 templates with an unescaped JSON example, the Task 3 template escaped with {{ }}), then an official
run whose prompts must equal what the official scripts would send, computed here independently."""

import json

from humdial.cli import main
from humdial.evaluate.track1.pipeline import EvalOptions, evaluate
from humdial.generate.track1.example import write_example
from humdial.judge.base import answered_verdict
from humdial.judge.rubric_import import import_official
from humdial.judge.rubrics import load_rubric_file
from humdial.layouts.track1 import load_tree

T12 = '''"""Fake evaluation script (test fixture)."""
import json
OTHER = "not a prompt"
EVAL_PROMPT_TEMPLATE = """
# Role
You are a placeholder judge for task {n}.
## History
{{conversation_history}}
## Question
{{user_question}}
## Reply
{{final_model_response}}
Output:
```json
{{
  "scores": {{"A": 1}}
}}
```
"""


def build(history):
    return EVAL_PROMPT_TEMPLATE.format(conversation_history=history)
'''
T3 = '''EVAL_PROMPT_TEMPLATE = """Placeholder empathy judge.
Context:
{conversation_context}
Final Model Response (Audio to Evaluate):
Think step by step, then output only:
{{"scores": {{"textual_empathy_insight": 1}}}}
"""
'''


def fake_checkout(root):
    folder = root / "Emotional_Intelligence"
    folder.mkdir(parents=True)
    for n in (1, 2):  # write the unescaped JSON example exactly as the real Task 1-2 files have it
        body = T12.replace("{n}", str(n)).replace("{{", "{").replace("}}", "}")
        (folder / f"eval_task{n}.py").write_text(body, encoding="utf-8")
    (folder / "eval_task3.py").write_text(T3, encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("c0ffee" * 6 + "abcd\n")
    return root


def _raw_template(root, n):
    import ast
    tree = ast.parse((root / "Emotional_Intelligence" / f"eval_task{n}.py").read_text(encoding="utf-8"))
    return next(node.value.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                and node.targets[0].id == "EVAL_PROMPT_TEMPLATE")


class Recorder:
    name = "recorder"

    def __init__(self):
        self.requests = []

    def describe(self):
        return {"backend": "recorder", "comparable_to_official": True}

    def judge(self, request, parse):
        self.requests.append(request)
        dims = {"T3": ("textual_empathy_insight", "vocal_empathy_congruence", "audio_quality_naturalness")}
        keys = dims.get(request.metadata["task"], ("Accuracy_Completeness", "Depth_Granularity", "Added_Value",
                                                   "Information_Integration", "Insight_RootCause", "Clarity_Logic"))
        return answered_verdict(self.name, "m", request, json.dumps({"scores": {k: 4 for k in keys}}), parse)

    def judge_many(self, requests, parse):
        return [self.judge(r, parse) for r in requests]


def test_import_writes_verbatim_rubrics(tmp_path):
    repo = fake_checkout(tmp_path / "Hum-Dial")
    done = import_official(repo, tmp_path / "rubrics")
    assert [d.unescaped for d in done] == [False, False, True]
    t1 = load_rubric_file(tmp_path / "rubrics" / "track1_trajectory.official.txt")
    assert t1.id == "track1_trajectory" and t1.version.startswith("official-")
    assert t1.text == _raw_template(repo, 1)  # byte for byte, leading newline included
    t3 = load_rubric_file(tmp_path / "rubrics" / "track1_empathy.official.txt")
    assert '{"scores": {"textual_empathy_insight": 1}}' in t3.text and "{{" not in t3.text
    assert "c0ffee" in (tmp_path / "rubrics" / "track1_empathy.official.txt").read_text()


def test_import_refuses_a_folder_that_is_not_the_checkout(tmp_path, capsys):
    assert main(["rubric", "import", "--official-repo", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "eval_task1.py not found" in capsys.readouterr().err


def test_official_run_sends_the_official_prompt_bytes(tmp_path):
    repo = fake_checkout(tmp_path / "Hum-Dial")
    assert main(["rubric", "import", "--official-repo", str(repo), "--out", str(tmp_path / "rubrics")]) == 0
    from humdial.commands.eval_track1 import _rubrics
    gold_root, sub_root = write_example(tmp_path / "ex", langs=("en",), per_task=1)
    recorder = Recorder()
    results = evaluate(gold_root, sub_root, recorder, tmp_path / "run",
                       EvalOptions(rubrics=_rubrics([str(tmp_path / "rubrics")]), langs=("en",)))
    assert "warning" not in results["provenance"]["prompts"]
    assert results["provenance"]["judge_request"]["temperature"] == 0.6
    gold = {d.task.code: d for d in load_tree(gold_root, "gold").dialogues}
    sub = {d.task.code: d for d in load_tree(sub_root, "submission").dialogues}
    sent = {r.metadata["task"]: r for r in recorder.requests}
    for code, n in (("T1", 1), ("T2", 2)):
        turns = [(g, s) for g, s in zip(gold[code].turns, sub[code].turns)]
        history = "\n".join(f"用户(emotion:{g.label}): {g.text}\nAI: {s.response_text.strip()}" for g, s in turns)
        template = _raw_template(repo, n)
        expected = (template.replace("{conversation_history}", history)
                    .replace("{user_question}", turns[-1][0].text)
                    .replace("{final_model_response}", turns[-1][1].response_text.strip()))
        assert sent[code].parts[-1].text == expected and sent[code].system == ""
    item = next(i for i in results["items"] if i["task"] == "T3")
    turns = [(g, s) for g, s in zip(gold["T3"].turns, sub["T3"].turns) if g.turn_id <= item["eval_turn"]]
    context = "\n".join(f"User({g.label}): {g.text}\nAI: {s.response_text}" for g, s in turns)
    assert sent["T3"].parts[-1].text == _raw_template(repo, 3).format(conversation_context=context)
    assert sent["T3"].parts[0].kind == "audio"  # audio first, as the official message


def test_official_mode_with_own_rubrics_says_so(tmp_path):
    gold_root, sub_root = write_example(tmp_path / "ex", langs=("en",), per_task=1)
    results = evaluate(gold_root, sub_root, Recorder(), tmp_path / "run", EvalOptions(langs=("en",)))
    assert "humdial's own rubrics" in results["provenance"]["prompts"]["warning"]
