"""The linked lifecycle on the whole demo: the page of lead ZS2020003 shows every link (lead →
签约 → parcel → key project → 投产 → 规上 → output and 拉动); the enterprise page (一企一档)
gives an enterprise user its own chain without 拉动 and 404 for another enterprise; 亩均 uses
the parcels' area where an enterprise has one."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    from yuanqu.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def _text(html: str) -> str:
    ol = re.search(r'<ol class="timeline" id="lifecycle">.*?</ol>', html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", ol))


def test_lifecycle_page_of_a_demo_lead_shows_every_link(demo_db):
    from yuanqu.economy import selectors as economy
    from yuanqu.investment.models import Lead

    lead = Lead.objects.get(park__code="DEMO", code="ZS2020003")
    e = lead.enterprise
    assert lead.parcel.enterprise == e and lead.project.enterprise == e
    html = client_for("leader").get(f"/investment/leads/{lead.pk}/lifecycle/").content.decode()
    text = _text(html)
    order = [
        "2019-11-05 线索",
        "2020-06-18 签约 新型建材产业园项目：签约，协议总投资4.50亿元",
        "2020-09-15 已出让 宗地GY2020-01（90.00亩）：已出让，成交价格1620.00万元",
        "2021-03-01 列入重点项目 重点项目新型建材产业园项目（市重点，总投资4.50亿元）",
        "2022-12-20 投产",
        f"2023-01-01 纳入规上 {e.name}纳入规模以上工业企业（2023年）",
        "产值与拉动 2023年1-12月规上工业总产值",
    ]
    positions = [text.index(step) for step in order]
    assert positions == sorted(positions)
    parts = economy.indicator_parts(
        park=lead.park, period=economy.latest_period(park=lead.park), code="industrial_output"
    )
    mine = next(p for p in parts if p.key == e.credit_code)
    from yuanqu.core.wording import fmt_decimal, yi_yuan

    assert f"规上工业总产值{yi_yuan(mine.value)}" in text
    assert f"拉动园区增长{fmt_decimal(mine.pull_pp, 2)}个百分点" in text
    for link in (f"/land/parcels/{lead.parcel_id}/", f"/projects/{lead.project_id}/"):
        assert link in html


def test_enterprise_page_own_chain_without_park_figures(demo_db):
    from yuanqu.accounts.models import User
    from yuanqu.investment.models import Lead
    from yuanqu.registry.models import Enterprise

    e = Lead.objects.get(park__code="DEMO", code="ZS2020003").enterprise
    staff = client_for("leader").get(f"/enterprises/{e.pk}/").content.decode()
    assert "拉动园区增长" in staff and 'id="panel-parcels"' in staff
    owner = User.objects.create_user("own", password="x", role="enterprise", enterprise=e)
    c = Client()
    c.force_login(owner)
    own = c.get(f"/enterprises/{e.pk}/")
    assert own.status_code == 200
    body = own.content.decode()
    assert "规上工业总产值" in body and "拉动" not in body and "/land/parcels/" not in body
    other = Enterprise.objects.filter(park=e.park).exclude(pk=e.pk).first()
    assert c.get(f"/enterprises/{other.pk}/").status_code == 404


def test_mu_jun_uses_the_parcels_area(demo_db):
    from yuanqu.economy import selectors
    from yuanqu.investment.models import Lead
    from yuanqu.registry.models import Park

    e = Lead.objects.get(park__code="DEMO", code="ZS2022002").enterprise  # GY2022-02: 4.2公顷
    rows, _ = selectors.mu_jun_evaluation(park=Park.objects.get(code="DEMO"), year=2023)
    row = next(r for r in rows if r.credit_code == e.credit_code)
    assert row.land_mu == D(63) and e.land_area_mu != D(63)
