"""Open a submission given as a folder or a zip (extracted safely into a temporary folder)."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from humdial.errors import HumdialError
from humdial.layouts.safe_zip import open_folder_or_zip


@contextmanager
def opened(path: str | Path) -> Iterator[Path]:
    """Yield a folder with the submission's files; a zip is checked member by member before extraction
    (UnsafeArchiveError on traversal, links or bombs)."""
    path = Path(path)
    if not path.exists():
        raise HumdialError(f"submission not found: {path}")
    if path.is_dir():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="humdial-submission-") as tmp:
        yield open_folder_or_zip(path, tmp)


def find_root(folder: Path, name: str, markers: tuple[str, ...]) -> Path:
    """The submission root: `folder/<name>` when present, else `folder` itself, else a single
    subfolder holding one of `markers` (zips made by hand often add a level)."""
    if (folder / name).is_dir():
        return folder / name
    if any((folder / m).exists() for m in markers):
        return folder
    candidates = [d for d in folder.iterdir() if d.is_dir() and any((d / m).exists() for m in markers)]
    return candidates[0] if len(candidates) == 1 else folder
