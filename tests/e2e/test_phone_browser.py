"""Phone layout (390×844, an iPhone-sized screen): the cockpit, the city view and one page per
navigation entry have no horizontal overflow (the page is never wider than the screen), and
every table wider than the screen scrolls sideways inside its own box.

The pages come from the side navigation of an administrator (every staff entry) and of an
enterprise user (its own entries), so a module merged later is checked too. Django's admin (not
our layout) is left out. One demo load for the whole test. Skips without Chromium, fails under
YUANQU_REQUIRE_ALL=1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.crawl import WatchedPage, login

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}

# The page's width against the screen's; when it overflows, the elements sticking out (outside
# any sideways-scrolling box) are named, so the failure says which rule to fix.
OVERFLOW = """() => {
  const w = window.innerWidth;
  const problems = [];
  const scroller = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if (o === 'auto' || o === 'scroll') return e;
    }
    return null;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  if (document.documentElement.scrollWidth > w) {
    problems.push(`page is ${document.documentElement.scrollWidth}px wide on a ${w}px screen`);
    const out = Array.from(document.body.querySelectorAll('*')).filter(el => {
      const r = el.getBoundingClientRect();
      return r.right > w + 1 && r.width > 0 && !scroller(el.parentElement);
    });
    out.slice(0, 5).forEach(el =>
      problems.push(`  ${name(el)} ends at ${Math.round(el.getBoundingClientRect().right)}px`));
  }
  document.querySelectorAll('table').forEach(t => {
    const box = scroller(t);
    if (t.getBoundingClientRect().width > w && !box) {
      problems.push(`table ${name(t)} is wider than the screen and not in a scrolling box`);
    }
    if (box && box.getBoundingClientRect().right > w + 1) {
      problems.push(`the scrolling box of table ${name(t)} sticks out of the screen`);
    }
  });
  return problems;
}"""


def _check(watched: WatchedPage, url: str) -> list[str]:
    visit = watched.open(url)
    problems = [p for p in visit.problems if not p.startswith("chart ")]
    problems += watched.page.evaluate(OVERFLOW)
    return [f"{urlsplit(url).path}?{urlsplit(url).query}: {p}" for p in problems]


@pytest.mark.django_db(transaction=True)
def test_phone_pages_do_not_overflow(browser, demo_live):
    base = demo_live.url
    failures: list[str] = []
    checked: list[str] = []
    seen: set[str] = set()
    starts = {
        "leader": ["/?park=DEMO&period=2022-12"],  # the cockpit
        "city": ["/city/"],  # the city view
        "admin": [],
        "qiye": [],
    }
    for role, pages in starts.items():
        context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
        try:
            watched = WatchedPage(context, base)
            login(watched, role)
            watched.open(f"{base}/")
            nav = [
                u
                for u in watched.nav_links()
                if not urlsplit(u).path.startswith("/admin/") and urlsplit(u).path not in seen
            ]
            seen.update(urlsplit(u).path for u in nav)
            for url in [f"{base}{p}" for p in pages] + nav:
                failures += [f"{role} {p}" for p in _check(watched, url)]
                checked.append(f"{role} {urlsplit(url).path}")
        finally:
            context.close()
    print("\n".join(checked))
    assert "leader /" in checked and "city /city/" in checked
    assert len(checked) >= 10, checked
    assert failures == [], "\n".join(failures)
