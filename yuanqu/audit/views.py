"""The audit page (`/audit/`): search, page through and export the log.

Administrators see every entry; park leaders and park administrators their park's
(`policy.can_view_audit`). Others get 403 naming who may; a park outside the reader's scope is
404, as everywhere else.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import is_global, parks_for
from yuanqu.audit import selectors
from yuanqu.audit.services import EVENTS, MODEL_EVENTS, audit_request
from yuanqu.registry.models import Park

DENIED = "无权查看审计日志：只有系统管理员、园区领导和园区管理员可以查看"
EXPORT_LIMIT = 50_000


def _allowed(request: HttpRequest) -> tuple[selectors.AuditFilters, Park | None] | HttpResponse:
    user = request.user
    if not policy.can_view_audit(user, None if is_global(user) else user.park):
        return render(request, "audit/denied.html", {"message": DENIED}, status=403)
    filters = selectors.AuditFilters.from_query(request.GET)
    park = None
    if filters.park:
        park = parks_for(user).filter(code=filters.park).first()
        if park is None or not policy.can_view_audit(user, park):
            raise Http404(f"园区“{filters.park}”不存在或无权访问")
    return filters, park


@login_required
@route_policy(read="audit")
def index(request: HttpRequest) -> HttpResponse:
    allowed = _allowed(request)
    if isinstance(allowed, HttpResponse):
        return allowed
    filters, _park = allowed
    entries = selectors.audit_entries_for(user=request.user, filters=filters)
    page = Paginator(entries, settings.YUANQU_AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(e) for e in page.object_list]
    query = filters.query()
    return render(
        request,
        "audit/index.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": urlencode(query),
            "events": {**EVENTS, **MODEL_EVENTS},
            "parks": parks_for(request.user).order_by("code")
            if is_global(request.user)
            else Park.objects.none(),
        },
    )


def _row(entry: Any) -> dict[str, Any]:
    return {
        "entry": entry,
        "event": selectors.event_label(entry),
        "event_key": selectors.event_key(entry),
        "user": selectors.entry_user(entry),
        "park": (entry.additional_data or {}).get("park") or "",
        "object": selectors.entry_object(entry),
        "changes": selectors.entry_changes(entry),
        "details": selectors.entry_details(entry),
        "sample": selectors.entry_sample(entry),
    }


@login_required
@route_policy(read="audit")
def export(request: HttpRequest) -> HttpResponse:
    """The filtered entries as .xlsx (at most EXPORT_LIMIT, newest first)."""
    allowed = _allowed(request)
    if isinstance(allowed, HttpResponse):
        return allowed
    filters, park = allowed
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "审计日志"
    headers = ["时间", "用户", "事件", "园区", "对象", "详情", "字段变更（原值 → 新值）", "地址"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    entries = selectors.audit_entries_for(user=request.user, filters=filters)[:EXPORT_LIMIT]
    for entry in entries.iterator(chunk_size=2000):
        details = "；".join(f"{k}：{v}" for k, v in selectors.entry_details(entry))
        changes = "；".join(f"{f}：{a} → {b}" for f, a, b in selectors.entry_changes(entry))
        sample = "；".join(
            f"{s['action']} {s['label']}"
            + (
                "（" + "，".join(f"{n} {a} → {b}" for n, a, b in s["changes"]) + "）"
                if s["changes"]
                else ""
            )
            for s in selectors.entry_sample(entry)
        )
        ws.append(
            [
                entry.timestamp.astimezone().replace(tzinfo=None),
                selectors.entry_user(entry),
                selectors.event_label(entry),
                (entry.additional_data or {}).get("park") or "",
                selectors.entry_object(entry),
                details,
                "；".join(x for x in (changes, sample) if x),
                entry.remote_addr or "",
            ]
        )
    for col, width in zip("ABCDEFGH", (20, 18, 12, 10, 36, 60, 80, 16), strict=True):
        ws.column_dimensions[col].width = width
    for (cell,) in ws.iter_rows(min_row=2, max_col=1):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    buf = io.BytesIO()
    wb.save(buf)
    audit_request(
        request, event="export", park=park, detail={"kind": "audit-log", "title": "审计日志"}
    )
    response = HttpResponse(
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('审计日志')}.xlsx"
    return response
