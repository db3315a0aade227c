"""A bounded crawl of the web app in a real browser, as one user: log in, open every navigation
entry, follow same-origin GET links from each to list and detail pages, and check every page for
what only a browser shows — console errors, script errors, failed requests, charts that are not
drawn or have no data.

Nothing here names a module's page: the entries come from the side navigation, the rest from
the links on the pages, so a module merged later is crawled by the same test. Pages are told
apart by their URL pattern (Django's resolver route, plus the names of the query parameters),
so 150 enterprise pages count once.

Used by tests/e2e/test_crawl_browser.py and test_phone_browser.py (the same discovery).
"""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

DEMO_PASSWORD = "demo2022"

# Links the crawl never follows: the admin (Django's own pages), signing out, the API (JSON, not
# pages), static and uploaded files, the park switcher (it changes the session), and downloads.
SKIP_PREFIXES = (
    "/admin/",
    "/accounts/login/",
    "/accounts/logout/",
    "/api/",
    "/static/",
    "/media/",
    "/park/switch/",
)
# A navigation entry under these is opened, but its links are not followed (Django's admin).
NO_FOLLOW_PREFIXES = ("/admin/",)
SKIP_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".docx", ".pdf", ".csv", ".zip", ".json", ".gz", ".png")
# Path words of download and state-changing GET links (exports, templates, report files).
SKIP_WORDS = ("export", "download", "template", "logout", "delete", "attachment", "photo")
SKIP_QUERY = ("format",)  # ?format=docx|pdf|html: a report file

# Every `.chart` and every canvas must be an ECharts instance whose series carry data (a canvas
# belongs to the chart whose element holds it).
CHART_PROBLEMS = """() => {
  const problems = [];
  const hosts = new Set(document.querySelectorAll('.chart'));
  const has = typeof echarts !== 'undefined';
  document.querySelectorAll('canvas').forEach(c => {
    let el = c.parentElement;
    while (el && !(has && echarts.getInstanceByDom(el))) el = el.parentElement;
    hosts.add(el || c);
  });
  const empty = d => d == null || d === '-' || d === '' ||
    (typeof d === 'object' && !Array.isArray(d) && (d.value == null || d.value === '-'));
  for (const el of hosts) {
    const name = el.id || el.getAttribute('data-option') || el.className || el.tagName;
    const chart = has && el instanceof HTMLElement ? echarts.getInstanceByDom(el) : null;
    if (!chart) { problems.push(`chart ${name}: not an ECharts instance`); continue; }
    const option = chart.getOption();
    let points = 0;
    for (const s of option.series || []) {
      if (Array.isArray(s.data)) points += s.data.filter(d => !empty(d)).length;
    }
    for (const d of option.dataset || []) {
      if (Array.isArray(d.source)) points += d.source.length;
    }
    if (!points) problems.push(`chart ${name}: no data`);
  }
  return problems;
}"""

CHART_COUNT = """() => typeof echarts === 'undefined' ? 0 :
  Array.from(document.querySelectorAll('div')).filter(el => echarts.getInstanceByDom(el)).length"""

LINKS = """(scope) => Array.from(document.querySelectorAll(scope + ' a[href]'))
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.href)"""


@dataclass
class Visit:
    url: str
    status: int
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    charts: int = 0
    requested: str = (
        ""  # the URL asked for (a navigation entry may redirect: 本企业诉求 → its page)
    )


class WatchedPage:
    """One tab whose console errors, script errors and failed requests are collected, and whose
    requests in flight are counted so that a check waits for htmx-loaded parts."""

    def __init__(self, context, base: str) -> None:
        self.base = base
        self.page = context.new_page()
        self.problems: list[str] = []
        self.inflight = 0
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._finished)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.problems.append(f"console: {message.text} ({where})")

    def _started(self, request) -> None:
        self.inflight += 1

    def _finished(self, request) -> None:
        self.inflight -= 1

    def _failed(self, request) -> None:
        self.inflight -= 1
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def settle(self, timeout: float = 20.0) -> None:
        """Wait until no request is in flight and no htmx request is pending, twice in a row
        (a response can start the next request: htmx's load triggers, a chart's data)."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 2 and time.monotonic() < deadline:
            self.page.wait_for_timeout(60)
            busy = self.inflight > 0 or self.page.evaluate(
                "() => !!document.querySelector('.htmx-request')"
            )
            quiet = 0 if busy else quiet + 1
        if quiet < 2:
            self.problems.append(f"still loading after {timeout:.0f} s")

    def open(self, url: str) -> Visit:
        self.problems = []
        t0 = time.monotonic()
        response = self.page.goto(url, wait_until="load")
        status = response.status if response else 0
        self.settle()
        problems = [p for p in self.problems if not _excused(self.page.url, p)]
        if urlsplit(self.page.url).path.startswith("/accounts/login/"):
            problems.append("sent to the login page")
        charts = 0
        if status < 400:
            charts = self.page.evaluate(CHART_COUNT)
            problems += self.page.evaluate(CHART_PROBLEMS)
        return Visit(self.page.url, status, problems, time.monotonic() - t0, charts, url)

    def links(self, scope: str = "main") -> list[str]:
        return self.page.evaluate(LINKS, scope)

    def nav_links(self) -> list[str]:
        return self.links("nav.sidenav")


def _excused(url: str, problem: str) -> bool:
    """Django's admin pages (not ours) declare no icon, so Chromium asks for /favicon.ico and
    gets a 404; every page of the app declares an empty one (base.html)."""
    return urlsplit(url).path.startswith("/admin/") and "/favicon.ico" in problem


def login(watched: WatchedPage, username: str, password: str = DEMO_PASSWORD) -> None:
    page = watched.page
    page.goto(f"{watched.base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if urlsplit(page.url).path.startswith("/accounts/login/"):
        raise AssertionError(f"login failed for {username}")


def followable(url: str, base: str) -> bool:
    parts, home = urlsplit(url), urlsplit(base)
    if (parts.scheme, parts.netloc) != (home.scheme, home.netloc):
        return False
    path = parts.path.lower()
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return False
    if any(word in path for word in SKIP_WORDS):
        return False
    return not any(k in SKIP_QUERY for k, _ in parse_qsl(parts.query))


def route(url: str) -> str:
    """The resolver's route of a URL (/park/<str:code>/), else its path."""
    from django.urls import Resolver404, resolve

    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return f"{match.view_name} {match.route}"


def pattern(url: str) -> str:
    """What makes two URLs the same page: the resolver's route (/park/<str:code>/) and the
    names of the query parameters (a page of results and a filtered list are pages of their
    own; two enterprises are one)."""
    keys = sorted({k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)})
    return f"{route(url)}?{'&'.join(keys)}"


def crawl(
    watched: WatchedPage,
    *,
    depth: int = 2,
    max_patterns: int = 40,
    per_route: int = 2,
    start: str = "/",
) -> tuple[list[Visit], list[str]]:
    """Every navigation entry (depth 0), then links from the content of each page, breadth
    first, up to `depth` links away, `max_patterns` distinct URL patterns, and `per_route`
    patterns of one route (a page's filters and tabs count once or twice, so the bound
    reaches the detail pages of every module). Returns the visits and the navigation
    entries' URLs."""
    base = watched.base
    first = watched.open(urljoin(base, start))
    visits = [first]
    seen = {pattern(first.url)}
    routes = Counter([route(first.url)])
    nav = [u.split("#")[0] for u in watched.nav_links()]
    queue: deque[tuple[str, int]] = deque()
    for url in nav:
        if urlsplit(url).netloc == urlsplit(base).netloc:
            queue.append((url, depth if urlsplit(url).path.startswith(NO_FOLLOW_PREFIXES) else 0))
    for url in watched.links():
        if followable(url, base):
            queue.append((url.split("#")[0], 1))
    while queue and len(seen) < max_patterns:
        url, level = queue.popleft()
        key = pattern(url)
        if key in seen or (level > 0 and routes[route(url)] >= per_route):
            continue
        seen.add(key)
        routes[route(url)] += 1
        visit = watched.open(url)
        visits.append(visit)
        if visit.status >= 400 or level >= depth:
            continue
        for link in watched.links():
            link = link.split("#")[0]
            if followable(link, base) and pattern(link) not in seen:
                queue.append((link, level + 1))
    return visits, nav
