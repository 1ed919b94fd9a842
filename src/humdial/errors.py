"""Error types. An ItemError is about one input item: it is recorded in the results, never fatal."""


class HumdialError(Exception):
    """A problem that stops a command (bad arguments, unusable configuration)."""


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
