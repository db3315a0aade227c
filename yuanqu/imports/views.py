from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yuanqu.accounts.models import Role
from yuanqu.accounts.scopes import ScopeDenied, is_global, park_for, parks_for
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.imports import services, workbooks
from yuanqu.imports.engine import IMPORTERS, load_kinds
from yuanqu.imports.models import ImportRecord
from yuanqu.imports.selectors import import_get_for, import_list_for


def _kinds_for(user) -> list[tuple[str, str]]:
    load_kinds()
    if user.role == Role.ENTERPRISE:
        return [("enterprise-reports", IMPORTERS["enterprise-reports"].label)]
    kinds = [(k, cls.label) for k, cls in sorted(IMPORTERS.items())]
    if not is_global(user):
        kinds = [k for k in kinds if k[0] != "parks"]  # the park catalogue is for administrators
    return kinds


@login_required
def index(request: HttpRequest) -> HttpResponse:
    records = Paginator(import_list_for(user=request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/index.html",
        {
            "records": records,
            "page": records,
            "kinds": _kinds_for(request.user),
            "parks": parks_for(request.user).order_by("code"),
            "is_enterprise": request.user.role == Role.ENTERPRISE,
        },
    )


def _params(request: HttpRequest):
    user = request.user
    kind = request.POST.get("kind") or None
    if kind and kind not in dict(_kinds_for(user)):
        raise ValueError("无权导入该类型的数据")
    park = None
    code = request.POST.get("park", "")
    if user.role == Role.ENTERPRISE:
        park = user.enterprise.park if user.enterprise_id else None
    elif code:
        park = park_for(user, code)
    elif not is_global(user):
        # Park and department users always import into their own park.
        park = parks_for(user).first()
    period = None
    if request.POST.get("period"):
        period = parse_period(request.POST["period"])
    mode = "merge" if request.POST.get("mode") == "merge" else "replace"
    return kind, park, period, mode


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件")
        return redirect("imports:index")
    try:
        kind, park, period, mode = _params(request)
        path = services.store_upload(upload)
    except (services.UploadRefused, ValueError, PeriodError, ScopeDenied) as exc:
        messages.error(request, str(exc))
        return redirect("imports:index")
    preview = services.web_import(
        user=request.user,
        path=path,
        kind=kind,
        park=park,
        period=period,
        mode=mode,
        dry_run=True,
    )
    ImportRecord.objects.filter(pk=preview.record_id).update(mode=mode)
    return redirect("imports:detail", pk=preview.record_id)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = import_get_for(user=request.user, pk=pk)
    if record is None:
        raise Http404("导入记录不存在或无权查看")
    issues = record.issues or []
    can_confirm = (
        record.status == ImportRecord.Status.PREVIEWED
        and bool(record.stored_file)
        and Path(record.stored_file).exists()
        and record.user_id == request.user.pk
    )
    return render(
        request,
        "imports/detail.html",
        {
            "record": record,
            "errors": [i for i in issues if i["level"] == "error"],
            "warnings": [i for i in issues if i["level"] == "warning"],
            "can_confirm": can_confirm,
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = import_get_for(user=request.user, pk=pk)
    if record is None or record.user_id != request.user.pk:
        raise Http404("导入记录不存在或无权操作")
    if record.status != ImportRecord.Status.PREVIEWED or not record.stored_file:
        messages.error(request, "该预览已处理过或文件已失效，请重新上传")
        return redirect("imports:detail", pk=pk)
    period = parse_period(record.period) if record.period else None
    preview = services.web_import(
        user=request.user,
        path=Path(record.stored_file),
        kind=record.kind,
        park=record.park,
        period=period,
        mode=record.mode,
        dry_run=False,
        reason=request.POST.get("reason", ""),
    )
    # The preview record is spent: a second confirm must not import again.
    ImportRecord.objects.filter(pk=pk).update(stored_file="")
    if preview.committed:
        messages.success(request, preview.summary())
    elif preview.errors:
        messages.error(request, preview.summary())
    else:
        messages.info(request, preview.summary())
    return redirect("imports:detail", pk=preview.record_id)


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in dict(_kinds_for(request.user)):
        raise Http404("没有该类型的模板")
    return _xlsx(workbooks.template_workbook(kind), f"{kind}-导入模板.xlsx")


@login_required
def error_report(request: HttpRequest, pk: int) -> HttpResponse:
    record = import_get_for(user=request.user, pk=pk)
    if record is None or not record.stored_file or not Path(record.stored_file).exists():
        raise Http404("该导入的原文件已不可用")
    data = workbooks.error_report(Path(record.stored_file), record.issues or [])
    return _xlsx(data, f"错误报告-{Path(record.file_name).stem}.xlsx")


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        result, data = workbooks.run_export(
            kind,
            user=request.user,
            park=request.GET.get("park") or None,
            period=request.GET.get("period") or None,
            year=int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None,
        )
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    return _xlsx(data, f"{result.title}.xlsx")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
