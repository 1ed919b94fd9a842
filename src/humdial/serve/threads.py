"""One BLAS thread per process for live serving.

Sessions run on their own threads and are the server's parallelism. OpenBLAS's own worker threads on
top of them spin against each other: measured on a loaded 2-core machine, one 3 s GE2E speaker
embedding took 10 s with OpenBLAS's default threads and 0.33 s with one. numpy gives no API for
this, so the loaded OpenBLAS library is asked directly (what threadpoolctl does).
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads64_",
           "openblas_set_num_threads")


def limit_blas_threads(n: int = 1) -> list[str]:
    """Limit every OpenBLAS loaded in this process to n threads; returns the libraries changed."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(n))  # for libraries loaded later
    changed = []
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return changed
    libs = sorted({line.split()[-1] for line in maps.splitlines() if "openblas" in line.lower() and ".so" in line})
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in SETTERS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(ctypes.c_int(n))
                changed.append(path)
                break
    return changed
