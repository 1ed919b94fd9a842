"""The package's layering (docs/architecture.md): no module imports from a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

import humdial

PACKAGE = Path(humdial.__file__).parent

LAYERS: dict[str, int] = {
    "errors": 0, "protocol": 0, "__init__": 0,
    "audio": 1, "execute": 1, "results": 1,
    "layouts": 2, "models": 2, "asr": 2, "tts": 2, "llm": 2,
    "judge": 3, "scoring": 3, "respond": 3,
    "generate": 4, "agent": 4, "empathy": 4, "evaluate": 4,
    "submit": 5, "report": 5, "serve": 5,
    "pipeline": 6,
    "commands": 7, "cli": 7, "__main__": 8,
}
"""Top-level folder (or module) -> layer, as drawn in docs/architecture.md."""


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, root: Path = PACKAGE) -> list[tuple[str, int]]:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((name, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return [(name, line) for name, line in found if name == "humdial" or name.startswith("humdial.")]


def test_every_top_level_folder_has_a_layer():
    tops = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
            if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))}
    assert tops - set(LAYERS) == set(), "declare the new folder's layer here and in docs/architecture.md"


def _violations(root: Path) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        here = _top(".".join(rel.parts))
        for name, line in _imports(path, root):
            there = _top(name)
            if there in LAYERS and here in LAYERS and LAYERS[there] > LAYERS[here]:
                out.append(f"{path.relative_to(root)}:{line} ({here}, layer {LAYERS[here]}) imports "
                           f"{name} (layer {LAYERS[there]})")
    return out


def test_no_import_runs_up_a_layer():
    assert _violations(PACKAGE) == []


def test_the_checker_reports_an_upward_import(tmp_path):
    root = tmp_path / "humdial"
    (root / "scoring").mkdir(parents=True)
    (root / "scoring" / "__init__.py").write_text("from humdial.report import build\nfrom ..protocol import x\n")
    (root / "report").mkdir()
    (root / "report" / "__init__.py").write_text("from humdial.scoring import track2\n")
    assert len(_violations(root)) == 1 and "scoring/__init__.py:1" in _violations(root)[0]
