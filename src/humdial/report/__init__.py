"""The self-contained HTML report of a run directory (`humdial report RUN_DIR`)."""

from humdial.report.build import ReportOptions, build_report

__all__ = ["ReportOptions", "build_report"]
