"""A small smoke run of the scale data generator and the scale benchmarks (the real runs are by
hand: BENCHMARKS.md, "Scale (issue 16)"): 2 parks × 20 enterprises × 2 years in a fresh SQLite
file or PostgreSQL database, a few runs of each benchmark. Asserts that they ran and printed
their lines and that the product's figures equal DuckDB's — no timings."""

import os
import re
import subprocess
import sys

import pytest

from tests.helpers import ROOT
from tests.imports.test_killed_import import _drop_postgres, _postgres_url


def _run(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_scale_data_and_benchmarks_smoke(backend, tmp_path):
    url = f"sqlite:///{tmp_path / 'scale.sqlite3'}" if backend == "sqlite" else _postgres_url()
    env = {**os.environ, "YUANQU_VAR_DIR": str(tmp_path)}
    db = f"--database-url={url}"
    try:
        made = _run(
            env,
            "benchmarks/make_scale_data.py",
            "--size=custom",
            "--parks=2",
            "--enterprises=20",
            "--years=2",
            db,
        )
        assert "scale data 'custom': 1 cities, 2 parks, 40 enterprises, 2 years to 2022" in made
        rows = int(re.search(r"2 parks loaded now, ([\d,]+) report rows", made)[1].replace(",", ""))
        assert 40 * 20 < rows <= 40 * 22  # 11 report months a year, a few enterprises fewer
        for step in ("registry", "enterprise reports", "summaries"):
            assert re.search(rf"^step {step}.*: [\d,]+ rows, \d+\.\d s", made, re.M), step

        runs = ("--runs=1", f"--var={tmp_path}")
        table = _run(env, "benchmarks/scale_bench.py", "table", db, *runs)
        assert table.startswith("machine: ") and "cores" in table and "load average" in table
        for name in (
            "product: park table",
            "product: city ranking",
            "API /economy/indicators",
            "DuckDB Parquet: park table",
            "DuckDB in memory: city ranking",
        ):
            assert re.search(rf"^{re.escape(name)} +p50 +\d+\.\d\d ms +p95 ", table, re.M), name
        assert "park table equal: yes" in table and "city ranking equal: yes" in table
        assert re.search(r"ratio park table: product p95 / DuckDB Parquet p95 = \d", table)

        refresh = _run(env, "benchmarks/scale_bench.py", "refresh", db, *runs)
        assert re.search(r"refresh per imported park-period p95 \d+\.\d ms", refresh)
        report = _run(env, "benchmarks/scale_bench.py", "report", db, *runs)
        assert re.search(r"annual report p95 \d+\.\d\d s", report)
        growth = _run(env, "benchmarks/scale_bench.py", "growth", db, "--runs=1")
        assert re.search(
            r"2 parks +[\d,]+ rows .*table .*report [\d.]+ / [\d.]+ \(1\.00×\)", growth
        )
    finally:
        if backend == "postgres":
            _drop_postgres(url)
