"""The report in a real headless browser: Debian's chromium driven by Playwright (never a downloaded browser)."""

import os
from pathlib import Path

import pytest

from humdial.report import ReportOptions, build_report
from humdial.report.bootstrap import BootstrapConfig

CHROMIUM = Path(os.environ.get("HUMDIAL_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run the browser test")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[test])")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def test_report_renders_charts_and_players(browser, report_run, tmp_path):
    out = build_report(report_run, ReportOptions(out=tmp_path / "report.html", audio="embed",
                                                 bootstrap=BootstrapConfig(replicates=50)))
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests), requests  # nothing from the network
    assert page.locator('svg[data-chart="bar"] rect').count() >= 10  # the published leaderboard rows
    assert page.locator('svg[data-chart="histogram"]').count() == 3
    timelines = page.locator('svg[data-chart="timeline"]')
    assert timelines.count() >= 1 and page.locator('svg[data-chart="timeline"] polygon.wave').count() >= 2
    box = timelines.first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    players = page.locator("audio")
    assert players.count() >= 2
    duration = page.evaluate("""async () => {
        const a = document.querySelector('audio');
        a.preload = 'metadata'; a.load();
        await new Promise((ok, bad) => { a.onloadedmetadata = ok; a.onerror = () => bad(a.error && a.error.code);
                                          setTimeout(() => bad('timeout'), 5000); });
        return a.duration; }""")
    assert duration > 1.0  # the embedded FLAC decodes in the browser
    assert page.evaluate("window.humdialReport.track2.mode") in ("official", "strict")
    page.select_option("#track2-samples-scenario", "pause")
    assert page.locator("#track2-samples .sample:not(.hidden)").count() == 2
    page.select_option("#track2-samples-verdict", "failed")  # failures only
    failed = [k for k, v in page.evaluate("window.humdialReport.track2.verdicts").items()
              if v["verdict"] == "failed" and k in page.evaluate(
                  "[...document.querySelectorAll('.srow')].filter(r=>r.dataset.scenario==='pause').map(r=>r.dataset.sample)")]
    assert page.locator("#track2-samples .srow:not(.hidden)").count() == len(failed) >= 1
    page.select_option("#track2-samples-scenario", "")
    page.select_option("#track2-samples-verdict", "")
    link = page.locator('a.goto[data-scenario="follow_up"]')  # a scenario row's link filters to its samples
    link.click()
    shown = page.locator("#track2-samples .srow:not(.hidden)")
    assert shown.count() == 2 and all(shown.nth(i).get_attribute("data-scenario") == "follow_up" for i in range(2))
    page.select_option("#track2-samples-scenario", "")
    shots = Path(os.environ.get("HUMDIAL_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "report.png"), full_page=True)
    assert (shots / "report.png").stat().st_size > 10_000
    page.close()
