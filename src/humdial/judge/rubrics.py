"""Versioned rubric texts.

Packaged rubrics live in `humdial/judge/rubrics/<id>.v<N>.txt`. Each file starts with a small header,
then a line `---`, then the text sent to the judge:

    id: track2_behaviour
    version: 1
    note: free text, not sent to the judge
    ---
    <rubric text>

A header line `verbatim: yes` keeps the text after the `---` line byte for byte (no newline trimmed or
added): `humdial rubric import` writes the organisers' templates that way, so the prompt bytes match theirs.

A rubric never changes in place: a wording change is a new file with the next version number, so a
verdict's (rubric id, version) always names the exact text it was judged under.

`load_rubric_file(path)` accepts any text file (e.g. the organisers' prompt from a local checkout, for
runs that must match them exactly). Without our header, the id is the file stem and the version is
`sha-<first 12 hex of the content hash>`, so two different texts never share a version.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from humdial.errors import HumdialError

RUBRIC_DIR = "rubrics"
_NAME = re.compile(r"^(?P<id>[A-Za-z0-9_\-]+)\.v(?P<version>\d+)\.txt$")
_HEADER_KEYS = {"id", "version", "note", "source", "verbatim"}


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    text: str
    source: str
    """Where the text came from: 'package:<file>' or an absolute path."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def describe(self) -> dict:
        return {"id": self.id, "version": self.version, "sha256": self.sha256, "source": self.source}


def _split_header(content: str) -> tuple[dict[str, str], str] | None:
    """Parse `key: value` lines up to `---`; None when the file has no such header."""
    lines = content.splitlines(keepends=True)
    header: dict[str, str] = {}
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped == "---":
            if "id" in header and "version" in header:
                body = "".join(lines[i + 1:])
                return header, body if header.get("verbatim") == "yes" else body.strip("\n") + "\n"
            return None
        key, sep, value = stripped.partition(":")
        if not sep or key.strip() not in _HEADER_KEYS:
            return None
        header[key.strip()] = value.strip()
    return None


def render_rubric_file(rubric_id: str, version: str, text: str, note: str = "", source: str = "") -> str:
    """A rubric file whose body is `text` exactly (header `verbatim: yes`)."""
    header = [f"id: {rubric_id}", f"version: {version}"]
    header += [f"{k}: {' '.join(v.split())}" for k, v in (("note", note), ("source", source)) if v]
    return "\n".join(header + ["verbatim: yes", "---", ""]) + text


def parse_rubric(content: str, source: str, fallback_id: str) -> Rubric:
    parsed = _split_header(content)
    if parsed is not None:
        header, body = parsed
        return Rubric(id=header["id"], version=header["version"], text=body, source=source)
    if not content.strip():
        raise HumdialError(f"rubric {source} is empty")
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]
    return Rubric(id=fallback_id, version=f"sha-{digest}", text=content, source=source)


def _packaged() -> dict[str, dict[int, str]]:
    """{rubric id: {version number: file name}} for every packaged rubric."""
    found: dict[str, dict[int, str]] = {}
    for entry in resources.files(__package__).joinpath(RUBRIC_DIR).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.setdefault(match["id"], {})[int(match["version"])] = entry.name
    return found


def available_rubrics() -> dict[str, list[int]]:
    return {rid: sorted(versions) for rid, versions in sorted(_packaged().items())}


def load_rubric(rubric_id: str, version: int | None = None) -> Rubric:
    """A packaged rubric; the newest version unless `version` is given."""
    packaged = _packaged()
    if rubric_id not in packaged:
        raise HumdialError(f"unknown rubric {rubric_id!r}; packaged: {', '.join(sorted(packaged)) or 'none'}")
    versions = packaged[rubric_id]
    chosen = max(versions) if version is None else version
    if chosen not in versions:
        raise HumdialError(f"rubric {rubric_id!r} has no version {chosen}; have {sorted(versions)}")
    name = versions[chosen]
    content = resources.files(__package__).joinpath(RUBRIC_DIR, name).read_text(encoding="utf-8")
    rubric = parse_rubric(content, f"package:{name}", rubric_id)
    if rubric.id != rubric_id or rubric.version != str(chosen):
        raise HumdialError(f"packaged rubric {name} declares id {rubric.id!r} version {rubric.version!r}")
    return rubric


def load_rubric_file(path: str | Path) -> Rubric:
    """Any rubric text from disk (`--rubric FILE`)."""
    path = Path(path)
    try:
        content = path.read_bytes().decode("utf-8")  # no newline translation: prompt bytes stay exact
    except (OSError, UnicodeDecodeError) as exc:
        raise HumdialError(f"cannot read rubric file {path}: {exc}") from exc
    match = _NAME.match(path.name)
    fallback = match["id"] if match else path.stem
    return parse_rubric(content, str(path.resolve()), fallback)
