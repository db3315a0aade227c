"""Kinds are shown by their Chinese names wherever a user sees one: the import log page and
its detail, `yuanqu imports`, `yuanqu export` and the errors naming the kinds one may use;
and an enterprise report naming an unknown code registers it through the registry service."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.economy.factories import make_park, uscc, write_xlsx
from yuanqu.imports.engine import run_import
from yuanqu.imports.models import ImportRecord
from yuanqu.registry.models import Enterprise

pytestmark = pytest.mark.django_db

H = ["统一社会信用代码", "企业名称", "报告期", "工业总产值(1-本月)", "工业总产值上年同期(1-本月)"]


def test_import_log_cli_and_pages_use_chinese_kind_names(tmp_path, capsys, admin_client):
    park = make_park("KL", "标签测试园区")
    path = write_xlsx(tmp_path / "k.xlsx", H, [[uscc(7), "新来企业", "2022-06", 10, 9]])
    preview = run_import(path, kind="enterprise-reports", park=park)
    assert preview.committed
    # The unknown code was registered in the park (registry.services.enterprises_create_many).
    assert Enterprise.objects.get(credit_code=uscc(7)).park == park

    call_command("imports")
    out = capsys.readouterr().out
    assert "企业月度报表" in out and "enterprise-reports" not in out
    call_command("imports", "--json")
    assert json.loads(capsys.readouterr().out)[0]["kind_label"] == "企业月度报表"

    html = admin_client.get("/imports/").content.decode()
    assert "<td>企业月度报表</td>" in html
    record = ImportRecord.objects.latest("pk")
    detail = admin_client.get(f"/imports/{record.pk}/").content.decode()
    assert '<small class="muted">企业月度报表</small>' in detail


def test_cli_errors_name_kinds_in_chinese(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("export", "bogus", "-o", str(tmp_path / "x.xlsx"))
    assert "企业月度报表（enterprise-reports）" in str(exc.value)
    assert "导入记录（import-log）" in str(exc.value)
    path = write_xlsx(tmp_path / "k.xlsx", H, [])
    with pytest.raises(CommandError) as exc:
        call_command("import", str(path), kind="bogus")
    assert "园区名录（parks）" in str(exc.value)
