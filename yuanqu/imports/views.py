from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from yuanqu.accounts.models import Role
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, is_global, park_for, parks_for
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.imports import progress as job_progress
from yuanqu.imports import services, workbooks
from yuanqu.imports.engine import IMPORTERS, load_kinds
from yuanqu.imports.models import ImportRecord
from yuanqu.imports.selectors import import_get_for, import_list_for


def _kinds_for(user) -> list[tuple[str, str]]:
    """The kinds a user may import. City users read their region's parks but write nothing
    (DECISIONS.md): they get none."""
    load_kinds()
    if user.role == Role.CITY:
        return []
    if user.role == Role.ENTERPRISE:
        return [("enterprise-reports", IMPORTERS["enterprise-reports"].label)]
    kinds = [(k, cls.label) for k, cls in sorted(IMPORTERS.items())]
    if not is_global(user):
        kinds = [k for k in kinds if k[0] != "parks"]  # the park catalogue is for administrators
    return kinds


@login_required
@route_policy(read="authenticated")
def index(request: HttpRequest) -> HttpResponse:
    records = Paginator(import_list_for(user=request.user), 20).get_page(request.GET.get("page"))
    records.object_list = list(records.object_list)
    for r in records.object_list:
        if r.status == ImportRecord.Status.RUNNING:
            r.job = _job(r)
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
@route_policy(read="park", write="import")
def upload(request: HttpRequest) -> HttpResponse:
    if not _kinds_for(request.user):
        messages.error(request, "市级用户只能查看数据，不能导入；数据由园区经发局导入")
        return redirect("imports:index")
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
    job = {"user": request.user, "path": path, "kind": kind, "park": park, "period": period}
    if services.runs_in_background(path):
        record = services.web_import_start(**job, mode=mode, dry_run=True)
        messages.info(request, "文件较大，正在后台校验；完成后本页自动显示预览。")
        return redirect("imports:detail", pk=record.pk)
    preview = services.web_import(**job, mode=mode, dry_run=True)
    return redirect("imports:detail", pk=preview.record_id)


@login_required
@route_policy(read="park_wide_or_own")
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
            **(_job(record) if record.status == ImportRecord.Status.RUNNING else {}),
        },
    )


def _job(record: ImportRecord) -> dict[str, object]:
    """What the page shows of a running job: rows read, the estimate, the stage, or 已中断."""
    current = job_progress.read(record)
    stage = "preview" if record.dry_run else "commit"
    rows = current["rows"] if current else 0
    estimate = current["estimate"] if current else None
    return {
        "rows": rows,
        "estimate": estimate,
        # Grouped by thousands whatever the locale (zh-hans formats numbers without grouping).
        "rows_text": f"{rows:,}",
        "estimate_text": f"{estimate:,}" if estimate else "",
        "stage_label": current["stage_label"] if current else job_progress.STAGE_LABELS[stage],
        "interrupted": job_progress.is_interrupted(record, current),
    }


@login_required
@require_GET
@route_policy(read="park_wide_or_own")
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment polled by the detail page; a full reload once the job is over."""
    record = import_get_for(user=request.user, pk=pk)
    if record is None:
        raise Http404("导入记录不存在或无权查看")
    if record.status != ImportRecord.Status.RUNNING:
        return HttpResponseClientRefresh()
    return render(request, "imports/_progress.html", {"record": record, **_job(record)})


@login_required
@require_POST
@route_policy(read="park_wide_or_own", write="import")
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = import_get_for(user=request.user, pk=pk)
    if record is None or record.user_id != request.user.pk:
        raise Http404("导入记录不存在或无权操作")
    if record.status != ImportRecord.Status.PREVIEWED or not record.stored_file:
        messages.error(request, "该预览已处理过或文件已失效，请重新上传")
        return redirect("imports:detail", pk=pk)
    period = parse_period(record.period) if record.period else None
    path = Path(record.stored_file)
    job = {
        "user": request.user,
        "path": path,
        "kind": record.kind,
        "park": record.park,
        "period": period,
        "mode": record.mode,
        "dry_run": False,
        "reason": request.POST.get("reason", ""),
    }
    if path.is_file() and services.runs_in_background(path):
        # Spend the preview before the job starts, in one conditional update, so that a second
        # confirm (a double click, another tab) cannot start a second job on the same file.
        spent = (
            ImportRecord.objects.filter(pk=pk, status=ImportRecord.Status.PREVIEWED)
            .exclude(stored_file="")
            .update(stored_file="")
        )
        if not spent:
            messages.error(request, "该预览已处理过或文件已失效，请重新上传")
            return redirect("imports:detail", pk=pk)
        started = services.web_import_start(**job)
        messages.info(request, "正在后台导入；完成后本页自动显示结果。")
        return redirect("imports:detail", pk=started.pk)
    preview = services.web_import(**job)
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
@route_policy(read="authenticated", write="import")
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in dict(_kinds_for(request.user)):
        raise Http404("没有该类型的模板")
    return _xlsx(workbooks.template_workbook(kind), f"{kind}-导入模板.xlsx")


@login_required
@route_policy(read="park_wide_or_own")
def error_report(request: HttpRequest, pk: int) -> HttpResponse:
    record = import_get_for(user=request.user, pk=pk)
    if record is None or not record.stored_file or not Path(record.stored_file).exists():
        raise Http404("该导入的原文件已不可用")
    data = workbooks.error_report(Path(record.stored_file), record.issues or [])
    return _xlsx(data, f"错误报告-{Path(record.file_name).stem}.xlsx")


@login_required
@route_policy(read="park")
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
