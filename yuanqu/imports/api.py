"""Import log and Excel exports through the API (scoped like every other read)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from yuanqu.accounts.policy import route_policy
from yuanqu.audit.services import audit_request
from yuanqu.core.pagination import BoundedLimitOffsetPagination
from yuanqu.imports import workbooks
from yuanqu.imports.selectors import import_list_for

router = Router(tags=["数据导入与导出"])


class ImportOut(Schema):
    id: int
    kind: str
    file_name: str
    sha256: str
    status: str
    dry_run: bool
    counts: dict[str, Any]
    created_at: str
    user: str | None

    @staticmethod
    def resolve_created_at(obj) -> str:
        return obj.created_at.isoformat()

    @staticmethod
    def resolve_user(obj) -> str | None:
        return obj.user.username if obj.user_id else None


@router.get(
    "/imports", response=list[ImportOut], summary="导入记录（谁、何时、文件、SHA-256、计数）"
)
@route_policy(read="authenticated")
@paginate(BoundedLimitOffsetPagination)
def imports(request: HttpRequest):
    return import_list_for(user=request.user)


@router.get(
    "/export/{kind}.xlsx",
    summary="导出 .xlsx（与导入模板同表头；按数据范围；企业用户只能导出本企业的数据）",
)
@route_policy(read="park")
def export(
    request: HttpRequest, kind: str, park: str = "", period: str = "", year: int | None = None
) -> HttpResponse:
    try:
        result, data = workbooks.run_export(
            kind, user=request.user, park=park or None, period=period or None, year=year
        )
    except ValueError as exc:
        raise HttpError(404, str(exc)) from exc
    audit_request(request, event="export", detail={"kind": kind, "title": result.title})
    # ScopeDenied (a park-wide kind for an enterprise user, a park outside the scope) is
    # answered 404 by the API's handler.
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(result.title)}.xlsx"
    return response
