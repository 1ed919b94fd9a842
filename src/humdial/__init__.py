"""humdial: the open toolkit for the ICASSP 2026 HumDial challenge (both tracks)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("humdial")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
