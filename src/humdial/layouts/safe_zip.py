"""Extract untrusted zip archives safely.

Refuses, with a message naming the member: absolute paths, drive letters, `..` components,
symlinks and other non-regular entries, too many members, and decompression bombs (a total
or per-member size over the limit, or a compression ratio beyond what speech audio produces).
Sizes are enforced on the bytes actually written, not only on the header's claims.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from humdial.errors import HumdialError, UnsafeArchiveError


@dataclass(frozen=True)
class ZipLimits:
    max_total_bytes: int = 32 * 1024**3
    """Total uncompressed size (a full Track 2 submission is a few GB of wav)."""
    max_member_bytes: int = 2 * 1024**3
    """Largest single file."""
    max_members: int = 100_000
    max_ratio: float = 200.0
    """Uncompressed/compressed ratio above which a member over 1 MiB is treated as a bomb."""


def _check_name(name: str) -> PurePosixPath:
    if "\x00" in name:
        raise UnsafeArchiveError(f"zip member name contains a NUL byte: {name!r}")
    norm = name.replace("\\", "/")
    path = PurePosixPath(norm)
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        raise UnsafeArchiveError(f"zip member has an absolute path: {name!r}")
    if any(part == ".." for part in path.parts):
        raise UnsafeArchiveError(f"zip member escapes the extraction folder (path traversal): {name!r}")
    return path


def safe_extract(zip_path: str | Path, dest: str | Path, limits: ZipLimits = ZipLimits()) -> list[Path]:
    """Extract regular files into `dest` after checking every member; returns the written paths."""
    dest = Path(dest).resolve()
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeArchiveError(f"not a readable zip archive: {zip_path} ({exc})") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise UnsafeArchiveError(f"zip has {len(infos)} members; the limit is {limits.max_members}")
        total = 0
        plan: list[tuple[zipfile.ZipInfo, Path]] = []
        for info in infos:
            rel = _check_name(info.filename)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeArchiveError(f"zip member is a symbolic link: {info.filename!r}")
            if info.is_dir():
                continue
            if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
                raise UnsafeArchiveError(f"zip member is not a regular file: {info.filename!r}")
            if info.file_size > limits.max_member_bytes:
                raise UnsafeArchiveError(f"zip member {info.filename!r} is {info.file_size} bytes; "
                                         f"limit {limits.max_member_bytes} (decompression bomb?)")
            if info.file_size > 1024**2 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise UnsafeArchiveError(f"zip member {info.filename!r} expands {info.file_size / max(info.compress_size, 1):.0f}x "
                                         "(decompression bomb)")
            total += info.file_size
            if total > limits.max_total_bytes:
                raise UnsafeArchiveError(f"zip expands to more than {limits.max_total_bytes} bytes (decompression bomb)")
            target = (dest / rel).resolve()
            if dest != target and dest not in target.parents:
                raise UnsafeArchiveError(f"zip member escapes the extraction folder: {info.filename!r}")
            plan.append((info, target))
        written: list[Path] = []
        budget = limits.max_total_bytes
        for info, target in plan:
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(target, "wb") as out:
                remaining = min(info.file_size, limits.max_member_bytes)
                copied = 0
                while chunk := src.read(1 << 20):
                    copied += len(chunk)
                    if copied > remaining or copied > budget:
                        out.close()
                        target.unlink(missing_ok=True)
                        raise UnsafeArchiveError(f"zip member {info.filename!r} produced more bytes than declared")
                    out.write(chunk)
                budget -= copied
            written.append(target)
        return written


def open_folder_or_zip(path: str | Path, work_dir: str | Path) -> Path:
    """Return a folder with the contents: `path` itself, or a safe extraction of the zip into work_dir."""
    path = Path(path)
    if path.is_dir():
        return path
    if path.is_file() and zipfile.is_zipfile(path):
        dest = Path(work_dir) / f"extracted-{path.stem}"
        if dest.exists():
            shutil.rmtree(dest)
        safe_extract(path, dest)
        return dest
    raise HumdialError(f"{path} is neither a folder nor a zip archive")
