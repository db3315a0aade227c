"""Report generation benchmark: the demo park's annual report and monthly analysis.

    uv run python benchmarks/report_bench.py [--runs 5]

Uses a fresh SQLite database in a temporary folder with the demo loaded, warms up once (imports
of matplotlib and python-docx are not report time), then prints the median seconds to build and
write each report as .docx. Target: the annual report well under 2 s.
"""

from __future__ import annotations

import argparse
import os
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
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("YUANQU_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["YUANQU_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from yuanqu.core.periods import Period
    from yuanqu.demo.loader import load_demo
    from yuanqu.registry.models import Park
    from yuanqu.reports import services

    load_demo(log=lambda m: None)
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
        job()  # warm-up: imports, font cache
    for name, job in jobs.items():
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            job()
            times.append(time.perf_counter() - t0)
        print(
            f"{name:<36} median {statistics.median(times):6.2f} s  (min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)"
        )


if __name__ == "__main__":
    main()
