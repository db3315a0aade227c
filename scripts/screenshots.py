"""Screenshots of the demo for the README and docs: `make screenshots`.

    uv run python scripts/screenshots.py [--out docs/screenshots] [--skip-load]

1. Loads the demo into its own database under var/screenshots/ (`yuanqu demo --no-serve`,
   idempotent: a second run reuses it; the demo pins "today" to its last period, so the
   pictures do not change from run to run).
2. Serves it with the production server (`yuanqu serve`, waitress; YUANQU_DEBUG=0) on a free
   loopback port.
3. Drives Debian's Chromium (/usr/bin/chromium; `playwright install` is never run):
   - cockpit.png — the park cockpit (领导驾驶舱) as the park leader, DEMO, 2022年1-12月;
     cockpit-phone.png — the same at 390×844;
   - city.png — the city view (全市概览) as the city user;
   - screen-park.png, screen-city.png — the big screens at 1920×1080;
   - one page per navigation entry (every module's page) as the park leader and as the
     enterprise user, named after its path (economy.png, projects.png, mine.png …): found in
     the side navigation, so a module merged later is photographed too.

Each page is checked while it is shot: HTTP 200, no console or script error, every chart drawn
with data (the browser tests' checks, tests/e2e/crawl.py); the script exits non-zero otherwise.
Tests never write into the tree; this script does, on purpose (the PNGs are committed).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
PASSWORD = "demo2022"
PARK, PERIOD = "DEMO", "2022-12"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1920, "height": 1080}
MAX_HEIGHT = 2200  # a long page is cut here: the top is what the picture is for


def env(var_dir: Path) -> dict[str, str]:
    e = dict(os.environ)
    e.update(
        YUANQU_VAR_DIR=str(var_dir),
        YUANQU_DATABASE_URL=f"sqlite:///{var_dir / 'demo.sqlite3'}",
        YUANQU_DEBUG="0",
        DJANGO_SETTINGS_MODULE="config.settings",
        YUANQU_LOGIN_FAILURE_LIMIT="1000",
    )
    return e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(var_dir: Path, port: int) -> subprocess.Popen[bytes]:
    log = (var_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env(var_dir),
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}); see {var_dir}/server.log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"the server did not answer within 60 s; see {var_dir}/server.log")


def slug(url: str) -> str:
    path = urlsplit(url).path.strip("/")
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


class Shooter:
    def __init__(self, browser, base: str, out: Path) -> None:
        self.browser = browser
        self.base = base
        self.out = out
        self.problems: list[str] = []
        self.written: list[Path] = []

    def session(self, username: str, viewport: dict[str, int]):
        from tests.e2e.crawl import WatchedPage, login

        context = self.browser.new_context(
            viewport=viewport,
            locale="zh-CN",
            is_mobile=viewport["width"] < 600,
            device_scale_factor=1,
        )
        watched = WatchedPage(context, self.base)
        login(watched, username, PASSWORD)
        return context, watched

    def shoot(self, watched, path: str, name: str, *, full_page: bool = True) -> None:
        visit = watched.open(f"{self.base}{path}")
        page = watched.page
        # ECharts animates its first drawing (about a second): shoot the finished chart.
        page.wait_for_timeout(1200 if visit.charts else 200)
        problems = [p for p in visit.problems] + (
            [f"HTTP {visit.status}"] if visit.status != 200 else []
        )
        self.problems += [f"{name} ({path}): {p}" for p in problems]
        target = self.out / f"{name}.png"
        height = page.evaluate("() => document.documentElement.scrollHeight")
        if full_page and height > MAX_HEIGHT:
            width = page.viewport_size["width"]
            clip = {"x": 0, "y": 0, "width": width, "height": MAX_HEIGHT}
            page.screenshot(path=str(target), full_page=True, clip=clip)
        else:
            page.screenshot(path=str(target), full_page=full_page)
        self.written.append(target)
        print(f"  {target.relative_to(ROOT)}  {path}  ({visit.charts} charts)", flush=True)


def run(base: str, out: Path) -> int:
    import django
    from playwright.sync_api import sync_playwright

    django.setup()  # tests.e2e.crawl resolves URLs with Django's resolver
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()  # a page gone from the navigation leaves no stale picture
    cockpit = f"/?park={PARK}&period={PERIOD}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        shooter = Shooter(browser, base, out)
        try:
            context, watched = shooter.session("leader", DESKTOP)
            shooter.shoot(watched, cockpit, "cockpit")
            nav = [u for u in watched.nav_links() if not urlsplit(u).path.startswith("/admin/")]
            done = {"/"}
            for url in nav:
                path = urlsplit(url).path
                if path not in done:
                    done.add(path)
                    shooter.shoot(watched, path, slug(url))
            context.close()

            context, watched = shooter.session("leader", SCREEN)
            shooter.shoot(
                watched, f"/screen/?park={PARK}&period={PERIOD}", "screen-park", full_page=False
            )
            context.close()

            context, watched = shooter.session("leader", PHONE)
            shooter.shoot(watched, cockpit, "cockpit-phone")
            context.close()

            context, watched = shooter.session("city", DESKTOP)
            shooter.shoot(watched, f"/city/?period={PERIOD}", "city")
            context.close()

            context, watched = shooter.session("city", SCREEN)
            shooter.shoot(watched, f"/screen/city/?period={PERIOD}", "screen-city", full_page=False)
            context.close()

            context, watched = shooter.session("qiye", DESKTOP)
            for url in watched.nav_links():
                path = urlsplit(url).path
                if path not in done:
                    done.add(path)
                    shooter.shoot(watched, path, slug(url))
            context.close()
        finally:
            browser.close()
    print(f"{len(shooter.written)} screenshots in {out.relative_to(ROOT)}/")
    if shooter.problems:
        print("problems:\n" + "\n".join(shooter.problems), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "screenshots")
    parser.add_argument("--skip-load", action="store_true", help="use the database as it is")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    var_dir = args.var_dir.resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(env(var_dir))
    if not args.skip_load:
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "demo", "--no-serve"],
            cwd=ROOT,
            env=env(var_dir),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"demo ready in {time.monotonic() - t0:.0f} s ({var_dir / 'demo.sqlite3'})")
    port = free_port()
    server = start_server(var_dir, port)
    try:
        return run(f"http://127.0.0.1:{port}", args.out.resolve())
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
