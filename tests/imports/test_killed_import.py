"""A killed import (the process ended mid-commit) leaves the database as it was.

Each case runs the real CLI in subprocesses against a real database — a SQLite file and a
fresh PostgreSQL database on 127.0.0.1:5432 — and kills the importing process with SIGKILL
inside the commit transaction, after the new rows were written but before the commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import pytest

from tests.economy.factories import uscc, write_xlsx
from tests.helpers import ROOT, require

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "报告期",
    "工业总产值(1-本月)",
    "工业总产值上年同期(1-本月)",
]

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    from yuanqu.imports import status

    real = status.slices_touch

    def touch_then_die(**kwargs):
        real(**kwargs)  # rows and slice status are written inside the transaction ...
        os.kill(os.getpid(), signal.SIGKILL)  # ... and the process dies before COMMIT

    status.slices_touch = touch_then_die
    import yuanqu.economy.importers as importers
    importers.slices_touch = touch_then_die
    from django.core.management import call_command
    call_command("import", sys.argv[1], kind="enterprise-reports", park="KX")
    """
)

COUNT = textwrap.dedent(
    """
    import os, json
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    from yuanqu.economy.models import EnterpriseReport
    from yuanqu.imports.models import DataSlice
    from yuanqu.registry.models import Enterprise
    rows = sorted(EnterpriseReport.objects.values_list("enterprise__credit_code", "year", "month", "output_ytd"))
    print(json.dumps({"reports": [[c, y, m, str(v)] for c, y, m, v in rows],
                      "enterprises": Enterprise.objects.count(),
                      "slices": sorted(DataSlice.objects.values_list("year", "month"))}))
    """
)

SETUP = textwrap.dedent(
    """
    import os
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from yuanqu.registry.models import Park
    Park.objects.get_or_create(code="KX", defaults={"name": "中断测试园区"})
    """
)


def _run(env: dict[str, str], code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _postgres_url() -> str:
    try:
        import psycopg

        name = f"yuanqu_kill_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    except Exception as exc:  # the server is absent on a laptop without PostgreSQL
        require(False, f"PostgreSQL on 127.0.0.1:5432 is not reachable ({exc})")
        raise


def _drop_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_killed_import_leaves_database_unchanged(backend, tmp_path):
    import json

    url = f"sqlite:///{tmp_path / 'kill.sqlite3'}" if backend == "sqlite" else _postgres_url()
    env = {**os.environ, "YUANQU_DATABASE_URL": url, "YUANQU_VAR_DIR": str(tmp_path)}
    try:
        assert _run(env, SETUP).returncode == 0
        first = write_xlsx(
            tmp_path / "first.xlsx",
            HEADERS,
            [[uscc(i), f"企业{i}", "2022-03", 100 + i, 90] for i in range(1, 51)],
            unit_line="单位：千元",
        )
        result = _run(
            env,
            "import sys; from yuanqu.cli import main; main(sys.argv)",
            "import",
            str(first),
            "--kind",
            "enterprise-reports",
            "--park",
            "KX",
        )
        assert result.returncode == 0, result.stderr + result.stdout
        before = json.loads(_run(env, COUNT).stdout)
        assert len(before["reports"]) == 50 and before["enterprises"] == 50

        # A corrected file for the same period plus a new period and 1,950 new enterprises.
        second = write_xlsx(
            tmp_path / "second.xlsx",
            HEADERS,
            [[uscc(i), f"企业{i}", "2022-03", 999, 90] for i in range(1, 51)]
            + [[uscc(i), f"企业{i}", "2022-04", 500 + i, 400] for i in range(1, 2001)],
            unit_line="单位：千元",
        )
        killed = _run(env, KILLER, str(second))
        assert killed.returncode == -9, killed.stderr[-2000:]

        after = json.loads(_run(env, COUNT).stdout)
        assert after == before
    finally:
        if backend == "postgres":
            _drop_postgres(url)
