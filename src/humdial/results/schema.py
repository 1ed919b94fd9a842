"""Shared plumbing of the result-file models: versioned reading, validated atomic writing, clear errors.

Every result file carries `"schema": "humdial.<name>/<version>"`. A reader accepts its own version and
the older versions it lists; anything else (missing, older, newer, another file's schema) is refused
with a message that names the file and says what to do, and an invalid field is reported as
`<file>: <field.path>: <reason>`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from humdial.errors import HumdialError

M = TypeVar("M", bound=BaseModel)


class ResultsFileError(HumdialError):
    """A result file is missing, unreadable, of another schema version, or fails validation."""


class Record(BaseModel):
    """Base of every result model: unknown keys are kept (a newer writer's extras are not lost)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


def describe_validation_error(exc: ValidationError, limit: int = 5) -> str:
    """`field.path: reason` for the first `limit` problems of a pydantic error."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    more = exc.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more problem(s)" if more > 0 else "")


def check_schema(data: dict, path: Path, current: str, older: tuple[str, ...] = (), rerun: str = "") -> None:
    """Refuse a file of another schema; `older` versions are read as they are (their fields are a subset)."""
    found = data.get("schema")
    if found == current or found in older:
        return
    family = current.rsplit("/", 1)[0]
    hint = f"; re-run `{rerun}` to rewrite it" if rerun else ""
    if found is None:
        raise ResultsFileError(f"{path}: no schema version (written by an older humdial before result files were "
                               f"versioned); this humdial reads {current}{hint}")
    if isinstance(found, str) and found.startswith(family + "/"):
        raise ResultsFileError(f"{path}: schema {found} is not readable by this humdial (it reads {current}"
                               + (f" and {', '.join(older)}" if older else "") + f"){hint}")
    raise ResultsFileError(f"{path}: schema {found!r} is not a {family} file (expected {current})")


def read_json_object(path: Path) -> dict:
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsFileError(f"{path}: unreadable ({exc})") from None
    if not isinstance(value, dict):
        raise ResultsFileError(f"{path}: not a JSON object")
    return value


def validate(model: type[M], data: Any, path: Path | str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ResultsFileError(f"{path}: invalid {model.__name__}: {describe_validation_error(exc)}") from None


def load_model(path: str | Path, model: type[M], current: str, older: tuple[str, ...] = (), rerun: str = "") -> M:
    path = Path(path)
    data = read_json_object(path)
    check_schema(data, path, current, older, rerun)
    return validate(model, data, path)


def dump(model: BaseModel) -> dict:
    """The JSON-ready dict of a model: the keys the writer gave, under their on-disk names."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def write_model(path: str | Path, model: BaseModel, indent: int = 1) -> Path:
    """Write atomically (temp file in the same folder, then rename), indented so a person can read it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dump(model), handle, ensure_ascii=False, indent=indent)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
