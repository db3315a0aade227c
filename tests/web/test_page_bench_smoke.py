"""A small smoke run of the page benchmark (the real runs are by hand: BENCHMARKS.md, "Pages"):
city data of one park × 30 enterprises in a fresh SQLite file, gunicorn, one client for about a
second per page. Asserts that it printed figures for every page and no errors — no timings."""

import re
import subprocess
import sys

from tests.helpers import ROOT

PAGES = ("baseline /help/", "cockpit", "economy page", "indicators API", "reports page")


def test_page_benchmark_smoke(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "benchmarks/pages.py",
            "--scale=city",
            "--parks=1",
            "--enterprises=30",
            f"--database-url=sqlite:///{tmp_path / 'bench.sqlite3'}",
            "--clients=1",
            "--seconds=1",
            "--workers=1",
            f"--json={tmp_path / 'figures.json'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    for page in PAGES:
        line = re.search(
            rf"^{re.escape(page)} +(\d+) +(\d+\.\d\d) .* (\d+) +(\d+\.\d\d\d)×$", out.stdout, re.M
        )
        assert line, (page, out.stdout)
        requests, rps, errors, _ratio = line.groups()
        assert int(requests) >= 1 and float(rps) > 0 and errors == "0", line.group(0)
    assert re.search(
        r"slowest page vs baseline: \d+\.\d\d\d× \(target ≥ 0\.3×\); errors: 0", out.stdout
    )

    import json

    figures = json.loads((tmp_path / "figures.json").read_text())
    assert [r["name"] for r in figures["results"]] == list(PAGES)
    for r in figures["results"]:
        assert r["errors"] == 0 and r["requests"] >= 1
        assert r["server_p50_ms"] > 0 and r["wall_p95_ms"] >= r["wall_p50_ms"]
        assert r["queries"] >= 1
