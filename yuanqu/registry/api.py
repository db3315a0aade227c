from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied
from yuanqu.core.pagination import BoundedLimitOffsetPagination
from yuanqu.registry import selectors
from yuanqu.registry.schemas import EnterpriseOut, ParkOut

router = Router(tags=["主体名录"])


@router.get("/parks", response=list[ParkOut], summary="园区列表（按数据范围）")
@route_policy(read="authenticated")
@paginate(BoundedLimitOffsetPagination)
def list_parks(request: HttpRequest, q: str = "", region: str = ""):
    return selectors.park_list_for(user=request.user, search=q, region_code=region)


@router.get("/parks/{code}", response=ParkOut, summary="园区详情")
@route_policy(read="park")
def get_park(request: HttpRequest, code: str):
    return selectors.park_get_for(user=request.user, code=code)


@router.get("/enterprises", response=list[EnterpriseOut], summary="企业列表（按数据范围）")
@route_policy(read="authenticated")
@paginate(BoundedLimitOffsetPagination)
def list_enterprises(request: HttpRequest, park: str = "", q: str = ""):
    return selectors.enterprise_list_for(user=request.user, park_code=park, search=q)


@router.get("/enterprises/{credit_code}", response=EnterpriseOut, summary="企业详情")
@route_policy(read="enterprise_own")
def get_enterprise(request: HttpRequest, credit_code: str):
    enterprise = selectors.enterprise_get_for(user=request.user, credit_code=credit_code)
    if enterprise is None:
        raise ScopeDenied(f"企业“{credit_code}”不存在或无权访问")
    return enterprise
