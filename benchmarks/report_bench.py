"""Report generation benchmark: the demo park's annual report (and the as-of and monthly ones).

    uv run python benchmarks/report_bench.py [--runs 5] [--default-db]

By default uses a fresh SQLite database in a temporary folder with the demo loaded
(`--default-db`: the configured database, loading the demo only if it is absent). Warms up
once (imports of matplotlib and python-docx, the font cache are not report time), then prints
the median seconds to build each report and write it as .docx. Target: the annual report well
under 2 s. Run by hand; not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--default-db", action="store_true", help="use the configured database")
    args = parser.parse_args()
    tmp = None
    if not args.default_db:
        tmp = tempfile.mkdtemp(prefix="yuanqu_report_bench_")
        os.environ["YUANQU_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["YUANQU_VAR_DIR"] = tmp
    try:
        run(args.runs)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def run(runs: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from yuanqu.core.periods import Period
    from yuanqu.demo.loader import load_demo
    from yuanqu.registry.models import Park
    from yuanqu.reports import services

    t0 = time.perf_counter()
    loaded = load_demo(log=lambda m: None)
    if loaded:
        print(f"demo loaded ({', '.join(loaded)}) in {time.perf_counter() - t0:.1f} s")
    park = Park.objects.get(code="DEMO")
    jobs = {
        "annual 2022 (docx)": lambda: services.to_docx(
            services.annual_report(park=park, year=2022)
        ),
        "annual 2022 as of 2022-11 (docx)": lambda: services.to_docx(
            services.annual_report(park=park, year=2022, as_of=Period(2022, 11))
        ),
        "monthly 2022-09 (docx, 2 charts)": lambda: services.to_docx(
            services.monthly_report(park=park, period=Period(2022, 9))
        ),
    }
    for job in jobs.values():
        job()  # warm-up: imports, font cache, templates
    for name, job in jobs.items():
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            job()
            times.append(time.perf_counter() - t0)
        print(
            f"{name:<36} median {statistics.median(times):6.2f} s"
            f"  (min {min(times):.2f}, max {max(times):.2f}, {runs} runs)"
        )


if __name__ == "__main__":
    main()
