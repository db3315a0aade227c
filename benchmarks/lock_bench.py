"""Write-lock benchmark: how long a large import keeps everyone else from writing (SQLite).

    uv run python benchmarks/lock_bench.py --rows 300000

SQLite has one writer at a time: while an import holds the write lock, nobody can log in
(last_login, axes), save a form or start another import. This script imports the same
generated enterprise-report .xlsx (one period, N enterprises registered beforehand; the file
of `import_bench.py`) in two ways, each in its own process on a fresh SQLite file:

- **before**: the whole import inside one transaction — how the engine worked until issue 10
  (read, check and write chunk by chunk inside the one transaction), reproduced by running
  today's `run_import` inside `transaction.atomic()`;
- **after**: `run_import` as it is — read, check and stage with no transaction open, then one
  short write transaction.

for two files: `new` (a first import: every row new) and `unchanged` (the same file again:
nothing to write). Meanwhile a second process tries to write to the same database every 20 ms
with no busy timeout (`BEGIN IMMEDIATE; INSERT; COMMIT`, as a login's bookkeeping would) and
records every attempt refused with "database is locked".

Prints, per case: the import's wall time, the longest stretch during which the prober could
not write (≈ how long the lock was held) and the refused attempts, then
`lock ratio before/after: N.N×`. Run by hand; tests/imports/test_bench_smoke.py runs a tiny one.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prober(
    db_path: str, stop: mp.synchronize.Event, ready: mp.synchronize.Event, out: mp.Queue
) -> None:
    """Write every 20 ms without waiting for the lock; report the refused stretches."""
    con = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    con.execute("CREATE TABLE IF NOT EXISTS bench_probe (at REAL)")
    attempts = refused = 0
    longest = 0.0
    blocked_since: float | None = None
    ready.set()
    while not stop.is_set():
        now = time.perf_counter()
        attempts += 1
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO bench_probe VALUES (?)", (now,))
            con.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            refused += 1
            if blocked_since is None:
                blocked_since = now
        else:
            if blocked_since is not None:
                longest = max(longest, now - blocked_since)
                blocked_since = None
        time.sleep(0.02)
    if blocked_since is not None:
        longest = max(longest, time.perf_counter() - blocked_since)
    con.close()
    out.put({"attempts": attempts, "refused": refused, "longest_s": longest})


def run_case(mode: str, case: str, path: Path, n: int) -> dict:
    """In a fresh process: set up the database, start the prober, import, report."""
    import django
    from django.conf import settings
    from django.db import transaction

    from benchmarks.import_bench import setup_database

    park = setup_database(n)
    django.setup()
    from yuanqu.imports.engine import run_import

    if case == "unchanged":
        first = run_import(path, kind="enterprise-reports", park=park)
        assert first.committed, [i.text() for i in first.errors[:5]]
    db_path = str(settings.DATABASES["default"]["NAME"])
    ctx = mp.get_context("spawn")
    stop, ready, out = ctx.Event(), ctx.Event(), ctx.Queue()
    probe = ctx.Process(target=prober, args=(db_path, stop, ready, out))
    probe.start()
    ready.wait(30)
    time.sleep(0.2)
    started = time.perf_counter()
    if mode == "before":
        with transaction.atomic():
            preview = run_import(path, kind="enterprise-reports", park=park)
    else:
        preview = run_import(path, kind="enterprise-reports", park=park)
    seconds = time.perf_counter() - started
    time.sleep(0.2)
    stop.set()
    result = out.get(timeout=60)
    probe.join(30)
    assert not preview.errors, [i.text() for i in preview.errors[:5]]
    expected = "committed" if case == "new" else "unchanged"
    assert (preview.committed and expected == "committed") or (
        not preview.committed and expected == "unchanged"
    ), preview.summary()
    return {
        "mode": mode,
        "case": case,
        "rows": preview.rows_read,
        "seconds": seconds,
        **result,
    }


def spawn(mode: str, case: str, path: Path, n: int, tmp: Path) -> dict:
    db = tmp / f"lock-{mode}-{case}.sqlite3"
    env = {
        **os.environ,
        "YUANQU_DATABASE_URL": f"sqlite:///{db}",
        "YUANQU_VAR_DIR": str(tmp),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    args = [sys.executable, __file__, "--worker", mode, "--case", case]
    args += ["--file", str(path), "--rows", str(n)]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{mode}/{case} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--cases", default="new,unchanged", help="new,unchanged")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(run_case(args.worker, args.case, Path(args.file), args.rows)))
        return

    from benchmarks.import_bench import generate

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        path = tmp / f"reports-{args.rows}.xlsx"
        t0 = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        for case in args.cases.split(","):
            before = spawn("before", case, path, args.rows, tmp)
            after = spawn("after", case, path, args.rows, tmp)
            print(f"\n[sqlite] {args.rows:,} rows, {case}")
            for r in (before, after):
                print(
                    f"  {r['mode']:<7} import {r['seconds']:7.2f} s   write lock held ≤ "
                    f"{r['longest_s']:6.2f} s   other writers refused {r['refused']:5d} of "
                    f"{r['attempts']:5d} tries"
                )
            if after["longest_s"] > 0:
                print(f"  lock ratio before/after: {before['longest_s'] / after['longest_s']:.1f}×")
            else:
                print("  lock ratio before/after: ∞ (after: never refused)")


if __name__ == "__main__":
    main()
