"""`Server-Timing` on every response (yuanqu.core.middleware.ServerTimingMiddleware): the server's
own time, read by the page benchmark (benchmarks/pages.py); with YUANQU_SERVER_TIMING_DB the
database's time and query count too."""

from __future__ import annotations

import re

import pytest

from benchmarks.pages import parse_server_timing
from tests.helpers import login_client

pytestmark = pytest.mark.django_db

METRIC = re.compile(r'^[a-z]+(;dur=\d+\.\d\d)(;desc="[^"]*")?$')


def metrics(response) -> dict[str, dict[str, str]]:
    header = response["Server-Timing"]
    for part in header.split(", "):
        assert METRIC.match(part), header
    return parse_server_timing(header)


def test_every_response_carries_the_app_time(client, demo_registry, settings):
    settings.YUANQU_SERVER_TIMING_DB = False
    anonymous = client.get("/")  # the redirect to the login page
    assert anonymous.status_code == 302
    assert set(metrics(anonymous)) == {"app"}
    login_client(client, "leader")
    for url, status in [
        ("/", 200),
        ("/api/v1/parks", 200),
        ("/no-such-page/", 404),
        ("/static/css/app.css", 200),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        timing = metrics(response)
        assert set(timing) == {"app"}, url
        assert float(timing["app"]["dur"]) >= 0


def test_database_time_and_query_count_when_asked(client, demo_registry, settings):
    settings.YUANQU_SERVER_TIMING_DB = True
    login_client(client, "leader")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    timing = metrics(response)
    assert set(timing) == {"app", "db"}
    assert timing["db"]["desc"] == f"{len(queries)} queries"
    assert 0 <= float(timing["db"]["dur"]) <= float(timing["app"]["dur"])


def test_parse_server_timing_reads_the_header_format():
    parsed = parse_server_timing('app;dur=12.50, db;dur=3.25;desc="26 queries", cdn;desc=hit')
    assert parsed == {
        "app": {"dur": "12.50"},
        "db": {"dur": "3.25", "desc": "26 queries"},
        "cdn": {"desc": "hit"},
    }
