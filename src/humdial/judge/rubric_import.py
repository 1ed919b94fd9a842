"""Import the organisers' Track 1 judge prompts from a user's local checkout of their repository.

humdial never ships those texts; this reads them at run time from `Emotional_Intelligence/eval_task{1,2,3}.py`
of a checkout of ASLP-lab/Hum-Dial and writes them as humdial rubric files (header `verbatim: yes`, so the
prompt bytes are theirs). The template is the module-level string constant whose name contains "PROMPT"
(found with `ast`, never executed). Escaping: the Task 3 template is a valid `str.format` string with its
literal braces written `{{ }}`; it is un-escaped here (what `.format` would produce, placeholders kept), so
every imported file is a plain placeholder template. The Task 1-2 templates cannot be formatted as published
(unescaped JSON example); they are kept as written and filled by placeholder replacement, "as intended".
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

from humdial.errors import HumdialError
from humdial.judge.rubrics import render_rubric_file
from humdial.protocol.track1 import Task
from humdial.protocol.track1_dimensions import RUBRIC_IDS

SCRIPT_DIR = "Emotional_Intelligence"
SCRIPTS = {Task.TRAJECTORY: "eval_task1.py", Task.REASONING: "eval_task2.py", Task.EMPATHY: "eval_task3.py"}
SLOTS = {Task.TRAJECTORY: ("conversation_history", "user_question", "final_model_response"),
         Task.REASONING: ("conversation_history", "user_question", "final_model_response"),
         Task.EMPATHY: ("conversation_context",)}
"""Placeholders each official template must contain."""


@dataclass(frozen=True)
class Imported:
    task: Task
    path: Path
    variable: str
    unescaped: bool
    """True when `{{ }}` were turned into `{ }` (the template was a valid format string)."""
    sha256: str
    """Of the template as written in the script (before un-escaping)."""


def _template(script: Path) -> tuple[str, str]:
    """(variable name, string) of the prompt template constant in `script`."""
    try:
        tree = ast.parse(script.read_bytes().decode("utf-8"), filename=str(script))
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        raise HumdialError(f"cannot read {script}: {exc}") from exc
    found: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [(t.id, node.value.value) for t in targets if isinstance(t, ast.Name) and "PROMPT" in t.id.upper()]
    if not found:
        raise HumdialError(f"{script}: no string constant named like *PROMPT*; is this the organisers' script?")
    found.sort(key=lambda nv: (nv[0] != "EVAL_PROMPT_TEMPLATE", -len(nv[1])))
    return found[0]


def unescape(template: str, slots: tuple[str, ...]) -> tuple[str, bool]:
    """What `template.format(...)` leaves of the literal text, placeholders kept; unchanged if unformattable."""
    try:
        return template.format(**{name: "{" + name + "}" for name in slots}), True
    except (KeyError, ValueError, IndexError, AttributeError):
        return template, False


def _commit(repo: Path) -> str:
    head = repo / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if ref.startswith("ref: "):
            name = ref[5:]
            loose = repo / ".git" / name
            if loose.is_file():
                return loose.read_text().strip()
            packed = repo / ".git" / "packed-refs"
            for line in packed.read_text().splitlines() if packed.is_file() else []:
                if line.endswith(" " + name):
                    return line.split()[0]
            return ""
        return ref
    except OSError:
        return ""


def import_official(repo: str | Path, out_dir: str | Path) -> list[Imported]:
    """Write `<id>.official.txt` for each task into `out_dir`; raises HumdialError naming what is missing."""
    repo, out_dir = Path(repo), Path(out_dir)
    commit = _commit(repo)
    done: list[Imported] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for task, name in SCRIPTS.items():
        script = repo / SCRIPT_DIR / name
        if not script.is_file():
            raise HumdialError(f"{script} not found; --official-repo must be a checkout of ASLP-lab/Hum-Dial")
        variable, template = _template(script)
        missing = [s for s in SLOTS[task] if "{" + s + "}" not in template]
        if missing:
            raise HumdialError(f"{script}: template {variable} lacks placeholders {missing}")
        text, unescaped = unescape(template, SLOTS[task])
        digest = hashlib.sha256(template.encode("utf-8")).hexdigest()
        source = f"{SCRIPT_DIR}/{name}:{variable}" + (f" @ {commit}" if commit else "")
        (out_dir / f"{RUBRIC_IDS[task]}.official.txt").write_bytes(render_rubric_file(
            RUBRIC_IDS[task], f"official-{digest[:12]}", text, note="organisers' template, imported by humdial "
            "rubric import; not redistributable with humdial", source=source).encode("utf-8"))
        done.append(Imported(task, out_dir / f"{RUBRIC_IDS[task]}.official.txt", variable, unescaped, digest))
    return done
