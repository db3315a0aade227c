"""No parameter of any route produces a 500 (issue 9, item 11).

Every GET operation of the NinjaAPI (read from its OpenAPI schema, so a new route is covered
the day it is added) and every page of Django's URL resolver is requested as an administrator
on a small fixture, with each query parameter it declares — for pages: each parameter the view
reads, recorded on a first plain request — set in turn to each hostile value below. The
answer must be below 500; an API answer of 4xx must carry a Chinese message.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver

from tests.economy.factories import make_enterprise, make_park, uscc, write_xlsx
from yuanqu.registry.models import Enterprise

pytestmark = pytest.mark.django_db

HOSTILE = [
    "-1",
    "0",
    "99999999999999999999",
    "abc",
    "2022-13",
    "2199-09",
    "1e309",
    "nan",
    "",
    "9" * 3000,
    "长" * 1000,
    "\x00",
    "%00",
]
# Values that make a route answer 200 on the fixture, by parameter name.
VALID = {
    "park": "BP",
    "code": "BP",
    "period": "2022-09",
    "year": "2022",
    "month": "9",
    "region": "TEST-CITY",
    "credit_code": uscc(1),
    "indicator": "industrial_output",
    "kind": "enterprise-reports",
    "fmt": "docx",
    "project_id": "1",
    "lead_id": "1",
    "parcel_id": "1",
    "enterprise_id": "1",
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def fixture_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """A park with three enterprises reporting 2021-09, 2022-08 and 2022-09; an admin."""
    from django.db import transaction
    from django.test import override_settings

    from yuanqu.accounts.models import Role, User
    from yuanqu.imports.engine import run_import

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        park = make_park("BP", "参数园区")
        for n, name in ((1, "甲"), (2, "乙"), (3, "丙")):
            make_enterprise(park, n, name, cluster="装备制造")
        headers = [
            "统一社会信用代码",
            "企业名称",
            "报告期",
            "工业总产值(本月)",
            "工业总产值(1-本月)",
        ]
        rows = [
            [uscc(n), name, period, 10 * n, 90 * n + m]
            for n, name in ((1, "甲"), (2, "乙"), (3, "丙"))
            for period, m in (("2021-09", 0), ("2022-08", 1), ("2022-09", 2))
        ]
        path = write_xlsx(tmp_path_factory.mktemp("bp") / "r.xlsx", headers, rows)
        preview = run_import(path, kind="enterprise-reports", park=park)
        assert preview.committed, [i.text() for i in preview.issues]
        User.objects.create_superuser("padmin", "", "pw-12345", role=Role.ADMIN)
        yield preview.record_id
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def admin(client, fixture_db):
    assert client.login(username="padmin", password="pw-12345")
    return client


# --- the API ----------------------------------------------------------------------------------


def api_operations() -> list[tuple[str, list[dict[str, Any]]]]:
    """Every GET operation of the one NinjaAPI: (path with /api/v1, its parameters)."""
    from yuanqu.api.api import installed_api

    api = installed_api()

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    found = []
    for path, operations in schema["paths"].items():
        if "get" in operations:
            found.append((path, operations["get"].get("parameters", [])))
    return found


def test_the_api_route_list_is_found() -> None:
    paths = {path for path, _ in api_operations()}
    assert {"/api/v1/economy/series", "/api/v1/economy/mujun", "/api/v1/enterprises"} <= paths


def _fill(path: str, params: list[dict[str, Any]], *, pdf: bool = False) -> str:
    for p in params:
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", VALID[p["name"]])
    return path


def _api_cases() -> Iterator[Any]:
    for path, params in api_operations():
        query = [p for p in params if p["in"] == "query"]
        for p in query:
            yield pytest.param(path, params, p["name"], id=f"{path}?{p['name']}")


@pytest.mark.parametrize(("path", "params", "name"), list(_api_cases()))
def test_no_api_parameter_gives_a_500(admin, path, params, name) -> None:
    url = _fill(path, params)
    base = {p["name"]: VALID[p["name"]] for p in params if p["in"] == "query" and p.get("required")}
    for value in HOSTILE:
        response = admin.get(url, {**base, name: value})
        assert response.status_code < 500, (url, name, value, response.status_code)
        if 400 <= response.status_code < 500:
            body = response.json()
            text = body.get("message") or body.get("detail")
            assert isinstance(text, str) and CHINESE.search(text), (url, name, value, body)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/economy/series?park=BP&year=-1", "year 应大于或等于 1949"),
        ("/api/v1/economy/series?park=BP&year=99999999999", "year 应小于或等于 2199"),
        ("/api/v1/economy/series?park=BP&year=1990", "年度 1990 不在允许的范围内（2000 至"),
        ("/api/v1/economy/series?park=BP&year=2022&indicator=bogus", "未知指标“bogus”"),
        ("/api/v1/economy/mujun?park=BP&year=2022&month=13", "month 应小于或等于 12"),
        ("/api/v1/economy/mujun?park=BP&year=2022&month=0", "month 应大于或等于 1"),
        ("/api/v1/economy/mujun?park=BP&year=0", "year 应大于或等于 1949"),
        ("/api/v1/enterprises?offset=99999999999999999999", "offset 应小于或等于 2147483647"),
        ("/api/v1/enterprises?limit=99999999999999999999", "limit 应小于或等于 1000"),
        ("/api/v1/economy/reports?period=2022-13", "无法识别报告期“2022-13”"),
    ],
)
def test_the_reported_parameters_answer_422_in_chinese(admin, url, message) -> None:
    response = admin.get(url)
    assert response.status_code == 422, response.content
    body = response.json()
    # Validation errors: a Chinese `message` beside ninja's `detail` list; the routes' own
    # checks: a Chinese `detail`.
    assert message in (body.get("message") or body["detail"]), body


def test_a_422_keeps_the_error_list_and_names_the_parameter(admin) -> None:
    body = admin.get("/api/v1/economy/mujun?park=BP&year=2022&month=13").json()
    [item] = body["errors"]
    assert item["loc"] == ["query", "month"] and item["type"] == "less_than_equal"
    assert body["detail"] == body["message"] == "请求参数有误：month 应小于或等于 12"


def test_good_parameters_still_answer(admin) -> None:
    series = admin.get("/api/v1/economy/series?park=BP&year=2022").json()
    # 工业总产值 1-本月: 2022-08 (91 + 181 + 271) 千元 = 54.3 万元; 2022-09 546 千元 = 54.6 万元.
    values = {p["period"]: p["value"] for p in series if p["value"] is not None}
    assert values == {"2022-08": "54.3", "2022-09": "54.6"}
    assert admin.get("/api/v1/economy/mujun?park=BP&year=2022&month=9").status_code == 200
    page = admin.get("/api/v1/enterprises?offset=1&limit=1").json()
    assert page["count"] == 3 and len(page["items"]) == 1


# --- pages ------------------------------------------------------------------------------------


class RecordingQueryDict(QueryDict):
    """A QueryDict that remembers the keys a view asked for."""

    asked: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        RecordingQueryDict.asked.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        RecordingQueryDict.asked.add(key)
        return super().get(key, default)

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        RecordingQueryDict.asked.add(key)
        return super().getlist(key, default)

    def __contains__(self, key: object) -> bool:
        RecordingQueryDict.asked.add(str(key))
        return super().__contains__(key)


def page_urls() -> list[str]:
    """Every URL of the resolver outside the admin and the API, path parameters filled in."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith(("admin/", "api/")):
                    continue
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return found


def _page_url(route: str, record_id: int) -> str:
    values = {
        "pk": str(record_id),
        "kind": "enterprise-reports",
        "code": "BP",
        "credit_code": "91350100M000100Y43",
        # 招商引资 / 土地 objects (none in the fixture: 404) and an enterprise of the park.
        "lead_id": "1",
        "parcel_id": "1",
        "enterprise_id": str(
            Enterprise.objects.filter(park__code="BP").values_list("pk", flat=True).first() or 1
        ),
    }
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def test_every_page_is_listed() -> None:
    routes = page_urls()
    assert {"/economy/", "/reports/download/", "/imports/<int:pk>/", "/accounts/login/"} <= set(
        routes
    )


@pytest.mark.parametrize("route", page_urls())
def test_no_page_parameter_gives_a_500(admin, fixture_db, monkeypatch, route) -> None:
    url = _page_url(route, fixture_db)
    monkeypatch.setattr(
        WSGIRequest,
        "GET",
        property(lambda self: RecordingQueryDict(self.environ.get("QUERY_STRING", ""))),
    )
    RecordingQueryDict.asked = set()
    first = admin.get(url, {"park": "BP"})
    if first.status_code == 405:
        pytest.skip(f"{route} takes no GET")
    assert first.status_code < 500, (url, first.status_code)
    asked = sorted(RecordingQueryDict.asked)
    # Every other parameter as on the plain request (only the park given), so each hostile
    # value reaches the code that reads it.
    base = {"park": "BP"}
    started = time.monotonic()
    for name in asked:
        for value in HOSTILE:
            response = admin.get(url, {**base, name: value})
            assert response.status_code < 500, (url, name, value, response.status_code)
    assert time.monotonic() - started < 120, f"{route} took too long"
