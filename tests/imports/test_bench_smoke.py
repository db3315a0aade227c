"""A small smoke run of the import benchmark (the real runs are by hand: BENCHMARKS.md)."""

import re
import subprocess
import sys

from tests.helpers import ROOT


def test_import_benchmark_smoke():
    out = subprocess.run(
        [
            sys.executable,
            "benchmarks/import_bench.py",
            "--rows",
            "150",
            "--db",
            "sqlite",
            "--die-rows",
            "150",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert re.search(r"ratio vs floor: \d+\.\d\d×", out.stdout)
    assert re.search(r"ratio vs django-import-export: \d+\.\d\d×", out.stdout)
    assert "rows/s" in out.stdout and "peak" in out.stdout


def test_lock_benchmark_smoke():
    out = subprocess.run(
        [sys.executable, "benchmarks/lock_bench.py", "--rows", "150"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.count("write lock held ≤") == 4
    assert re.search(r"lock ratio before/after: (\d+\.\d×|∞)", out.stdout)
    # The unchanged file writes nothing: the prober is never refused.
    unchanged = out.stdout.split("unchanged")[1]
    assert re.search(r"after .* other writers refused +0 of", unchanged)
