"""招商引资 and 土地 through their interfaces on the DEMO demo: the annual report's (四) and (五)
paragraphs and the 招大引强 sentence with every X filled, the monthly sections, and the CLI,
the API, the pages and the report agreeing to the digit."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from yuanqu.core.periods import Period

INVESTMENT = (
    "2022年，园区共签约引进12个项目，计划总投资35.13亿元，提前超额完成年度任务。其中超亿元项目"
    "10个，为经济发展注入源头活水。还储备了8个有较强投资落户意向项目，主要涉及金属智造、电子信息、"
    "新材料、机械装备等产业领域，总投资超29亿元，为打造金属智造、电子信息、新材料、机械装备四大"
    "产业集群，塑造现代化产业体系提供条件。"
)
LAND = (
    "2022年，在各方共同努力下，园区新增收储土地326.8亩，已与属地政府签订土地收储协议，正全速推进"
    "征收244.5亩土地，现有成熟可供用地约224亩。已组织5宗土地出让材料，其中4宗已出让，面积约275亩，"
    "交易金额6670万元。"
)
SHORTFALL = (
    "招大引强短板明显，今年共引进了12个项目，项目数量是达标了，但投资额最大的才8.5亿元，没有超10亿元"
    "的项目，从这个维度看没有达到市委市政府的要求"
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Registry, users, key projects, land and investment (no economy data: faster)."""
    from django.db import transaction
    from django.test import override_settings

    from yuanqu.demo.registry import load_registry
    from yuanqu.demo.users import load_users
    from yuanqu.investment.demo import load_investment
    from yuanqu.land.demo import load_land
    from yuanqu.projects.demo import load_projects

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        load_registry()
        load_users()
        load_projects()
        load_land()
        load_investment()
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def client_for(username: str) -> Client:
    from yuanqu.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def _cli(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def _report(kind: str, period: Period):
    from yuanqu.registry.models import Park
    from yuanqu.reports.engine import build_report

    return build_report(
        kind, park=Park.objects.get(code="DEMO"), period=period, title="t", subtitle=""
    )


@pytest.mark.django_db
def test_annual_paragraphs_and_shortfall_every_x_filled(demo):
    report = _report("annual", Period(2022, 12))
    sections = {s.key: s for s in report.sections}
    assert sections["investment"].paragraphs == [INVESTMENT]
    assert sections["land"].paragraphs == [LAND]
    assert SHORTFALL in sections["problems"].text
    for key in ("investment", "land", "problems"):
        assert "X" not in sections[key].text
    assert {"12个", "35.13亿元", "10个", "29亿元"} <= {
        f.figure for f in sections["investment"].figures
    }
    assert {"326.8亩", "244.5亩", "224亩", "5宗", "4宗", "275亩", "6670万元"} <= {
        f.figure for f in sections["land"].figures
    }


@pytest.mark.django_db
def test_monthly_sections(demo):
    report = _report("monthly", Period(2022, 10))
    sections = {s.key: s for s in report.sections}
    # 1-10月: 10 signings (the 10th on 18 October) = 317,041.2 + 15,000 = 332,041.2万元.
    assert (
        sections["investment"]
        .paragraphs[0]
        .startswith(
            "2022年1-10月，园区签约招商项目10个，协议总投资33.20亿元，完成年度签约个数目标的100.0%；"
            "到位资金"
        )
    )
    assert "闲置" not in sections["land"].text
    later = {s.key: s for s in _report("monthly", Period(2023, 8)).sections}
    assert "闲置土地1宗、36.8亩，需督促开工" in later["land"].text


@pytest.mark.django_db
def test_cli_api_and_report_agree(demo):
    inv = json.loads(_cli("investment", park="DEMO", year=2022, json=True))
    assert inv["signed"] == {"count": "12", "amount": "351341.2"}
    assert inv["targets"]["count_reached_on"] == "2022-10-18"
    assert inv["targets"]["amount_reached_on"] == "2022-09-06"
    assert inv["sizes"]["large_count"] == "10" and inv["sizes"]["largest"]["amount"] == "85000"
    assert (inv["reserve"]["count"], inv["reserve"]["amount"]) == ("8", "290500")
    usd = next(s for s in inv["signings"] if s["currency"] == "USD")
    assert (usd["usd_rate"], usd["amount"]) == ("6.701", "8041.2")
    api = client_for("leader").get("/api/v1/investment/summary", {"park": "DEMO", "year": 2022})
    assert api.status_code == 200 and api.json() == inv
    land = json.loads(_cli("land", park="DEMO", year=2022, json=True))
    assert land["reserved"]["area_mu"] == "326.8" and land["expropriating"]["area_mu"] == "244.5"
    assert land["available"]["area_mu"] == "224.05"
    assert (land["dossiers"]["count"], land["dossiers_sold"]["count"]) == ("5", "4")
    assert (land["dossiers_sold"]["area_mu"], land["dossiers_sold"]["amount"]) == ("274.78", "6670")
    api = client_for("leader").get("/api/v1/land/summary", {"park": "DEMO", "year": 2022})
    assert api.status_code == 200 and api.json() == land
    idle = client_for("leader").get(
        "/api/v1/land/parcels", {"park": "DEMO", "status": "idle", "as_of": "2023-06-30"}
    )
    assert [p["code"] for p in idle.json()] == ["GY2021-02"]
    before = client_for("leader").get(
        "/api/v1/land/parcels", {"park": "DEMO", "status": "idle", "as_of": "2023-06-29"}
    )
    assert before.json() == []
    assert (
        client_for("leader")
        .get("/api/v1/land/parcels", {"park": "DEMO", "status": "x"})
        .status_code
        == 422
    )
    assert (
        client_for("qiye")
        .get("/api/v1/investment/summary", {"park": "DEMO", "year": 2022})
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_pages_show_the_same_figures(demo):
    from yuanqu.investment.models import Lead
    from yuanqu.land.models import Parcel

    c = client_for("leader")
    page = c.get("/investment/", {"park": "DEMO", "year": 2022})
    assert page.status_code == 200
    html = page.content.decode()
    assert "351341.2" in html and "290500" in html and 'id="board-intent"' in html
    assert "investment-funnel" in html
    lead = Lead.objects.get(park__code="DEMO", code="ZS2022013")
    detail = c.get(f"/investment/leads/{lead.pk}/").content.decode()
    assert "投资方调整战略布局" in detail and "2022-08-15" in detail
    ledger = c.get("/land/", {"park": "DEMO", "year": 2022}).content.decode()
    assert "326.8" in ledger and "224.05" in ledger and "6670" in ledger
    only = c.get(
        "/land/", {"park": "DEMO", "year": 2022, "status": "expropriating"}
    ).content.decode()
    assert "GY2022-06" in only and "GY2022-04" not in only
    assert (
        "GY2021-02" in c.get("/land/idle/", {"park": "DEMO", "date": "2023-06-30"}).content.decode()
    )
    assert (
        "GY2021-02"
        not in c.get("/land/idle/", {"park": "DEMO", "date": "2023-06-29"}).content.decode()
    )
    parcel = Parcel.objects.get(park__code="DEMO", code="GY2022-02")
    timeline = c.get(f"/land/parcels/{parcel.pk}/").content.decode()
    assert "63亩（录入：4.2公顷）" in timeline.replace(".0000", "") or "63" in timeline
    assert "2022-03-28" in timeline
    # Another region's staff and enterprise users: 404 / their own pages.
    assert client_for("qiye").get(f"/land/parcels/{parcel.pk}/").status_code in (302, 404)


@pytest.mark.django_db
def test_list_pages_query_counts_do_not_grow_with_rows(demo, django_assert_max_num_queries):
    """The board, the ledger and the APIs read leads and parcels with their events in a fixed
    number of queries, whatever the number of rows (DEMO has 26 leads and 14 parcels)."""
    c = client_for("leader")
    with django_assert_max_num_queries(20):
        assert c.get("/investment/", {"park": "DEMO", "year": 2022}).status_code == 200
    with django_assert_max_num_queries(16):
        assert c.get("/land/", {"park": "DEMO", "year": 2022}).status_code == 200
    with django_assert_max_num_queries(12):
        c.get("/api/v1/land/parcels", {"park": "DEMO"})
    with django_assert_max_num_queries(12):
        c.get("/api/v1/investment/leads", {"park": "DEMO"})
