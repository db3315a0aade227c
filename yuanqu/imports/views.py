from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from yuanqu.accounts import policy
from yuanqu.accounts.models import Role
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, is_global, park_for, parks_for
from yuanqu.audit.services import audit_request
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.imports import progress as job_progress
from yuanqu.imports import services, status, workbooks
from yuanqu.imports.engine import IMPORTERS, kind_label, load_kinds
from yuanqu.imports.models import ImportRecord, ProgressStage, Reminder
from yuanqu.imports.selectors import import_get_for, import_list_for


def _kinds_for(user) -> list[tuple[str, str]]:
    """The kinds a user may import: by each kind's write area (accounts.policy). City users
    read their region's parks but write nothing (DECISIONS.md): they get none."""
    load_kinds()
    if user.role == Role.CITY:
        return []
    if user.role == Role.ENTERPRISE:
        return [("enterprise-reports", IMPORTERS["enterprise-reports"].label)]
    kinds = sorted(IMPORTERS.items())
    if is_global(user):
        return [(k, cls.label) for k, cls in kinds]
    areas = policy.write_areas_for(user, user.park)
    return [(k, cls.label) for k, cls in kinds if cls.write_area and cls.write_area in areas]


def _denied(request: HttpRequest, exc: policy.Denied) -> HttpResponse:
    """403 with the policy's Chinese message (it names who may), inside the site layout."""
    return render(request, "imports/denied.html", {"message": str(exc)}, status=403)


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
            # 催报 and 退回 notices addressed to this user, unread first.
            "reminders": list(
                Reminder.objects.filter(user=request.user, read_at__isnull=True).select_related(
                    "park"
                )[:20]
            ),
        },
    )


def _params(request: HttpRequest):
    user = request.user
    kind = request.POST.get("kind") or None
    load_kinds()
    if kind and kind not in IMPORTERS:
        raise ValueError(f"未知的数据类型“{kind}”")
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
    user = request.user
    code = request.POST.get("park", "")
    try:
        kind, park, period, mode = _params(request)
        if user.role == Role.ENTERPRISE and code and (park is None or code != park.code):
            raise ScopeDenied(f"园区“{code}”不存在或无权访问")
    except ScopeDenied as exc:
        raise Http404(str(exc)) from exc  # a park outside the scope is not confirmed to exist
    except (ValueError, PeriodError) as exc:
        messages.error(request, str(exc))
        return redirect("imports:index")
    if (
        user.role != Role.ENTERPRISE
        and not is_global(user)
        and not policy.write_areas_for(user, park)
    ):
        # Asked before the file is even stored: a user who writes nothing here gets 403.
        return _denied(request, policy.Denied("无权导入数据：园区的数据由负责该业务的部门导入"))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件")
        return redirect("imports:index")
    try:
        path = services.store_upload(upload)
    except services.UploadRefused as exc:
        messages.error(request, str(exc))
        return redirect("imports:index")
    try:
        # Ask the policy for the kind the file will be read as (guessed from its headers
        # when not chosen), before anything is read into the import log.
        services.import_authorize(
            user=request.user,
            kind=_import_kind(request.user, kind, path),
            park=park,
        )
    except policy.Denied as exc:
        path.unlink(missing_ok=True)
        return _denied(request, exc)
    job = {"user": request.user, "path": path, "kind": kind, "park": park, "period": period}
    if services.runs_in_background(path):
        record = services.web_import_start(**job, mode=mode, dry_run=True)
        messages.info(request, "文件较大，正在后台校验；完成后本页自动显示预览。")
        return redirect("imports:detail", pk=record.pk)
    preview = services.web_import(**job, mode=mode, dry_run=True)
    return redirect("imports:detail", pk=preview.record_id)


def _import_kind(user, kind: str | None, path: Path) -> str:
    if user.role == Role.ENTERPRISE:
        return "enterprise-reports"
    if kind:
        return kind
    from yuanqu.imports.engine import guess_kind
    from yuanqu.imports.readers import ReaderError

    try:
        guessed = guess_kind(path, path.name)
    except (ReaderError, ValueError):
        guessed = None
    # A file whose kind cannot be told is refused by the engine with its own message; the
    # policy is then asked for the economy area, which every period kind here needs.
    return guessed or "enterprise-reports"


def _guard(record: ImportRecord) -> dict[str, object]:
    """The deletion guard of a replace preview: the slices, the rows to type to confirm."""
    guard = (record.checks or {}).get("guard") or []
    return {
        "guard": guard,
        "guard_pct": (record.checks or {}).get("guard_pct"),
        "guard_rows": record.counts.get("deleted", 0) if guard else 0,
    }


def _guard_confirmed(record: ImportRecord, typed: str) -> bool:
    typed = typed.strip()
    return typed == "确认删除" or typed == str(record.counts.get("deleted", ""))


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
            # What a replace deletes comes first (it is what cannot be undone by re-importing).
            "sample": sorted(record.sample or [], key=lambda x: x.get("action") != "deleted"),
            "can_merge": can_confirm and record.mode == "replace" and record.counts.get("deleted"),
            "reporting": (record.checks or {}).get("reporting") or [],
            **_guard(record),
            **(_job(record) if record.status == ImportRecord.Status.RUNNING else {}),
        },
    )


def _job(record: ImportRecord) -> dict[str, object]:
    """What the page shows of a running job: its stage (排队中 / 预览 / 导入 / 写入中), rows
    read and the estimate, 已中断, and whether a worker is there to run a queued one."""
    current = job_progress.read(record)
    rows, estimate = current["rows"], current["estimate"]
    queued = record.progress_stage == ProgressStage.QUEUED
    return {
        "rows": rows,
        "estimate": estimate,
        # Grouped by thousands whatever the locale (zh-hans formats numbers without grouping).
        "rows_text": f"{rows:,}",
        "estimate_text": f"{estimate:,}" if estimate else "",
        "stage_label": current["stage_label"],
        "queued": queued,
        "writing": record.progress_stage == ProgressStage.WRITING,
        "no_worker": queued and not _worker_alive(),
        "interrupted": job_progress.is_interrupted(record),
    }


def _worker_alive() -> bool:
    """Whether any background worker beats (only asked for a queued job; a database backend
    without a worker leaves the job waiting, and the page says so)."""
    from yuanqu.jobs.services import workers_alive

    return bool(workers_alive())


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
    try:
        services.import_authorize(user=request.user, kind=record.kind, park=record.park)
    except policy.Denied as exc:
        return _denied(request, exc)
    period = parse_period(record.period) if record.period else None
    path = Path(record.stored_file)
    mode = record.mode
    allow_deletions = False
    if request.POST.get("mode") == "merge":
        mode = "merge"  # 改为合并导入: the same file, nothing deleted
    elif _guard(record)["guard"]:
        if not _guard_confirmed(record, request.POST.get("confirm_deletions", "")):
            messages.error(
                request,
                f"本次替换将删除 {record.counts.get('deleted', 0)} 行已入库数据：请在确认框中输入"
                "删除行数或“确认删除”后再导入，或改为合并导入",
            )
            return redirect("imports:detail", pk=pk)
        allow_deletions = True
    job = {
        "user": request.user,
        "path": path,
        "kind": record.kind,
        "park": record.park,
        "period": period,
        "mode": mode,
        "dry_run": False,
        "reason": request.POST.get("reason", ""),
        "allow_deletions": allow_deletions,
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
    """An export in the reader's scope; a park-wide kind for an enterprise user, or a park
    outside the scope, is 404 like every object outside the scope (`workbooks.run_export`)."""
    try:
        result, data = workbooks.run_export(
            kind,
            user=request.user,
            park=request.GET.get("park") or None,
            period=request.GET.get("period") or None,
            year=int(request.GET["year"]) if request.GET.get("year", "").isdigit() else None,
        )
    except (ValueError, ScopeDenied) as exc:
        raise Http404(str(exc)) from exc
    audit_request(request, event="export", detail={"kind": kind, "title": result.title})
    return _xlsx(data, f"{result.title}.xlsx")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# -- review and lock on the web (DECISIONS.md, Data status) ----------------------------------


def _review_park(request: HttpRequest):
    """The park of the review page: asked (`park`), else the user's own, else the first one;
    park-wide figures only (enterprise users and parks outside the scope: 404)."""
    user = request.user
    code = (request.POST.get("park") or request.GET.get("park") or "").strip()
    if not code:
        park = user.park if user.park_id else parks_for(user).order_by("code").first()
        code = park.code if park is not None else ""
    try:
        return policy.park_readable(user, code)
    except ScopeDenied as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_GET
@route_policy(read="park_wide")
def review(request: HttpRequest) -> HttpResponse:
    """Each (kind, period) of a park with its status, rows, 报送率 and history; 审核 / 退回 /
    锁定 / 解锁 / 催报 for those the policy allows, who may for the others."""
    from yuanqu.economy.selectors import reporting_rate
    from yuanqu.imports.models import DataSlice
    from yuanqu.imports.selectors import review_slices

    park = _review_park(request)
    years = sorted(
        set(DataSlice.objects.filter(park=park).values_list("year", flat=True)), reverse=True
    )
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and int(year_text) in years else None
    if year is None:
        year = years[0] if years else None
    rows = review_slices(park=park, year=year) if year else []
    user = request.user
    kinds = {r["slice"].kind for r in rows}
    # Asked once per kind: who may, and the words naming who may for the others.
    may = {
        k: (
            policy.can_review(user, park, k),
            policy.can_lock(user, park, k),
            status.reviewers_text(park, k),
            status.reviewers_text(park, k, "锁定"),
        )
        for k in kinds
    }
    for r in rows:
        s = r["slice"]
        r["may_review"], r["may_lock"], r["reviewers"], r["lockers"] = may[s.kind]
        if s.kind == "enterprise-reports":
            # Before review, and after it or a lock for the record: how complete the month is.
            r["rate"] = reporting_rate(park=park, period=parse_period(s.period))
    return render(
        request,
        "imports/review.html",
        {
            "park": park,
            "parks": [p for p in parks_for(user).order_by("code") if policy.can_read_park(user, p)],
            "years": years,
            "year": year,
            "rows": rows,
            "may_remind": policy.can_write(user, "economy", park),
        },
    )


@login_required
@require_POST
@route_policy(read="park_wide", write="review")
def review_action(request: HttpRequest) -> HttpResponse:
    """One of 审核 / 退回 / 锁定 / 解锁 / 催报 on a slice, through the status services."""
    from yuanqu.core.modules import data_kinds

    park = _review_park(request)
    action = request.POST.get("action", "")
    kind = request.POST.get("kind", "")
    asked = kind or "enterprise-reports"
    if not (
        policy.can_review(request.user, park, asked) or policy.can_lock(request.user, park, asked)
    ):
        # Before anything else: a user who may do none of these actions gets 403 naming who may.
        raise PermissionDenied(f"无权审核或锁定：只有{policy.reviewers_label(park, asked)}可以操作")
    back = f"{reverse('imports:review')}?park={park.code}"
    try:
        period = parse_period(request.POST.get("period", ""))
    except PeriodError as exc:
        messages.error(request, f"报告期无法识别：{exc}")
        return redirect(back)
    back += f"&year={period.year}"
    if action != "remind" and kind not in data_kinds():
        messages.error(request, f"未知的数据类型“{kind}”")
        return redirect(back)
    reason = request.POST.get("reason", "")
    user = request.user
    try:
        if action == "review":
            s = status.period_review(
                user=user,
                kind=kind,
                park=park,
                period=period,
                confirm_incomplete=bool(request.POST.get("confirm_incomplete")),
            )
        elif action == "return":
            s = status.period_return(user=user, kind=kind, park=park, period=period, reason=reason)
        elif action == "lock":
            s = status.period_lock(user=user, kind=kind, park=park, period=period)
        elif action == "unlock":
            s = status.period_unlock(user=user, kind=kind, park=park, period=period, reason=reason)
        elif action == "remind":
            missing, notified = status.period_remind(user=user, park=park, period=period)
            if notified:
                text = f"{missing} 户未报送：已向其中有账号的企业发出站内提醒（{notified} 个账号）"
            else:
                text = f"{missing} 户未报送，但这些企业都还没有平台账号，站内提醒无人接收：请电话或线下催报"
            if notified:
                messages.success(request, text)
            else:
                messages.warning(request, text)
            return redirect(back)
        else:
            messages.error(request, "未知的操作")
            return redirect(back)
    except policy.Denied as exc:
        return _denied(request, exc)
    except status.StatusError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"{park.name} {period} {kind_label(kind)}：{s.get_status_display()}")
    return redirect(back)


@login_required
@require_POST
@route_policy(read="authenticated", write="session")
def reminders_read(request: HttpRequest) -> HttpResponse:
    """Mark the user's own notices read (nobody else's)."""
    from django.utils import timezone

    Reminder.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("imports:index")
