"""The report and the compare page as a person sees them: headless Chromium screenshots kept as test artefacts.

Chromium is driven by its own command line (`--screenshot`, `--dump-dom`), no driver library. The PNGs are
written to the test's tmp folder and copied to $HUMDIAL_ARTIFACTS when set (.ci/run sets it and keeps
them). A screenshot must not be blank: its pixel variance is measured by Chromium's own PNG decoder (a
probe page draws the image, embedded as a data URI, on a canvas), since no image library is a dependency.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from humdial.protocol.resources import published_results
from humdial.report import ReportOptions, build_report
from humdial.report.bootstrap import BootstrapConfig
from humdial.report.compare import compare_all
from humdial.report.compare_page import write_compare_page

WINDOW = "1400,4000"
"""Screenshot size (width, height in CSS px): the top 4,000 px of each page."""
BROWSER_TIMEOUT_S = 300
"""A hung browser fails the test instead of blocking the suite; generous, since the machine may be busy."""
MIN_VARIANCE = 100.0
"""Grey-level variance a page with text, charts and waveforms far exceeds (a blank page has 0, a page of
only the header bar about 40 at this size; the demo-sized report measured about 1,750)."""
FAST = BootstrapConfig(replicates=50)


def _chromium() -> str:
    found = os.environ.get("HUMDIAL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not Path(found).exists():
        pytest.skip("no chromium binary (install Debian's chromium: apt-get install chromium; or set HUMDIAL_CHROMIUM)")
    return found


def _browser(args: list[str], profile: Path) -> str:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _screenshot(page: Path, png: Path, profile: Path) -> Path:
    _browser([f"--screenshot={png}", f"--window-size={WINDOW}", page.as_uri()], profile)
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def _dom(page: Path, profile: Path) -> str:
    return _browser(["--dump-dom", page.as_uri()], profile)


PROBE_JS = """
window.addEventListener('load', () => {
  const out = {};
  for (const img of document.images) {
    const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0, s = 0, s2 = 0;
    for (let i = 0; i < d.length; i += 4) { const v = (d[i] + d[i + 1] + d[i + 2]) / 3; s += v; s2 += v * v; n++; }
    const mean = s / n;
    out[img.id] = {width: c.width, height: c.height, mean: mean, variance: s2 / n - mean * mean};
  }
  document.getElementById('stats').textContent = JSON.stringify(out);
  [...document.images].forEach(i => i.remove());
});
"""


def _pixel_stats(pngs: dict[str, Path], work: Path, profile: Path) -> dict[str, dict]:
    """Width, height, mean and variance of the grey level of each PNG, decoded by Chromium."""
    images = "".join(f'<img id="{name}" src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}">'
                     for name, p in pngs.items())
    probe = work / "probe.html"
    probe.write_text(f'<!DOCTYPE html><html><body>{images}<pre id="stats">pending</pre>'
                     f"<script>{PROBE_JS}</script></body></html>", encoding="utf-8")
    text = re.search(r'<pre id="stats">(.*?)</pre>', _dom(probe, profile), re.S).group(1)
    return json.loads(unescape(text))


def _keep(pngs: list[Path]) -> None:
    target = os.environ.get("HUMDIAL_ARTIFACTS")
    if target:
        folder = Path(target) / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        for p in pngs:
            shutil.copy2(p, folder / p.name)


def _section(dom: str, start: str) -> str:
    i = dom.index(start)
    j = dom.find('<section class="block', i + 1)
    return dom[i:j if j > 0 else len(dom)]


def _assert_no_python_none(dom: str) -> None:
    """No Python None rendered as a value. A word "None" that starts a sentence of page text ("None of
    them...") is language, not a missing value; each hit is shown with its surroundings."""
    text = re.sub(r"<script.*?</script>", "", dom, flags=re.S)
    hits = [text[max(0, m.start() - 80):m.end() + 80] for m in re.finditer(r"\bNone\b(?! [a-z])", text)]
    assert not hits, hits


def test_report_and_compare_page_in_a_real_browser(both_track_runs, tmp_path):
    _chromium()
    run_a, run_b = both_track_runs
    report = build_report(run_a, ReportOptions(out=tmp_path / "report.html", audio="embed", bootstrap=FAST))
    cmp = compare_all([run_a, run_b], "strict", FAST)
    compare = write_compare_page(cmp, tmp_path / "compare.html", audio="embed")
    profile = tmp_path / "profile"
    pngs = {"report": _screenshot(report, tmp_path / "report.png", profile),
            "compare": _screenshot(compare, tmp_path / "compare.png", profile)}
    _keep(list(pngs.values()))
    stats = _pixel_stats(pngs, tmp_path, profile)
    for name, s in stats.items():
        assert (s["width"], s["height"]) == (1400, 4000), (name, s)
        assert s["variance"] > MIN_VARIANCE, (name, s)  # not blank

    dom = _dom(report, profile)
    data = json.loads(unescape(re.search(r'id="report-data">(.*?)</script>', dom, re.S).group(1)).replace("<\\/", "</"))
    # headline numbers: Track 1 cards and the Track 2 per-scenario headlines, formatted by unit
    t1 = data["track1"]["substitutes"]
    assert re.search(rf'data-key="track1/substitute/overall"[^>]*>.*?<div class="value">{t1["overall"]:.2f}</div>', dom, re.S)
    for row in data["track2"]["scenarios"]:
        if row["headline"] is not None:
            assert f">{row['headline'] * 100:.1f}%<" in dom
    # leaderboard labels: every published team, both tracks
    published = published_results()
    for team in [r["team"] for r in published["track2"]["test_leaderboard"]] + \
                [r["team"] for r in published["track1"]["final_ranking"]]:
        assert re.search(rf">(#\d+ )?{re.escape(team)}</text>", dom.replace("&amp;", "&")), team
    # Track 1 reply audio: a player per Task 3 reply, with a source the browser can load
    track1 = _section(dom, '<section class="block" id="track1"')
    assert track1.count('<g class="bar ') == len(published["track1"]["final_ranking"]) + 1  # this run's bar too
    players = re.findall(r'<audio[^>]*src="([^"]+)"', track1)
    assert len(players) >= 4 and all(p.startswith("data:audio/") for p in players)
    _assert_no_python_none(dom)

    dom = _dom(compare, profile)
    track2 = _section(dom, 'data-track="track2"')
    assert 'class="pair" data-sample="en/pause/0001_0003"' in track2 and track2.count('data-chart="timeline"') == 2
    track1 = _section(dom, 'data-track="track1"')
    assert track1.count('class="pair" data-item=') == 2 and track1.count("<audio") >= 2
    assert "mode: strict" in dom
