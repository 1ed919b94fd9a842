"""Small helpers shared by the ASR backends: model-file hashing, path checks, optional-extra checks.

Model hashes serve two purposes: integrity (the bundled whisper files must match the pinned
hashes before we load them) and provenance (results and transcript cache keys name the exact model).
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from pathlib import Path
from typing import Any, Callable

from humdial.execute.cache import file_sha256
from humdial.errors import HumdialError, MissingExtraError

_hash_memo: dict[tuple[str, int, int], str] = {}
_hash_lock = threading.Lock()
_lazy_init_lock = threading.Lock()


def sha256_file(path: str | Path) -> str:
    """sha256 of one file, memoised per process on (path, size, mtime) because models are large."""
    path = Path(path).resolve()
    stat = path.stat()
    memo_key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _hash_lock:
        if memo_key in _hash_memo:
            return _hash_memo[memo_key]
    value = file_sha256(path)
    with _hash_lock:
        _hash_memo[memo_key] = value
    return value


def model_fingerprint(path: str | Path) -> str:
    """One sha256 for a model file or a model directory (over relative names and file hashes, sorted)."""
    path = Path(path)
    if path.is_file():
        return sha256_file(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(file.relative_to(path).as_posix().encode("utf-8") + b"\0")
        digest.update(sha256_file(file).encode("ascii") + b"\n")
    return digest.hexdigest()


def verify_sha256(directory: Path, expected: dict[str, str], what: str) -> None:
    """Raise HumdialError unless every named file exists under `directory` with the expected sha256."""
    for name, want in expected.items():
        file = directory / name
        if not file.is_file():
            raise HumdialError(f"{what}: model file missing: {file}")
        got = sha256_file(file)
        if got != want:
            raise HumdialError(
                f"{what}: sha256 mismatch for {file}: expected {want}, found {got}. "
                "The installed model package is not the pinned one (or is corrupted); reinstall it, "
                "or pass a model directory you trust explicitly by path.")


def require_path(path: str | Path | None, what: str, hint: str, *, kind: str = "any") -> Path:
    """Check a user-given model path exists (kind: 'file', 'dir' or 'any'); HumdialError otherwise."""
    if path is None or str(path).strip() == "":
        raise HumdialError(f"{what} needs a local model path. {hint}")
    resolved = Path(path).expanduser()
    if not resolved.exists():
        raise HumdialError(f"{what}: model path does not exist: {resolved}. {hint}")
    if kind == "file" and not resolved.is_file():
        raise HumdialError(f"{what}: expected a model file, got a directory: {resolved}. {hint}")
    if kind == "dir" and not resolved.is_dir():
        raise HumdialError(f"{what}: expected a model directory, got a file: {resolved}. {hint}")
    return resolved


def require_module(module: str, extra: str, purpose: str) -> None:
    """Fail early, without importing anything heavy, when an optional extra is not installed."""
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise MissingExtraError(extra, module, purpose)


class LazyModel:
    """Mixin: load a heavy model once, on first use, thread-safely; pickles without the model.

    Backends stay cheap to construct (argument errors surface before a long run starts) and can be
    shipped to worker processes, each of which loads its own copy.
    """

    _model: Any = None
    _model_lock: threading.Lock | None = None

    def _lazy_model(self, load: Callable[[], Any]) -> Any:
        with _lazy_init_lock:
            if self._model_lock is None:
                self._model_lock = threading.Lock()
        with self._model_lock:
            if self._model is None:
                self._model = load()
            return self._model

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_model", None)
        state.pop("_model_lock", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
