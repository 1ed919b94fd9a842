"""Error types. An ItemError is about one input item: it is recorded in the results, never fatal."""


EXIT_OK = 0
"""Every item evaluated (warnings allowed). The exit codes are documented in docs/exit_codes.md."""
EXIT_ITEMS_FAILED = 1
"""The command finished, but some items failed (counted in the results with their reasons)."""
EXIT_USAGE = 2
"""Usage or preflight error: bad arguments, a data set the command cannot read, too much missing."""
EXIT_STAGE_FAILED = 3
"""A stage could not run at all (e.g. the judge is unreachable, or it failed for every item)."""


class HumdialError(Exception):
    """A problem that stops a command (bad arguments, unusable configuration)."""

    exit_code = EXIT_USAGE


class PreflightError(HumdialError):
    """The checks before the slow stages found nothing to evaluate, or more missing than allowed."""


class StageError(HumdialError):
    """A stage could not run at all (an unreachable judge, a backend failing on every item)."""

    exit_code = EXIT_STAGE_FAILED


class ItemError(Exception):
    """A problem with one item (file, sample, line). Callers record it with its reason and go on."""

    kind = "item_error"

    def __init__(self, message: str, path: object | None = None):
        super().__init__(message)
        self.path = None if path is None else str(path)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": str(self), "path": self.path}


class AudioError(ItemError):
    kind = "audio_error"


class AnnotationError(ItemError):
    kind = "annotation_error"


class TranscriptError(ItemError):
    kind = "transcript_error"


class UnsafeArchiveError(HumdialError):
    """An archive that tries path traversal, absolute paths, links, or decompression bombs."""


class MissingExtraError(HumdialError):
    """An optional backend was requested but its extra is not installed."""

    def __init__(self, extra: str, module: str, purpose: str):
        super().__init__(
            f"{purpose} needs the optional extra '{extra}' (python module '{module}' is not installed): "
            f"pip install 'humdial[{extra}]'"
        )
        self.extra = extra
