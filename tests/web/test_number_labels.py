"""Numbers on pages as people write them: "150.6 亩", not "150.6000 亩" (issue 9, item 14)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from tests.helpers import login_client
from yuanqu.core.templatetags.yuanqu import amount


@pytest.mark.parametrize(
    ("value", "arg", "shown"),
    [
        (Decimal("150.6000"), "", "150.6"),
        (Decimal("150.0000"), "", "150"),
        (Decimal("1E+2"), "", "100"),
        (Decimal("1234567.8900"), ",", "1,234,567.89"),
        (Decimal("2.345"), "2", "2.35"),
        (Decimal("1234.5"), "2,", "1,234.5"),
        (Decimal("-0.0000"), "", "0"),
        (None, "", "—"),
        ("", "", "—"),
        (3, "", "3"),
        (2.50, "", "2.5"),
        ("n/a", "", "n/a"),
        (Decimal("NaN"), "", "—"),
    ],
)
def test_amount_filter(value, arg, shown):
    assert amount(value, arg) == shown


def test_filter_loads_in_templates():
    out = Template("{% load yuanqu %}{{ v|amount }} 亩").render(Context({"v": Decimal("150.6000")}))
    assert out == "150.6 亩"


def test_land_area_without_trailing_zeros_on_pages(client, demo_registry):
    from yuanqu.accounts.models import User
    from yuanqu.registry.models import Enterprise

    qiye = User.objects.get(username="qiye")
    e = Enterprise.objects.get(pk=qiye.enterprise_id)
    Enterprise.objects.filter(pk=e.pk).update(land_area_mu=Decimal("1150.6"))
    login_client(client, "qiye")
    html = client.get("/").content.decode()
    assert "1,150.6 亩" in html and "1150.6000" not in html

    client.logout()
    login_client(client, "leader")
    html = client.get("/park/DEMO/").content.decode()
    assert ".0000<" not in html and "0000</td>" not in html
