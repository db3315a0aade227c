"""Item 7's proof: a module added by its own folder (tests/plugin_module) plus one
INSTALLED_APPS line appears in the navigation, the import page, `yuanqu demo`, the monthly
report, the exports, the home page's cockpit and the API — and disappears when it is removed
again."""

from __future__ import annotations

import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import clear_url_caches

from tests.helpers import login_client
from yuanqu.core.periods import Period

pytestmark = pytest.mark.django_db

PLUGIN = "tests.plugin_module"


def _reload_urls() -> None:
    # The root URLconf mounts the installed modules' URLs when it is imported.
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def plugin(settings):
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, PLUGIN]):
        _reload_urls()
        yield
    _reload_urls()


def test_navigation_shows_the_module_to_park_readers_only(client, demo_db, plugin):
    html = login_client(client, "leader").get("/").content.decode()
    assert '<a href="/carbon/"' in html and ">碳排放</a>" in html
    page = client.get("/carbon/")
    assert page.status_code == 200 and "碳排放重点监测企业的月度排放" in page.content.decode()
    # Its entry asks yuanqu.read_park: an enterprise user never sees it.
    client.logout()
    html = login_client(client, "qiye").get("/").content.decode()
    assert "/carbon/" not in html


def test_import_page_offers_its_kind_with_its_chinese_label(client, demo_db, plugin):
    html = login_client(client, "admin").get("/imports/").content.decode()
    assert '<option value="carbon-emissions">企业碳排放</option>' in html
    assert "（enterprise-reports）" not in html  # kinds are shown by their Chinese names
    out = StringIO()
    with pytest.raises(Exception) as exc:
        call_command("import", __file__, kind="nonsense", stdout=out)
    assert "企业碳排放（carbon-emissions）" in str(exc.value)


def test_demo_loads_its_part_once(demo_db, plugin):
    from tests.plugin_module.demo import LOADS
    from yuanqu.demo.loader import load_demo
    from yuanqu.demo.models import DemoLoad

    LOADS.clear()
    assert load_demo(log=lambda m: None) == ["carbon"]  # the other parts are loaded already
    assert LOADS == ["carbon"] and DemoLoad.objects.filter(part="carbon", version="1").exists()
    assert load_demo(log=lambda m: None) == [] and LOADS == ["carbon"]


def test_monthly_report_carries_its_section(demo_db, plugin):
    from yuanqu.registry.models import Park
    from yuanqu.reports.services import monthly_report

    report = monthly_report(park=Park.objects.get(code="DEMO"), period=Period(2023, 6))
    text = report.text()
    assert "碳排放监测" in text
    assert "示范工业园区纳入碳排放重点监测的企业3家，监测数据按月报送。" in text
    # Its figure is in the 数据来源 table like every other.
    assert any(f.indicator == "碳排放重点监测企业" for f in report.figures)


def test_exports_cockpit_and_declarations(client, demo_db, plugin):
    from yuanqu.core.modules import cockpit_cards, supervision_rules, write_areas
    from yuanqu.imports.workbooks import run_export

    export, data = run_export("carbon-emissions")
    assert export.title == "企业碳排放" and data[:2] == b"PK"
    assert "carbon-over" in [r.key for r in supervision_rules()]
    keys = [c.key for c in cockpit_cards()]
    assert keys[:4] == ["economy-kpis", "economy-reporting", "economy-trend", "economy-clusters"]
    assert keys.index("projects-lights") < keys.index("carbon-watched")
    assert write_areas()["carbon"] == "碳排放数据"
    html = login_client(client, "leader").get("/?park=DEMO").content.decode()
    assert 'data-card="carbon-watched"' in html and "碳排放重点监测企业" in html
    assert 'data-card="economy-kpis-1"' in html and "规上工业总产值（2023年1-12月）" in html


def test_api_mounts_its_router(client, demo_db, plugin):
    login_client(client, "leader")
    response = client.get("/api/v1/carbon/watched?park=DEMO")
    assert response.status_code == 200
    assert response.json()["park"] == "DEMO" and response.json()["watched"] == 3
    # In the OpenAPI document with its Chinese tag, beside the platform's own routes.
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["paths"]["/api/v1/carbon/watched"]["get"]["tags"] == ["碳排放"]
    assert "/api/v1/projects/summary" in schema["paths"]
    # Its route policy holds like any other: park-wide, so never an enterprise user's.
    client.logout()
    login_client(client, "qiye")
    assert client.get("/api/v1/carbon/watched?park=DEMO").status_code == 404


def test_removed_module_is_gone_everywhere(client, demo_db, settings):
    # Installed and removed again: its kinds, sections, navigation and pages go with it.
    from yuanqu.imports.engine import IMPORTERS, load_kinds
    from yuanqu.reports.engine import sections_of

    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, PLUGIN]):
        _reload_urls()
        load_kinds()
        assert "carbon-emissions" in IMPORTERS
        assert "carbon" in [s.key for s in sections_of("monthly")]
    _reload_urls()
    load_kinds()
    assert "carbon-emissions" not in IMPORTERS
    assert "carbon" not in [s.key for s in sections_of("monthly")]
    html = login_client(client, "leader").get("/").content.decode()
    assert "碳排放" not in html
    assert client.get("/carbon/").status_code == 404
    assert client.get("/api/v1/carbon/watched?park=DEMO").status_code == 404
    assert "/api/v1/carbon/watched" not in client.get("/api/v1/openapi.json").json()["paths"]
