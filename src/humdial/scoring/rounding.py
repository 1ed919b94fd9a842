"""Round half up on the decimal string of a value, as the organisers' readme demands ("四舍五入").

Python's round() is half-to-even on binary floats (round(38.55, 1) == 38.5); the published
tables use half-up on the printed decimals (38.55 -> 38.6).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def dec(x: float | int | str | Decimal) -> Decimal:
    """Exact decimal of a value as printed (repr of a float), so 0.1 stays 0.1."""
    return x if isinstance(x, Decimal) else Decimal(str(x))


def round_half_up(x: float | int | str | Decimal, digits: int) -> float:
    quantum = Decimal(1).scaleb(-digits)
    return float(dec(x).quantize(quantum, rounding=ROUND_HALF_UP))


def mean(values) -> Decimal:
    values = [dec(v) for v in values]
    if not values:
        raise ValueError("mean of no values")
    return sum(values, Decimal(0)) / len(values)
