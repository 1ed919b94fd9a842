"""Official Track 1 arithmetic (results page, 2025-12-13) and a check of the published table.

    Final(lang) = 0.2*T1avg + 0.2*T2avg + 0.1*T3D1 + 0.25*T3D2 + 0.25*T3D3
    Final       = 0.5*Final(zh) + 0.5*Final(en)

T1avg / T2avg are the means of their three dimensions. All arithmetic is decimal; displayed values are
rounded half up to 2 decimals. The overall final is computed from the *unrounded* per-language finals:
that is the only reading under which all eight published overall finals reproduce (the baseline's
2.82 = 0.5*3.1975 + 0.5*2.4465 rounds to 2.82, while the rounded 3.20 and 2.45 would give 2.83).

Two published per-language finals (TeleAI zh 4.26, BJTU zh 4.18) sit exactly on a half from the
published (rounded) components (4.265, 4.185); the organisers' unrounded components decided which
way they went. `reproduce_published` reports those as `tie`, every other row must be `exact`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping

from humdial.protocol.resources import load_json, published_results
from humdial.scoring.rounding import dec, mean, round_half_up

_DATA = load_json("track1_scoring.json")
WEIGHTS: dict[str, Decimal] = {k: Decimal(v) for k, v in _DATA["final_weights"].items()}
"""Per-language weights of the final score (protocol/data/track1_scoring.json)."""
LANG_WEIGHTS: dict[str, Decimal] = {k: Decimal(v) for k, v in _DATA["language_weights"].items()}
FINAL_DIGITS: int = _DATA["final_digits"]
"""Published tables show 2 decimals."""


@dataclass(frozen=True)
class Components:
    """The five inputs of a per-language final."""

    t1_avg: Decimal
    t2_avg: Decimal
    t3_d1: Decimal
    t3_d2: Decimal
    t3_d3: Decimal

    @classmethod
    def from_dims(cls, t1: Iterable[float], t2: Iterable[float], t3_d1: float, t3_d2: float,
                  t3_d3: float) -> "Components":
        return cls(mean(t1), mean(t2), dec(t3_d1), dec(t3_d2), dec(t3_d3))


def language_final(c: Components) -> Decimal:
    """Unrounded per-language final."""
    return sum((WEIGHTS[name] * getattr(c, name) for name in WEIGHTS), Decimal(0))


def overall_final(per_lang: Mapping[str, Decimal]) -> Decimal:
    """Unrounded overall final from unrounded per-language finals (both languages required)."""
    missing = [lang for lang in LANG_WEIGHTS if lang not in per_lang]
    if missing:
        raise ValueError(f"overall final needs both languages; missing {missing}")
    return sum((LANG_WEIGHTS[lang] * dec(per_lang[lang]) for lang in LANG_WEIGHTS), Decimal(0))


def display(x: Decimal | float) -> float:
    return round_half_up(x, FINAL_DIGITS)


@dataclass(frozen=True)
class ReproducedRow:
    team: str
    scope: str
    """'zh', 'en' or 'overall'."""
    computed: Decimal
    published: float
    status: str
    """exact: half-up rounding of the computed value equals the published one. tie: the computed value
    is exactly halfway and the published value is the other neighbour. mismatch: anything else."""

    @property
    def rounded(self) -> float:
        return display(self.computed)


def _status(computed: Decimal, published: float) -> str:
    if display(computed) == published:
        return "exact"
    quantum = Decimal(1).scaleb(-FINAL_DIGITS)
    halfway = (computed / quantum) % 1 == Decimal("0.5")
    if halfway and abs(dec(published) - computed) == quantum / 2:
        return "tie"
    return "mismatch"


def _components(row: list[float]) -> Components:
    """Published columns t1_d1..t1_avg, t2_d1..t2_avg, t3_d1, t3_d2_human, t3_d3_human, final."""
    return Components(dec(row[3]), dec(row[7]), dec(row[8]), dec(row[9]), dec(row[10]))


def _team_key(name: str, table: Mapping[str, object]) -> str:
    if name in table:
        return name
    base = name.split(" (")[0]
    if base in table:
        return base
    raise KeyError(f"team {name!r} not in the per-language table")


def reproduce_published(data: dict | None = None) -> list[ReproducedRow]:
    """Recompute every per-language final and every overall final of the published Track 1 table."""
    table = (data or published_results())["track1"]
    rows: list[ReproducedRow] = []
    unrounded: dict[str, dict[str, Decimal]] = {}
    for lang in LANG_WEIGHTS:
        for team, values in table[lang].items():
            value = language_final(_components(values))
            unrounded.setdefault(team, {})[lang] = value
            rows.append(ReproducedRow(team, lang, value, values[11], _status(value, values[11])))
    for entry in table["final_ranking"]:
        key = _team_key(entry["team"], unrounded)
        value = overall_final(unrounded[key])
        rows.append(ReproducedRow(entry["team"], "overall", value, entry["final"], _status(value, entry["final"])))
    return rows


def ranking(overall: Mapping[str, Decimal]) -> list[tuple[str, float]]:
    """Teams by descending overall final (unrounded values decide; name breaks exact ties)."""
    return [(team, display(value)) for team, value in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))]
