"""Page benchmark: the cockpit, the economy page, the indicators API and the reports page under
concurrent clients, served by gunicorn on loopback, against a page that renders only the site layout.

    uv run python benchmarks/pages.py --scale demo [--clients 4] [--seconds 10]
    uv run python benchmarks/pages.py --scale city --database-url postgres://postgres@127.0.0.1:5432/yuanqu_bench_city

1. Migrates and loads a dedicated database (`--skip-load`: use it as it is): the demo
   (`yuanqu demo --no-serve`: park DEMO, ~150 enterprises) or the city (benchmarks/citydata.py:
   50 parks × 2,000 enterprises, two years). Default databases: var/bench-demo.sqlite3,
   var/bench-city.sqlite3. Loading is idempotent, so a second run reuses the data.
2. Starts gunicorn (config.wsgi) on 127.0.0.1 with `--workers 2` sync workers: the machine has 2
   cores and a request is CPU-bound Python (rendering, figures), so more processes only take
   turns; a request arriving while both are busy waits in the listen queue, which the wall time
   shows. `--timeout 300`: a slow page is measured, not killed.
3. Each client logs in through the login form (CSRF token, session cookie) as a park user:
   `leader` (demo) or `bench` (city;园区领导 of CITY01).
4. For each target — the baseline `/help/` (使用帮助: static text in the layout, so its cost is
   the layout's: session, user, navigation), the cockpit (领导驾驶舱, the park users' home page:
   `/?park=P&period=YYYY-12`; its cards are cached under the data version, so after the
   warm-up it measures a cached cockpit, as its readers meet it), `/economy/?park=P&period=YYYY-12`,
   `/api/v1/economy/indicators?park=P&period=YYYY-12`, `/reports/?park=P` — after one warm-up
   request by every client at once, C clients (threads, http.client, keep-alive where the
   server allows) request it in a loop for T seconds; requests in flight at the end are waited
   for and counted.
   Prints requests/s, p50/p95 of the server time (`Server-Timing: app`, from
   yuanqu.core.middleware) and of the wall time, queries per request (`Server-Timing: db`),
   errors (anything but a 200 with a Server-Timing header), and each page's requests/s as a
   ratio of the baseline's, same server, same run (issue 10's target: ≥ 0.3×). Only the HTML or
   JSON is fetched, not the static files a browser would also load.

Run by hand (BENCHMARKS.md, "Pages"); the suite runs a tiny smoke of it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300  # seconds: gunicorn's worker timeout and the clients' socket timeout
TARGET_RATIO = 0.3

SCALES = {
    # scale: (park, period, username, password)
    "demo": ("DEMO", "2022-12", "leader", "demo2022"),
    "city": ("CITY01", "2022-12", "bench", "bench2022"),
}


def targets(park: str, period: str) -> list[tuple[str, str]]:
    """(name, path) of the pages measured; the baseline first."""
    query = urlencode({"park": park, "period": period})
    return [
        ("baseline /help/", "/help/"),
        ("cockpit", f"/?{query}"),
        ("economy page", f"/economy/?{query}"),
        ("indicators API", f"/api/v1/economy/indicators?{query}"),
        ("reports page", f"/reports/?{urlencode({'park': park})}"),
    ]


# ---------------------------------------------------------------------------------------------
# Measuring (no Django here: it runs against any server, the suite's live server included)
# ---------------------------------------------------------------------------------------------


def parse_server_timing(header: str) -> dict[str, dict[str, str]]:
    """`app;dur=12.5, db;dur=3.1;desc="26 queries"` → {"app": {"dur": "12.5"}, "db": {…}}."""
    metrics: dict[str, dict[str, str]] = {}
    for part in header.split(","):
        name, *params = (p.strip() for p in part.split(";"))
        if not name:
            continue
        values = {}
        for param in params:
            key, _, value = param.partition("=")
            values[key.strip()] = value.strip().strip('"')
        metrics[name] = values
    return metrics


class Client:
    """One HTTP/1.1 connection with its own cookies (one browser, one user)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed a kept-alive connection between requests: open a new one.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def login(self, username: str, password: str) -> None:
        """Log in through the form: GET it for the CSRF cookie and token, POST it back."""
        status, _, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {status}, no CSRF token")
        body = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{self.host}:{self.port}/accounts/login/",
        }
        status, head, _ = self.request("POST", "/accounts/login/", body, headers)
        if status != 302 or "/accounts/login/" in head.get("location", ""):
            raise RuntimeError(f"login as {username} failed: HTTP {status}")

    def close(self) -> None:
        self.conn.close()


@dataclass
class Result:
    name: str
    path: str
    seconds: float = 0.0  # from the first request sent to the last answer received
    wall_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.wall_ms)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": self.path,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 2),
            "server_p50_ms": percentile(self.server_ms, 50),
            "server_p95_ms": percentile(self.server_ms, 95),
            "wall_p50_ms": percentile(self.wall_ms, 50),
            "wall_p95_ms": percentile(self.wall_ms, 95),
            "queries": max(self.queries) if self.queries else None,
            "errors": self.errors,
        }


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile (the value below which pct % of the requests fall)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return round(ordered[int(rank) - 1], 2)


def _quietly(client: Client, path: str) -> None:
    try:
        client.request("GET", path)
    except (OSError, http.client.HTTPException):
        client.conn.close()


def measure(
    clients: Sequence[Client], name: str, path: str, seconds: float, warmup: int = 1
) -> Result:
    """`len(clients)` threads request `path` in a loop for `seconds`; a request sent before the
    deadline is waited for and counted. Anything but a 200 with Server-Timing is an error."""
    result = Result(name, path)
    lock = threading.Lock()
    for _ in range(warmup):
        # Every client at once, so that each server worker answers one before the clock
        # starts (imports, templates, database connections); failures show in the run.
        warm = [threading.Thread(target=_quietly, args=(c, path), daemon=True) for c in clients]
        for t in warm:
            t.start()
        for t in warm:
            t.join()

    def run(client: Client, deadline: float) -> None:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                status, headers, _ = client.request("GET", path)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    result.errors += 1
                    result.first_error = result.first_error or repr(exc)
                client.conn.close()
                continue
            wall = (time.perf_counter() - t0) * 1000
            timing = parse_server_timing(headers.get("server-timing", ""))
            with lock:
                if status != 200 or "app" not in timing:
                    result.errors += 1
                    result.first_error = result.first_error or f"HTTP {status}"
                    continue
                result.wall_ms.append(wall)
                result.server_ms.append(float(timing["app"]["dur"]))
                desc = timing.get("db", {}).get("desc", "")
                if desc.split(" ")[0].isdigit():
                    result.queries.append(int(desc.split(" ")[0]))

    start = time.perf_counter()
    threads = [
        threading.Thread(target=run, args=(c, start + seconds), daemon=True) for c in clients
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - start
    return result


def measure_all(
    base_url: str,
    pages: Sequence[tuple[str, str]],
    *,
    username: str,
    password: str,
    clients: int,
    seconds: float,
    warmup: int = 1,
) -> list[Result]:
    """Log `clients` clients in, then measure each page in turn (the baseline first)."""
    logged_in = []
    for _ in range(clients):
        client = Client(base_url)
        client.login(username, password)
        logged_in.append(client)
    try:
        return [measure(logged_in, name, path, seconds, warmup) for name, path in pages]
    finally:
        for client in logged_in:
            client.close()


def table(results: Sequence[Result]) -> str:
    """The figures, one line per page, with each page's requests/s against the first's."""
    baseline = results[0].rps if results else 0.0

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value:,.1f}"

    head = (
        f"{'page':<18} {'requests':>8} {'req/s':>8} {'server p50':>11} {'server p95':>11} "
        f"{'wall p50':>10} {'wall p95':>10} {'queries':>7} {'errors':>6} {'vs baseline':>11}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        ratio = r.rps / baseline if baseline else 0.0
        queries = str(max(r.queries)) if r.queries else "—"
        lines.append(
            f"{r.name:<18} {r.requests:>8} {r.rps:>8.2f} "
            f"{ms(percentile(r.server_ms, 50)):>11} {ms(percentile(r.server_ms, 95)):>11} "
            f"{ms(percentile(r.wall_ms, 50)):>10} {ms(percentile(r.wall_ms, 95)):>10} "
            f"{queries:>7} {r.errors:>6} {ratio:>10.3f}×"
        )
    lines.append("(times in ms; server = Server-Timing app; queries = most in one request)")
    for r in results:
        if r.errors:
            lines.append(f"{r.name}: {r.errors} errors, first: {r.first_error}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The server and the data (subprocesses on the chosen database)
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        YUANQU_DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        # Production settings, plus the query count in Server-Timing (an execute wrapper: one
        # function call per query).
        YUANQU_DEBUG="0",
        YUANQU_SERVER_TIMING_DB="1",
        # Every client logs in from 127.0.0.1: no lock-out of the benchmark's own logins.
        YUANQU_LOGIN_FAILURE_LIMIT="1000",
    )
    return env


def load(scale: str, database_url: str, city_args: Sequence[str]) -> None:
    env = server_env(database_url)
    t0 = time.perf_counter()
    if scale == "demo":
        cmd = [sys.executable, "manage.py", "demo", "--no-serve"]
    else:
        cmd = [sys.executable, "benchmarks/citydata.py", *city_args]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"data ready ({scale}) in {time.perf_counter() - t0:.0f} s", flush=True)


def start_gunicorn(
    database_url: str, port: int, workers: int, log_path: Path
) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        str(TIMEOUT),
        "--backlog",
        "256",
    ]
    log = log_path.open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(database_url), stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}); see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # gunicorn's graceful stop of its workers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def database_label(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return f"SQLite /{parts.path.lstrip('/')}"
    return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0, help="per page")
    parser.add_argument("--database-url", help="default: var/bench-<scale>.sqlite3")
    parser.add_argument("--skip-load", action="store_true", help="use the database as it is")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--warmup", type=int, default=1, help="rounds of one request per client before each run"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    city = parser.add_argument_group("city scale (benchmarks/citydata.py)")
    city.add_argument("--parks", type=int, default=50)
    city.add_argument("--enterprises", type=int, default=2000)
    city.add_argument("--year", type=int, default=2022)
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.workers < 1:
        parser.error("--clients, --seconds and --workers must be positive")

    database_url = args.database_url or f"sqlite:///{ROOT / 'var' / f'bench-{args.scale}.sqlite3'}"
    park, period, username, password = SCALES[args.scale]
    if args.scale == "city":
        period = f"{args.year}-12"
    city_args = [
        f"--parks={args.parks}",
        f"--enterprises={args.enterprises}",
        f"--year={args.year}",
    ]
    if not args.skip_load:
        load(args.scale, database_url, city_args)

    port = free_port()
    log_path = ROOT / "var" / f"bench-gunicorn-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    proc = start_gunicorn(database_url, port, args.workers, log_path)
    try:
        results = measure_all(
            f"http://127.0.0.1:{port}",
            targets(park, period),
            username=username,
            password=password,
            clients=args.clients,
            seconds=args.seconds,
            warmup=max(args.warmup, 0),
        )
    finally:
        stop(proc)
    log_path.unlink(missing_ok=True)

    print(
        f"\n{args.scale} scale, park {park}, period {period}; {database_label(database_url)}; "
        f"gunicorn {args.workers} sync workers; {args.clients} clients × {args.seconds:g} s "
        "per page\n"
    )
    print(table(results))
    baseline = results[0].rps
    worst = min((r.rps / baseline for r in results[1:]), default=0.0) if baseline else 0.0
    errors = sum(r.errors for r in results)
    print(f"\nslowest page vs baseline: {worst:.3f}× (target ≥ {TARGET_RATIO}×); errors: {errors}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "scale": args.scale,
                    "database": database_label(database_url),
                    "clients": args.clients,
                    "seconds": args.seconds,
                    "workers": args.workers,
                    "results": [r.as_dict() for r in results],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
