"""Request and benefit metrics worked out by hand, read through `yuanqu service --json` and the
API; imports and exports of the three kinds; an enterprise user sees only its own rows through
pages, the API and exports."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from tests.economy.factories import make_enterprise, make_park, write_xlsx
from yuanqu.accounts.models import Role, User
from yuanqu.registry.models import Department
from yuanqu.service_requests import services
from yuanqu.service_requests.models import BenefitKind, RequestCategory, ServiceRequest

d = dt.date


def _cli(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def world(db):
    park = make_park("SR", "诉求园区")
    ysb = Department.objects.create(park=park, code="YSB", name="营商办", modules=["service"])
    e1, e2 = make_enterprise(park, 8101, "甲公司"), make_enterprise(park, 8102, "乙公司")
    approval = RequestCategory.objects.get(code="approval")  # 10 working days
    utilities = RequestCategory.objects.get(code="utilities")  # 7 calendar days
    other = RequestCategory.objects.get(code="other")

    def new(e, cat, received, title):
        return services.request_create(
            park=park, enterprise=e, category=cat, title=title, received_on=received, department=ysb
        )

    # A: due 03-20 (Mon 03-06 + 10 working days), closed 03-15 (9 days), rated 5.
    a = new(e1, approval, d(2023, 3, 6), "A")
    services.request_reply(request=a, text="已办结", on=d(2023, 3, 15), close=True)
    services.request_rate(request=a, satisfaction=5, on=d(2023, 3, 16))
    # B: due 03-20, closed 03-22 (late, 16 days), rated 3.
    b = new(e2, approval, d(2023, 3, 6), "B")
    services.request_reply(request=b, text="已办结", on=d(2023, 3, 22), close=True)
    services.request_rate(request=b, satisfaction=3, on=d(2023, 3, 23))
    # C: due 12-27, open at the year end: late, overdue.  D: due 2024-01-04: not due in 2023.
    c = new(e1, utilities, d(2023, 12, 20), "C")
    new(e2, utilities, d(2023, 12, 28), "D")
    # E: returned: received, never due.
    e = new(e1, other, d(2023, 5, 4), "E")
    services.request_return(request=e, reason="不属于园区职权范围", on=d(2023, 5, 5))
    # Benefits: 2023 total 170.5 万元, 3 payments, 2 enterprises; a 2022 payment outside.
    p1 = services.policy_upsert(park=park, code="ZC1", name="技改奖补")
    p2 = services.policy_upsert(park=park, code="ZC2", name="贷款贴息")
    services.benefit_record(
        policy=p1, enterprise=e1, amount=D(100), paid_on=d(2023, 3, 1), kind=BenefitKind.SUBSIDY
    )
    services.benefit_record(
        policy=p1, enterprise=e2, amount=D("50.5"), paid_on=d(2023, 6, 1), kind=BenefitKind.SUBSIDY
    )
    services.benefit_record(
        policy=p2, enterprise=e1, amount=D(20), paid_on=d(2023, 7, 1), kind=BenefitKind.INTEREST
    )
    services.benefit_record(
        policy=p2, enterprise=e1, amount=D(30), paid_on=d(2022, 12, 31), kind=BenefitKind.INTEREST
    )
    staff = User.objects.create_user(username="ysb1", password="x", role=Role.DEPARTMENT, park=park)
    staff.departments.set([ysb])
    qiye = User.objects.create_user(
        username="qiye1", password="x", role=Role.ENTERPRISE, enterprise=e1
    )
    return {"park": park, "e1": e1, "e2": e2, "b": b, "c": c, "staff": staff, "qiye": qiye}


def test_hand_computed_year_through_cli_and_api(world) -> None:
    data = json.loads(_cli("service", park="SR", year=2023, json=True))
    r = data["requests"]
    assert (r["received"], r["returned"], r["closed"]) == ("5", "1", "2")
    assert (r["due"], r["on_time"], r["late"], r["open_overdue"], r["pending"]) == (
        "3",
        "1",
        "2",
        "1",
        "0",
    )
    assert r["on_time_rate_pct"] == "33.3"  # 1 of 3
    assert r["median_days"] == "12.5"  # 9 and 16 days
    assert (r["satisfaction_avg"], r["satisfied_pct"]) == ("4.00", "50.0")
    assert [o["title"] for o in r["overdue"]] == ["C"]
    b = data["benefits"]
    assert (b["amount_wan"], b["payments"], b["enterprises"]) == ("170.5", "3", "2")
    assert [(k["name"], k["amount_wan"], k["enterprises"]) for k in b["by_kind"]] == [
        ("奖补", "150.5", "2"),
        ("贴息", "20", "1"),
    ]
    client = Client()
    client.force_login(world["staff"])
    api = client.get("/api/v1/service/summary", {"park": "SR", "year": "2023"}).json()
    assert api == data
    text = _cli("service", park="SR", year=2023)
    assert "按期办结率33.3%" in text and "兑现惠企政策资金170.5万元" in text


def test_enterprise_user_sees_only_its_own(world) -> None:
    qiye = Client()
    qiye.force_login(world["qiye"])
    own = qiye.get(f"/service/mine/{world['e1'].credit_code}/")
    assert own.status_code == 200
    html = own.content.decode()
    assert "A" in html and "乙公司" not in html
    assert qiye.get(f"/service/mine/{world['e2'].credit_code}/").status_code == 404
    assert qiye.get(f"/service/requests/{world['b'].pk}/").status_code == 404  # E2's
    assert qiye.get(f"/service/requests/{world['c'].pk}/").status_code == 200  # its own
    assert qiye.get("/service/").status_code == 302  # the desk is park-wide
    listed = qiye.get("/api/v1/service/requests", {"park": "SR", "year": "2023"}).json()
    assert sorted(x["title"] for x in listed) == ["A", "C", "E"]
    assert qiye.get(f"/api/v1/service/requests/{world['b'].pk}").status_code == 404
    assert qiye.get("/api/v1/service/summary", {"park": "SR", "year": "2023"}).status_code == 404
    benefits = qiye.get("/api/v1/service/benefits", {"park": "SR", "year": "2023"}).json()
    assert (benefits["amount_wan"], benefits["enterprises"]) == ("120", "1")
    for kind, expected in (("service-requests", 3), ("benefits", 3)):
        response = qiye.get(f"/imports/export/{kind}.xlsx", {"park": "SR"})
        assert response.status_code == 200
        ws = load_workbook(io.BytesIO(response.content)).active
        codes = {
            row[1] if kind == "service-requests" else row[4]
            for row in ws.iter_rows(values_only=True)
        }
        assert world["e2"].credit_code not in codes
        assert world["e1"].credit_code in codes
        rows = [r for r in ws.iter_rows(values_only=True) if world["e1"].credit_code in r]
        assert len(rows) == expected
    assert qiye.get("/imports/export/supervision-tasks.xlsx", {"park": "SR"}).status_code == 404
    assert qiye.get("/supervision/").status_code == 302


def test_enterprise_submits_staff_replies_enterprise_rates(world, settings) -> None:
    settings.YUANQU_TODAY = "2023-06-01"  # a Thursday
    qiye = Client()
    qiye.force_login(world["qiye"])
    url = f"/service/mine/{world['e1'].credit_code}/"
    response = qiye.post(url, {"action": "submit", "category": "approval", "title": "用电增容"})
    assert response.status_code == 302
    r = ServiceRequest.objects.get(title="用电增容")
    # 10 working days from Thursday 06-01: 06-02, 06-05…06-09, 06-12…06-15.
    assert (r.status, r.received_on, r.due_on) == ("submitted", d(2023, 6, 1), d(2023, 6, 15))
    staff = Client()
    staff.force_login(world["staff"])
    act = f"/service/requests/{r.pk}/act/"
    assert staff.post(act, {"action": "accept"}).status_code == 302
    assert (
        staff.post(
            act, {"action": "close", "text": "已协调供电公司", "on": "2023-06-09"}
        ).status_code
        == 302
    )
    r.refresh_from_db()
    assert (r.status, r.closed_on) == ("closed", d(2023, 6, 9))
    page = qiye.get(url).content.decode()
    assert "已协调供电公司" in page
    assert (
        qiye.post(url, {"action": "rate", "request": r.pk, "satisfaction": "5"}).status_code == 302
    )
    r.refresh_from_db()
    assert (r.status, r.satisfaction) == ("rated", 5)
    # Another enterprise's request cannot be rated from this page.
    assert (
        qiye.post(
            url, {"action": "rate", "request": world["b"].pk, "satisfaction": "1"}
        ).status_code
        == 422
    )
    # A department user outside 营商办 may not act on it.
    other = User.objects.create_user(
        username="x", password="x", role=Role.DEPARTMENT, park=world["park"]
    )
    c = Client()
    c.force_login(other)
    assert c.post(act, {"action": "return", "text": "x"}).status_code == 403


def test_export_imports_back_unchanged_and_errors_name_row_and_column(world, tmp_path) -> None:
    client = Client()
    client.force_login(world["staff"])
    for kind in ("service-requests", "benefits"):
        response = client.get(f"/imports/export/{kind}.xlsx", {"park": "SR"})
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(response.content)
        out = _cli("import", str(path), kind=kind, park="SR")
        assert "新增 0，变更 0，不变 " in out, out
    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        ["诉求编号", "统一社会信用代码", "诉求类别", "诉求标题", "受理日期"],
        [["SQX1", world["e1"].credit_code, "不存在的类别", "标题", "2023-02-30"]],
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(bad), kind="service-requests", park="SR", stdout=out)
    text = out.getvalue()
    assert "第2行，C列（诉求类别）：诉求类别“不存在的类别”不存在" in text
    assert "第2行，E列（受理日期）：日期“2023-02-30”无法识别或不存在" in text
