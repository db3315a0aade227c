"""重点项目 pages: the list with filters and totals, one project, the 调度 board by light, the
monthly entry form and the photos (served through the access policy, never a public /media/).

Views parse the request and call the selectors and services; the figures are those of the
API and `yuanqu projects` (the same presenters)."""

from __future__ import annotations

import mimetypes
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, parks_for
from yuanqu.core.numbers import NumberError, parse_amount
from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.projects import formulas, presenters, selectors, services
from yuanqu.projects.models import Level, Project, ProjectPhoto, ProjectProgress, Stage
from yuanqu.registry.models import Department, Park

LIGHT_CHOICES = [(k, v) for k, v in formulas.LIGHTS.items()]


def _park(request: HttpRequest) -> Park:
    """The park asked for (GET `park`), else the session's, else the first readable one."""
    user = request.user
    code = request.GET.get("park", "").strip() or request.session.get("park", "")
    if code:
        try:
            park = policy.park_readable(user, code)
            request.session["park"] = park.code
            return park
        except ScopeDenied:
            if request.GET.get("park"):
                raise
    park = next(
        (p for p in parks_for(user).order_by("code") if policy.can_read_park(user, p)), None
    )
    if park is None:
        raise ScopeDenied("没有可访问的园区")
    return park


def _period(request: HttpRequest, park: Park) -> tuple[Period, str]:
    text = request.GET.get("period", "").strip()
    if text:
        try:
            return parse_period(text), ""
        except PeriodError as exc:
            error = f"报告期“{text}”无法识别（{exc}），已显示最新一期。"
    else:
        error = ""
    last = ProjectProgress.objects.filter(park=park).order_by("-year", "-month").first()
    if last is not None:
        return Period(last.year, last.month), error
    return selectors.latest_default(), error


def _denied(request: HttpRequest) -> HttpResponse:
    return render(
        request, "dashboard/denied.html", {"code": request.GET.get("park", "")}, status=404
    )


def _project(request: HttpRequest, pk: int) -> Project:
    """A project of a park whose figures the reader may read, else 404 (ScopeDenied)."""
    project = (
        Project.objects.filter(pk=pk).select_related("park", "department", "enterprise").first()
    )
    if project is None or not policy.can_read_park(request.user, project.park):
        raise ScopeDenied("项目不存在或无权访问")
    return project


def _periods(park: Park) -> list[str]:
    rows = (
        ProjectProgress.objects.filter(park=park)
        .values_list("year", "month")
        .distinct()
        .order_by("-year", "-month")
    )
    return [f"{y}-{m:02d}" for y, m in rows[:36]]


@route_policy(read="park_wide", enterprise_to="mine:index")
def index(request: HttpRequest) -> HttpResponse:
    """项目列表: filters (level, stage, light, department), totals by level, one row each."""
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    period, error = _period(request, park)
    level = request.GET.get("level", "")
    stage = request.GET.get("stage", "")
    light = request.GET.get("light", "")
    department = request.GET.get("department", "")
    level = level if level in Level.values else ""
    stage = stage if stage in Stage.values else ""
    light = light if light in formulas.LIGHTS else ""
    all_rows = selectors.project_rows(park=park, period=period)
    summary = selectors.project_summary(park=park, period=period, rows=all_rows)
    rows = [
        r
        for r in all_rows
        if (not level or r.project.level == level)
        and (not stage or r.project.stage == stage)
        and (not light or r.light == light)
        and (not department or (r.project.department and r.project.department.code == department))
    ]
    shown = selectors.totals(rows, key="shown", label="筛选结果合计", month=period.month)
    ctx: dict[str, Any] = {
        "park": park,
        "period": period,
        "period_error": error,
        "periods": _periods(park),
        "levels": [
            presenters.totals_json(t)
            for t in summary["levels"]
            if t.count or t.key in ("key", "all")
        ],
        "shown": presenters.totals_json(shown),
        "rows": [presenters.row_json(r) for r in rows],
        "f": {"level": level, "stage": stage, "light": light, "department": department},
        "level_choices": Level.choices,
        "stage_choices": Stage.choices,
        "light_choices": LIGHT_CHOICES,
        "departments": Department.objects.filter(park=park).order_by("code"),
        "q": urlencode({"park": park.code, "period": str(period)}),
        "can_write": policy.can_write(request.user, "projects", park),
    }
    return render(request, "projects/index.html", ctx)


@route_policy(read="park_wide", enterprise_to="mine:index")
def board(request: HttpRequest) -> HttpResponse:
    """项目调度看板: the projects by light (red, yellow, green) with what makes them so."""
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    period, error = _period(request, park)
    rows = selectors.project_rows(park=park, period=period)
    columns = [
        {"key": k, "label": label, "rows": [presenters.row_json(r) for r in rows if r.light == k]}
        for k, label in formulas.LIGHTS.items()
    ]
    return render(
        request,
        "projects/board.html",
        {
            "park": park,
            "period": period,
            "period_error": error,
            "periods": _periods(park),
            "columns": columns,
            "margin": selectors.light_margin(),
            "q": urlencode({"park": park.code, "period": str(period)}),
        },
    )


@route_policy(read="park_wide")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One project: plan and milestones, months (YTD and month), photos, problems, funds."""
    try:
        project = _project(request, pk)
    except ScopeDenied:
        return _denied(request)
    period = selectors.latest_period(project)
    text = request.GET.get("period", "").strip()
    if text:
        try:
            period = parse_period(text)
        except PeriodError:
            pass
    row = next(
        (
            r
            for r in selectors.project_rows(park=project.park, period=period, only_planned=False)
            if r.project.pk == project.pk
        ),
        None,
    )
    months = []
    previous: dict[int, Decimal] = {}
    for m in project.progress.order_by("year", "month"):
        month_amount = formulas.month_investment(m.ytd_investment, previous.get(m.year), m.month)
        previous[m.year] = m.ytd_investment
        months.append(
            {
                "period": f"{m.year}-{m.month:02d}",
                "ytd": presenters.wan(m.ytd_investment),
                "month": presenters.wan(month_amount),
                "image": m.image_progress,
            }
        )
    from yuanqu.funding import presenters as fund_presenters
    from yuanqu.funding import selectors as fund_selectors

    funds = [
        fund_presenters.fund_json(r)
        for year in sorted({f.year for f in project.funds.all()})
        for r in fund_selectors.fund_rows(park=project.park, year=year)
        if r.fund.project_id == project.pk
    ]
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "period": period,
            "row": presenters.row_json(row) if row else None,
            "plans": project.plans.order_by("-year").prefetch_related("milestones"),
            "months": list(reversed(months)),
            "photos": project.photos.all()[:24],
            "problems": project.problems.all(),
            "funds": funds,
            "can_write": policy.can_write(request.user, "projects", project.park),
        },
    )


@route_policy(read="park_wide", write="projects")
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """月度调度填报: the month's amount is typed, the previous month shown beside, the YTD
    computed and stored (DECISIONS.md: progress is stored as YTD)."""
    try:
        project = _project(request, pk)
    except ScopeDenied:
        return _denied(request)
    try:
        policy.require_write(request.user, "projects", project.park, action="填报项目月度调度")
    except policy.Denied as exc:
        raise PermissionDenied(str(exc)) from exc
    text = (request.POST.get("period") or request.GET.get("period") or "").strip()
    try:
        period = parse_period(text) if text else selectors.next_period(project)
    except PeriodError:
        period = selectors.next_period(project)
    previous = (
        ProjectProgress.objects.filter(project=project, year=period.year, month__lt=period.month)
        .order_by("-month")
        .first()
    )
    current = ProjectProgress.objects.filter(
        project=project, year=period.year, month=period.month
    ).first()
    error = ""
    if request.method == "POST":
        try:
            amount = parse_amount(request.POST.get("month_investment", ""))
        except NumberError as exc:
            amount, error = None, str(exc)
        if amount is None and not error:
            error = "请填写本月完成投资（万元），没有完成请填 0"
        elif amount is not None and amount < 0:
            error = "本月完成投资不能为负数"
        if not error and amount is not None:
            try:
                services.progress_save_month(
                    project=project,
                    year=period.year,
                    month=period.month,
                    month_investment=amount.quantize(Decimal("0.0001")),
                    image_progress=request.POST.get("image_progress", "").strip()[:2000],
                    user=request.user,
                )
            except (InvalidOperation, ValueError) as exc:
                error = f"无法保存：{exc}"
            else:
                upload = request.FILES.get("photo")
                if upload is not None:
                    services.photo_add(
                        project=project,
                        year=period.year,
                        month=period.month,
                        upload=upload,
                        caption=request.POST.get("caption", "")[:200],
                        user=request.user,
                    )
                messages.success(request, f"已保存{project.name} {period.label}的调度")
                return redirect("projects:detail", pk=project.pk)
    return _entry_page(
        request, project, period, previous, current, error, status=422 if error else 200
    )


def _entry_page(
    request: HttpRequest,
    project: Any,
    period: Any,
    previous: Any,
    current: Any,
    error: Any,
    *,
    status: int,
    submitting: bool = False,
) -> HttpResponse:
    """The monthly form (the department's entry and an enterprise's submission): the previous
    month beside, this month's amount computed from the YTD, never typed."""
    prev_ytd = previous.ytd_investment if previous else Decimal(0)
    context = {
        "project": project,
        "period": period,
        "previous": previous,
        "prev_ytd": presenters.wan(prev_ytd),
        "current": current,
        "current_month": presenters.wan(current.ytd_investment - prev_ytd) if current else "",
        "error": error,
    }
    if submitting:
        context["submitting"] = True
    return render(request, "projects/entry.html", context, status=status)


@route_policy(read="park_wide")
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A 形象进度 photo, read from the media folder for a reader of the project's park only."""
    found = ProjectPhoto.objects.filter(pk=pk).select_related("project__park").first()
    if found is None or not policy.can_read_park(request.user, found.project.park):
        raise Http404("照片不存在或无权访问")
    try:
        handle = found.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("照片文件不存在") from None
    kind = mimetypes.guess_type(found.image.name)[0] or "application/octet-stream"
    if not kind.startswith("image/"):
        kind = "application/octet-stream"
    response = FileResponse(handle, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@route_policy(read="authenticated")
def mine(request: HttpRequest) -> HttpResponse:
    """本企业项目: an enterprise user's own key projects, each with its newest 调度 and a link
    to report the next month. Staff read the park's list instead."""
    enterprise_id = getattr(request.user, "enterprise_id", None)
    if not policy.is_submit_only(request.user) or enterprise_id is None:
        return redirect("projects:index")
    rows = selectors.own_projects(enterprise_id=enterprise_id)
    return render(request, "projects/mine.html", {"rows": rows})


@route_policy(read="enterprise_own", write="submit_own")
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """An owner enterprise submits its own project's 调度 for a month: it lands 已提交 for the
    项目办 to review (DECISIONS.md, Access); a month already reviewed or locked is refused."""
    project = Project.objects.filter(pk=pk).select_related("park", "enterprise").first()
    owner = project.enterprise if project is not None else None
    if project is None or owner is None or not policy.can_read_enterprise(request.user, owner):
        raise Http404("项目不存在或无权访问")
    if not policy.can_submit_own(request.user, owner):
        raise PermissionDenied(
            "只有项目业主企业的企业用户可以报送本项目调度；项目办请在项目页“填报月度调度”"
        )
    text = (request.POST.get("period") or request.GET.get("period") or "").strip()
    try:
        period = parse_period(text) if text else selectors.next_period(project)
    except PeriodError:
        period = selectors.next_period(project)
    previous = (
        ProjectProgress.objects.filter(project=project, year=period.year, month__lt=period.month)
        .order_by("-month")
        .first()
    )
    error = ""
    if selectors.month_closed(project.park, period):
        error = f"{period.label}的项目调度已审核，不能再报送；如需更正请联系项目办"
    if request.method == "POST" and not error:
        try:
            amount = parse_amount(request.POST.get("month_investment", ""))
        except NumberError as exc:
            amount, error = None, str(exc)
        if amount is None and not error:
            error = "请填写本月完成投资（万元），没有完成请填 0"
        elif amount is not None and amount < 0:
            error = "本月完成投资不能为负数"
        if not error and amount is not None:
            services.progress_save_month(
                project=project,
                year=period.year,
                month=period.month,
                month_investment=amount.quantize(Decimal("0.0001")),
                image_progress=request.POST.get("image_progress", "").strip()[:2000],
                user=request.user,
                submit_only=True,
            )
            messages.success(request, f"已报送{project.name} {period.label}的调度，等待项目办审核")
            return redirect("projects:submit", pk=project.pk)
    return _entry_page(
        request,
        project,
        period,
        previous,
        None,
        error,
        status=422 if error and request.method == "POST" else 200,
        submitting=True,
    )
