"""Data scopes through the pages and the API: who sees which parks and enterprises."""

import pytest

from tests.helpers import login_client
from yuanqu.accounts.models import User
from yuanqu.registry.models import Enterprise

pytestmark = pytest.mark.django_db

DEMO_PARKS = {"DEMO", "DEMO2", "DEMO3", "DEMO4"}


def api_codes(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {item.get("code") or item.get("credit_code") for item in response.json()["items"]}


def test_city_user_sees_the_four_parks_of_its_region(client, demo_registry, realdata):
    from django.core.management import call_command

    # A catalogue park elsewhere must stay invisible to the city user.
    call_command("import", str(realdata / "dev_zones_2018/national_zones_552.csv"), kind="parks")
    login_client(client, "city")
    assert api_codes(client, "/api/v1/parks?limit=1000") == DEMO_PARKS
    page = client.get("/").content.decode()
    for name in [
        "示范工业园区",
        "示范高新技术产业园区",
        "示范临港经济开发区",
        "示范绿色食品产业园",
    ]:
        assert name in page


def test_enterprise_user_sees_only_its_enterprise(client, demo_registry):
    user = User.objects.get(username="qiye")
    login_client(client, "qiye")
    assert api_codes(client, "/api/v1/enterprises?limit=1000") == {user.enterprise.credit_code}
    other = Enterprise.objects.exclude(pk=user.enterprise_id).first()
    assert client.get(f"/api/v1/enterprises/{other.credit_code}").status_code == 404
    page = client.get("/").content.decode()
    assert user.enterprise.name in page and other.name not in page
    # Park-wide lists are not for enterprise users.
    assert client.get("/park/DEMO/").status_code in (403, 404)


def test_park_user_sees_its_park_only(client, demo_registry):
    login_client(client, "leader")
    assert api_codes(client, "/api/v1/parks") == {"DEMO"}
    assert client.get("/api/v1/parks/DEMO2").status_code == 404
    enterprises = api_codes(client, "/api/v1/enterprises?limit=1000")
    assert enterprises == set(
        Enterprise.objects.filter(park__code="DEMO").values_list("credit_code", flat=True)
    )


def test_admin_sees_everything(client, demo_registry):
    login_client(client, "admin")
    assert api_codes(client, "/api/v1/parks") == DEMO_PARKS


def test_anonymous_gets_nothing(client, demo_registry):
    assert client.get("/api/v1/parks").status_code == 401
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_api_basic_auth_for_scripts(client, demo_registry):
    import base64

    token = base64.b64encode(b"city:demo2022").decode()
    response = client.get("/api/v1/parks", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 200
    assert {p["code"] for p in response.json()["items"]} == DEMO_PARKS


def test_park_list_query_count(client, demo_registry, django_assert_max_num_queries):
    login_client(client, "admin")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/parks?limit=100")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/enterprises?limit=100")
