"""Extract untrusted zip archives safely.

Refuses, with a message naming the member: absolute paths, drive letters, `..` components,
names that are the extraction folder itself (`.`), too deep or too long names, duplicate names,
a file and a folder of the same name, symlinks and other non-regular entries, encrypted members,
unsupported compression methods, too many members, and decompression bombs (a total or per-member
size over the limit, or a compression ratio beyond what speech audio produces, per member or over
the whole archive). Sizes are enforced on the bytes actually written, not only on the header's
claims; a truncated member or a bad CRC is an UnsafeArchiveError naming the member, never a traceback.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
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
    """Uncompressed/compressed ratio above which a member over 1 MiB, or a whole archive over
    RATIO_FLOOR bytes, is treated as a bomb (wav compresses about 1.1-3x)."""
    max_depth: int = 32
    """Folder levels in a member name (a submission has 3)."""
    max_name_bytes: int = 255
    """Bytes in one name component (the usual file-system limit)."""


RATIO_FLOOR = 16 * 1024**2
"""Archives expanding to less than this are never called bombs by the whole-archive ratio."""
METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
EXTRACTED_MARKER = ".humdial-extracted"
"""Written into every extraction folder: only a folder holding it is ever removed and re-extracted."""


def _check_name(name: str, limits: "ZipLimits") -> PurePosixPath:
    if "\x00" in name:
        raise UnsafeArchiveError(f"zip member name contains a NUL byte: {name!r}")
    norm = name.replace("\\", "/")
    path = PurePosixPath(norm)
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        raise UnsafeArchiveError(f"zip member has an absolute path: {name!r}")
    if any(part == ".." for part in path.parts):
        raise UnsafeArchiveError(f"zip member escapes the extraction folder (path traversal): {name!r}")
    if not path.parts and not norm.endswith("/"):  # "./" is a harmless folder entry; "." a file named like the folder
        raise UnsafeArchiveError(f"zip member names the extraction folder itself: {name!r}")
    if len(path.parts) > limits.max_depth:
        raise UnsafeArchiveError(f"zip member is {len(path.parts)} folders deep (limit {limits.max_depth}): "
                                 f"{name[:80]!r}...")
    if any(len(part.encode("utf-8", "surrogateescape")) > limits.max_name_bytes for part in path.parts):
        raise UnsafeArchiveError(f"zip member has a name component over {limits.max_name_bytes} bytes: {name[:80]!r}...")
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
        total = compressed = 0
        plan: list[tuple[zipfile.ZipInfo, Path]] = []
        files: set[PurePosixPath] = set()
        folders: set[PurePosixPath] = set()
        for info in infos:
            rel = _check_name(info.filename, limits)
            if not rel.parts:
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeArchiveError(f"zip member is a symbolic link: {info.filename!r}")
            parents = set(rel.parents) - {PurePosixPath(".")}
            if info.is_dir():
                parents.add(rel)
            if rel in files or (parents & files) or (not info.is_dir() and rel in folders):
                raise UnsafeArchiveError(f"zip member {info.filename!r} clashes with another member of the same name "
                                         "(a duplicate, or a file and a folder with one name)")
            folders |= parents
            if info.is_dir():
                continue
            files.add(rel)
            if info.flag_bits & 0x1:
                raise UnsafeArchiveError(f"zip member is encrypted: {info.filename!r}; pack the submission without a password")
            if info.compress_type not in METHODS:
                raise UnsafeArchiveError(f"zip member {info.filename!r} uses compression method {info.compress_type}, "
                                         "which is not supported; use deflate or store")
            compressed += info.compress_size
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
            if total > RATIO_FLOOR and total > limits.max_ratio * max(compressed, 1):
                raise UnsafeArchiveError(f"zip expands {total / max(compressed, 1):.0f}x over its members "
                                         "(decompression bomb)")
            target = (dest / rel).resolve()
            if dest != target and dest not in target.parents:
                raise UnsafeArchiveError(f"zip member escapes the extraction folder: {info.filename!r}")
            plan.append((info, target))
        written: list[Path] = []
        budget = limits.max_total_bytes
        for info, target in plan:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                budget -= _copy_member(archive, info, target, min(info.file_size, limits.max_member_bytes, budget))
            except UnsafeArchiveError:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError,
                    OSError) as exc:  # truncated data, bad CRC, a method the runtime lacks, a file-system refusal
                if target.is_file():
                    target.unlink()
                raise UnsafeArchiveError(f"zip member {info.filename!r} cannot be extracted: "
                                         f"{type(exc).__name__}: {exc}") from None
            written.append(target)
        return written


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, allowed: int) -> int:
    """Copy one member, refusing more than `allowed` bytes; returns the bytes written."""
    copied = 0
    with archive.open(info) as src, open(target, "wb") as out:
        while chunk := src.read(1 << 20):
            copied += len(chunk)
            if copied > allowed:
                out.close()
                target.unlink(missing_ok=True)
                raise UnsafeArchiveError(f"zip member {info.filename!r} produced more bytes than declared")
            out.write(chunk)
    return copied


def open_folder_or_zip(path: str | Path, work_dir: str | Path) -> Path:
    """Return a folder with the contents: `path` itself, or a safe extraction of the zip into work_dir."""
    path = Path(path)
    if path.is_dir():
        return path
    if path.is_file() and zipfile.is_zipfile(path):
        dest = Path(work_dir) / f"extracted-{path.stem}"
        if dest.exists() or dest.is_symlink():
            # only a folder this function made (it holds the marker) is ever removed: never the user's files
            if dest.is_symlink() or not dest.is_dir() or not (dest / EXTRACTED_MARKER).is_file():
                raise HumdialError(f"{dest} exists and was not made by humdial's zip extraction; refusing to replace "
                                   "it. Move it away or choose another --out")
            if dest.resolve() in path.resolve().parents:
                raise HumdialError(f"the archive {path} lies inside its own extraction folder {dest}; move it first")
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        (dest / EXTRACTED_MARKER).write_text("extracted by humdial from " + path.name + "\n", encoding="utf-8")
        safe_extract(path, dest)
        return dest
    raise HumdialError(f"{path} is neither a folder nor a zip archive")
