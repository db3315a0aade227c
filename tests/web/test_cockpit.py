"""The park cockpit (home page of park users), the city view (home page of 市级用户) and the
big screens: every card's number is the CLI's figure for the same park and period, a copied
link shows the same thing, queries are bounded, and nobody sees more than the policy allows."""

from __future__ import annotations

import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from tests.helpers import login_client

pytestmark = pytest.mark.django_db


def _cli(*args: str, **options: object) -> object:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return json.loads(out.getvalue())


def _yi(value: str) -> str:
    return str((Decimal(value) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _card(html: str, key: str) -> str:
    found = re.search(rf'<article[^>]*data-card="{key}"[^>]*>(.*?)</article>', html, re.S)
    assert found, f"card {key} not on the page"
    return found.group(1)


def _value(card: str) -> str:
    found = re.search(r'class="card-value">([^<]*)<', card)
    assert found
    return found.group(1)


@pytest.fixture
def leader(client, demo_db):
    return login_client(client, "leader")


def test_cards_are_the_cli_figures_of_the_park_and_period_in_the_url(leader):
    html = leader.get("/?park=DEMO&period=2022-12").content.decode()
    assert "示范工业园区 · 驾驶舱" in html and "2022年1-12月" in html
    rows = {r["code"]: r for r in _cli("indicators", park="DEMO", period="2022-12", json=True)}
    output = _card(html, "economy-kpis-1")
    assert "规上工业总产值（2022年1-12月）" in output
    assert _value(output) == _yi(rows["industrial_output"]["value"]) == "85.00"
    # 85.0% of the target after December (序时 100%): 15 points behind, more than the red
    # margin of 10 points → red, with the 序时 marker on the bar
    assert 'class="light-dot light-red"' in output
    assert "完成年度目标85.0%" in output and "序时100.0%" in output
    assert f"增长{rows['industrial_output']['yoy_pct']}%" in output
    assert "慢于序时进度15.0个百分点" in output
    # the card links to the page behind it, with the park and period
    assert 'href="/economy/?park=DEMO&amp;period=2022-12&amp;indicator=industrial_output"' in output
    reporting = _card(html, "economy-reporting")
    r = rows["industrial_output"]
    assert f"应报{r['expected']}户，已报{r['reported']}户" in reporting
    # 项目建设: the CLI's 省市重点 completion and lights
    projects = _cli("projects", park="DEMO", period="2022-12", json=True)
    key = next(t for t in projects["levels"] if t["level"] == "key")
    card = _card(html, "projects-lights")
    assert _value(card) == key["completion_pct"]
    assert f"红灯{key['lights']['red']}个" in card
    # the card's light is its worst project's: the counts, not their strings ("0" is no red)
    lit = re.search(r'<article class="[^"]*lit-(\w+)[^"]*" data-card="projects-lights"', html)
    worst = next((c for c in ("red", "yellow") if int(key["lights"][c])), "green")
    assert lit and lit.group(1) == worst, (lit and lit.group(1), key["lights"])
    assert "economy-trend" in html and "economy-clusters" in html  # the two charts' cards
    assert 'id="card-chart-economy-trend" type="application/json"' in html


def test_a_copied_link_shows_the_same_period_and_a_bad_one_falls_back(leader):
    june = leader.get("/?park=DEMO&period=2022-06").content.decode()
    assert "规上工业总产值（2022年1-6月）" in june
    for bad in ("period=2022-13", "period=abc", "period=" + "9" * 300, "park=NOPE"):
        response = leader.get(f"/?{bad}")
        assert response.status_code == 200, bad
    assert "无法识别" in leader.get("/?park=DEMO&period=abc").content.decode()


def test_cockpit_queries_are_bounded_and_cached(leader, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        leader.get("/?park=DEMO&period=2022-12")
    # the cards are kept under the data version: a second look is the layout plus a cache read
    with django_assert_max_num_queries(14):
        leader.get("/?park=DEMO&period=2022-12")


def test_city_view_ranks_the_region_and_names_the_parks_not_in(client, demo_db):
    city = login_client(client, "city")
    html = city.get("/?indicator=industrial_output&period=2022-12").content.decode()
    assert "示范市全市概览" in html
    values = [
        Decimal(
            next(
                r["value"]
                for r in _cli("indicators", park=code, period="2022-12", json=True)
                if r["code"] == "industrial_output"
            )
        )
        for code in ("DEMO", "DEMO2", "DEMO3", "DEMO4")
    ]
    assert _value(_card(html, "city-total")) == _yi(str(sum(values)))
    table = re.search(r'<table class="data" id="city-ranking">(.*?)</table>', html, re.S).group(1)
    names = re.findall(r'<td><a href="/\?park=(\w+)&amp;period=2022-12">', table)
    ranked = sorted(zip(values, ("DEMO", "DEMO2", "DEMO3", "DEMO4"), strict=True), reverse=True)
    assert names == [code for _, code in ranked]
    # 2023-12: DEMO4's month is submitted, not reviewed — named, not silently missing
    latest = city.get("/city/?period=2023-12").content.decode()
    assert "示范绿色食品产业园" in _card(latest, "city-unreviewed")
    assert "已提交未审核" in latest


def test_big_screens_have_no_navigation_and_refresh(leader, client):
    park = leader.get("/screen/?park=DEMO&period=2022-12").content.decode()
    assert 'class="screen"' in park and 'data-refresh="300"' in park
    # a card without items lists none (not its own fields as empty <li>s, via dict.items)
    assert "<li></li>" not in park
    assert "<li></li>" not in leader.get("/?park=DEMO&period=2022-12").content.decode()
    assert "sidenav" not in park and "economy-kpis-1" in park
    city = leader.get("/screen/city/").content.decode()
    assert 'data-card="city-total"' in city


@pytest.mark.parametrize("url", ["/city/", "/screen/", "/screen/city/"])
def test_an_enterprise_user_gets_no_park_wide_view(client, demo_db, url):
    login_client(client, "qiye")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["region=NOPE", "indicator=bogus", "period=2022-99", "period=1999-01", "region=&period="],
)
def test_city_view_parameters_never_fail(client, demo_db, query):
    login_client(client, "city")
    assert client.get(f"/city/?{query}").status_code == 200
    assert client.get(f"/screen/city/?{query}").status_code == 200
