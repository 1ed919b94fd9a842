"""The HTML shell: inline CSS and a little inline JavaScript (sample filter); no external resources."""

from __future__ import annotations

import json
from html import escape
from typing import Callable

from humdial.report.fmt import MISSING, Markup, score

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#1a202c;background:#f7f8fa}
header{background:#1a202c;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
header .sub{color:#cbd5e0;font-size:13px}main{padding:8px 28px 40px;max-width:1180px}
section.block{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:14px 18px;margin:16px 0}
h2{font-size:18px;margin:4px 0 10px}h3{font-size:15px;margin:14px 0 6px}h4{margin:6px 0;font-size:14px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #e2e8f0;border-radius:8px;padding:8px 14px;min-width:150px;background:#fbfcfe}
.card .name{color:#4a5568;font-size:12px}.card .value{font-size:22px;font-weight:600}.card .ci{color:#718096;font-size:12px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border-bottom:1px solid #edf2f7;padding:3px 8px;text-align:right}
th{background:#f1f5f9}td.l,th.l{text-align:left}.muted{color:#718096}.note{background:#fffbeb;border:1px solid #f6e05e;padding:6px 10px;border-radius:6px}
.notes li{color:#744210}.badge{font-size:11px;padding:1px 6px;border-radius:8px;background:#e2e8f0;margin-left:6px}
.badge.proxy{background:#fbd38d}.badge.error{background:#fed7d7}.badge.ok{background:#e2e8f0}
.badge.passed{background:#c6f6d5}.badge.failed{background:#feb2b2}.badge.incomplete{background:#fefcbf}
.warn{color:#975a16;font-size:11px}.card .why{color:#9b2c2c;font-size:11px;max-width:260px}.card .warn{max-width:260px}.legend{font-size:12px;color:#4a5568}.legend span{margin-right:12px}
.chart-title{font-weight:600;font-size:13px}.tick{font-size:10px;fill:#4a5568}.label{font-size:11px}.value{font-size:11px}
.grid{stroke:#edf2f7}.axis{stroke:#4a5568}.whisker{stroke:#1a202c;stroke-width:1.3}.mark{stroke:#1a202c}.lane{fill:#f7fafc}
.word{font-size:9px;fill:#1a202c}.wave{opacity:.85}.empty{fill:#a0aec0}.charts{display:flex;flex-wrap:wrap;gap:12px}
.sample{border-top:1px solid #e2e8f0;padding:8px 0}.players{display:flex;gap:18px;flex-wrap:wrap}.player{display:flex;align-items:center;gap:6px}
.player audio{height:32px}.scroll{overflow-x:auto}.reason{color:#4a5568}.problems .error{color:#c53030}.problems .warning{color:#975a16}
.filters{display:flex;gap:10px;align-items:center;margin:6px 0}.hidden{display:none}table.events td{text-align:left}
"""

JS = """
(function(){
  const pick=(id)=>document.getElementById(id);
  function apply(scope){
    const sels=[...document.querySelectorAll('.filters[data-scope="'+scope+'"] select')];
    document.querySelectorAll('#'+scope+' .sample, #'+scope+' .srow').forEach(s=>{
      const ok=sels.every(sel=>!sel.value||s.dataset[sel.dataset.kind]===sel.value);
      s.classList.toggle('hidden',!ok);
    });
    const shown=document.querySelectorAll('#'+scope+' .srow:not(.hidden)').length;
    const c=pick(scope+'-count'); if(c){c.textContent=shown+' sample(s) shown';}
  }
  document.querySelectorAll('.filters select').forEach(sel=>sel.addEventListener('change',()=>apply(sel.dataset.scope)));
  document.querySelectorAll('.filters').forEach(f=>apply(f.dataset.scope));
  document.querySelectorAll('a.goto').forEach(a=>a.addEventListener('click',()=>{
    const scope=a.dataset.scope;
    document.querySelectorAll('.filters[data-scope="'+scope+'"] select').forEach(sel=>{
      sel.value=a.dataset[sel.dataset.kind]||'';});
    apply(scope);
  }));
  window.humdialReport=JSON.parse(pick('report-data').textContent);
})();
"""

SMALL_SAMPLE = 10
"""Below this many samples an interval is flagged: a percentile bootstrap of so few samples under-covers."""


def card(name: str, value: float | None, fmt: Callable[[float | None], str] = score, low: float | None = None,
         high: float | None = None, key: str = "", proxy: bool = False, n: int | None = None,
         why: str = "", extra: str = "") -> str:
    """One headline value. A value that cannot be computed shows "n/a" and `why` (never "pending");
    `extra` is a caveat line under the value (e.g. "evaluation incomplete: 5 samples not checked")."""
    shown = "n/a" if value is None else fmt(value)
    ci = f"95% CI [{fmt(low)}, {fmt(high)}]" if low is not None and high is not None else "CI n/a"
    warn = (f'<div class="warn" title="a bootstrap over fewer than {SMALL_SAMPLE} samples is unreliable">'
            f'n = {n}: too few samples for a reliable interval</div>' if n is not None and n < SMALL_SAMPLE else "")
    badge = '<span class="badge proxy">proxy</span>' if proxy else ""
    data_value = "" if value is None else f' data-value="{value!r}"'
    reason = f'<div class="why">unavailable: {escape(why)}</div>' if value is None and why else ""
    caveat = f'<div class="warn">{escape(extra)}</div>' if extra else ""
    return (f'<div class="card" data-key="{escape(key)}"{data_value}><div class="name">{escape(name)}{badge}</div>'
            f'<div class="value">{escape(shown)}</div><div class="ci">{escape(ci)}</div>{reason}{caveat}{warn}</div>')


def table(headers: list[str], rows: list[list[object]], left: int = 1, cls: str = "",
          formats: dict[int, Callable[[float | None], str]] | None = None) -> str:
    """An HTML table; `formats` maps a column index to its number format (default: integers as is,
    floats at 3 dp, None as "-"). `Markup` cells are inserted as HTML."""
    formats = formats or {}

    def cell(v: object, i: int) -> str:
        if isinstance(v, Markup):
            text = str(v)
        else:
            if i in formats and not isinstance(v, str):
                raw = formats[i](v)  # type: ignore[arg-type]
            else:
                raw = MISSING if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
            text = escape(raw)
        return f'<td class="{"l" if i < left else ""}">{text}</td>'

    head = "".join(f'<th class="{"l" if i < left else ""}">{escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell(v, i) for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f'<table class="{escape(cls)}"><tr>{head}</tr>{body}</table>'


def filters(scope: str, choices: dict[str, list[str]]) -> str:
    """One select per data attribute of the filtered elements (`data-<kind>`), e.g. lang, scenario, verdict."""
    def select(kind: str, values: list[str]) -> str:
        opts = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        return (f'<label>{escape(kind)} <select id="{scope}-{kind}" data-scope="{scope}" data-kind="{escape(kind)}">'
                f'<option value="">all</option>{opts}</select></label>')

    return (f'<div class="filters" data-scope="{scope}">' + "".join(select(k, v) for k, v in choices.items())
            + f'<span id="{scope}-count" class="muted"></span></div>')


def page(title: str, subtitle: str, body: str, data: dict) -> str:
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<title>{escape(title)}</title><style>{CSS}</style></head><body>'
            f'<header><h1>{escape(title)}</h1><div class="sub">{escape(subtitle)}</div></header><main>{body}</main>'
            f'<script type="application/json" id="report-data">{blob}</script><script>{JS}</script></body></html>')
