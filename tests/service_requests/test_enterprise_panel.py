"""The enterprise page (一企一档) shows the enterprise's requests and benefits (DECISIONS.md:
one page per enterprise), to its park's staff with links and to its own users without."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers import login_client

pytestmark = pytest.mark.django_db


def test_enterprise_page_has_its_requests_and_benefits(client, demo_db):
    from yuanqu.accounts.models import User
    from yuanqu.service_requests.models import BenefitPayment, ServiceRequest

    request = ServiceRequest.objects.filter(park__code="DEMO").select_related("enterprise").first()
    assert request is not None
    enterprise = request.enterprise
    url = reverse("investment:enterprise", args=[enterprise.pk])
    login_client(client, "leader")
    page = client.get(url).content.decode()
    assert "企业诉求与惠企政策" in page and request.title in page
    assert reverse("service_requests:detail", args=[request.pk]) in page  # staff: linked
    paid = BenefitPayment.objects.filter(enterprise=enterprise)
    if paid.exists():
        assert "兑现惠企政策资金" in page
    # the enterprise's own user: its rows, no links to the staff desk
    own = User.objects.filter(enterprise=enterprise).first()
    if own is None:
        own = User.objects.create_user(
            "panel-qiye",
            password="x",
            role="enterprise",
            park=enterprise.park,
            enterprise=enterprise,
        )
    client.force_login(own)
    mine = client.get(url).content.decode()
    assert request.title in mine
    assert reverse("service_requests:detail", args=[request.pk]) not in mine
