"""企业诉求 pages: the staff request desk (filters, pagination, the year's figures), one request
with its history and the 营商办's actions, the benefits ledger, and the enterprise's own page
(its requests with replies, submitting and rating, its benefits).

Views parse the request, ask `accounts.policy` and call selectors and services; the figures are
those of the API and `yuanqu service` (the same presenters).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yuanqu.accounts import policy
from yuanqu.accounts.models import Role
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, parks_for
from yuanqu.registry.models import Department, Enterprise, Park
from yuanqu.service_requests import presenters, selectors, services
from yuanqu.service_requests.clock import today
from yuanqu.service_requests.models import (
    OPEN_STATUSES,
    BenefitPayment,
    RequestCategory,
    RequestStatus,
    ServiceRequest,
)

PAGE_SIZE = 50
AREA = "service"


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


def _denied(request: HttpRequest) -> HttpResponse:
    return render(
        request, "dashboard/denied.html", {"code": request.GET.get("park", "")}, status=404
    )


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", "") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _date(text: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else default
    except ValueError:
        return default


@route_policy(read="park_wide", enterprise_to="mine:index")
def desk(request: HttpRequest) -> HttpResponse:
    """诉求受理台: every request of the park with filters and the year's figures."""
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    at = today()
    year = _year(request, at.year)
    f = {k: request.GET.get(k, "").strip() for k in ("status", "category", "department", "q")}
    f["overdue"] = "1" if request.GET.get("overdue") == "1" else ""
    qs = ServiceRequest.objects.filter(park=park, received_on__year=year).select_related(
        "enterprise", "category", "department"
    )
    if f["status"] in RequestStatus.values:
        qs = qs.filter(status=f["status"])
    if f["category"]:
        qs = qs.filter(category__code=f["category"])
    if f["department"]:
        qs = qs.filter(department__code=f["department"])
    if f["q"]:
        qs = qs.filter(title__icontains=f["q"]) | qs.filter(enterprise__name__icontains=f["q"])
    if f["overdue"]:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=at)
    page = Paginator(qs.order_by("-received_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    start, end = selectors.year_bounds(year)
    metrics = selectors.request_metrics(park=park, start=start, end=min(end, max(at, start)))
    ctx: dict[str, Any] = {
        "park": park,
        "year": year,
        "at": at,
        "page": page,
        "rows": [presenters.request_json(r, at=at) for r in page.object_list],
        "f": f,
        "total": presenters.stats_json(metrics.total),
        "by_category": [presenters.stats_json(s) for s in metrics.by_category],
        "by_department": [presenters.stats_json(s) for s in metrics.by_department],
        "overdue": [presenters.request_json(r, at=at) for r in metrics.overdue],
        "status_choices": RequestStatus.choices,
        "categories": RequestCategory.objects.all(),
        "departments": Department.objects.filter(park=park).order_by("code"),
        "enterprises": Enterprise.objects.filter(park=park).order_by("name")[:500],
        "can_write": policy.can_write(request.user, AREA, park),
        "qs": urlencode({k: v for k, v in {**f, "park": park.code, "year": year}.items() if v}),
    }
    return render(request, "service_requests/desk.html", ctx)


def _request(request: HttpRequest, pk: int) -> ServiceRequest:
    found = selectors.request_for(user=request.user, pk=pk)
    if found is None:
        raise Http404("诉求不存在或无权访问")
    return found


def _may_handle(request: HttpRequest, r: ServiceRequest) -> bool:
    """The 营商办 handles every request; the department it is assigned to replies to it
    (DECISIONS.md, object-level writes)."""
    if policy.can_write(request.user, AREA, r.park):
        return True
    user = request.user
    return bool(
        r.department_id
        and getattr(user, "role", None) == Role.DEPARTMENT
        and user.park_id == r.park_id
        and user.departments.filter(pk=r.department_id).exists()
    )


@route_policy(read="park_wide_or_own")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: content, due date, status and the whole history (replies, changes)."""
    r = _request(request, pk)
    events = list(r.events.select_related("user").order_by("on", "id"))
    own = policy.can_submit_own(request.user, r.enterprise)
    return render(
        request,
        "service_requests/detail.html",
        {
            "r": r,
            "row": presenters.request_json(r, at=today()),
            "events": events,
            "own": own,
            "staff": policy.can_read_park(request.user, r.park),
            "can_write": policy.can_write(request.user, AREA, r.park),
            "can_handle": _may_handle(request, r),
            "departments": Department.objects.filter(park=r.park).order_by("code"),
            "today": today(),
        },
    )


@route_policy(read="park_wide", write=AREA)
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """The 营商办's actions on a request: accept, assign, reply, close, return. A reply or
    closing is also open to the department the request is assigned to."""
    r = _request(request, pk)
    if not policy.can_read_park(request.user, r.park):
        raise Http404("诉求不存在或无权访问")
    action = request.POST.get("action", "")
    if action in ("reply", "close") and _may_handle(request, r):
        pass
    else:
        try:
            policy.require_write(request.user, AREA, r.park, "办理企业诉求")
        except policy.Denied as exc:
            raise PermissionDenied(str(exc)) from exc
    on = _date(request.POST.get("on", ""), today())
    text = request.POST.get("text", "").strip()
    try:
        if action == "accept":
            services.request_accept(request=r, on=on, user=request.user)
        elif action == "assign":
            dept = Department.objects.filter(
                park=r.park, code=request.POST.get("department", "")
            ).first()
            services.request_assign(
                request=r,
                department=dept,
                handler=request.POST.get("handler", "").strip()[:64],
                on=on,
                user=request.user,
            )
        elif action in ("reply", "close"):
            services.request_reply(
                request=r, text=text, on=on, close=action == "close", user=request.user
            )
        elif action == "return":
            services.request_return(request=r, reason=text, on=on, user=request.user)
        else:
            raise services.ServiceError("未知的操作")
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("service_requests:detail", pk=r.pk)
    messages.success(request, "已保存")
    return redirect("service_requests:detail", pk=r.pk)


@route_policy(read="park_wide", write=AREA)
@require_POST
def record(request: HttpRequest) -> HttpResponse:
    """The 营商办 records a request received by phone or at the window (已受理 at once)."""
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    try:
        policy.require_write(request.user, AREA, park, "登记企业诉求")
    except policy.Denied as exc:
        raise PermissionDenied(str(exc)) from exc
    enterprise = Enterprise.objects.filter(
        park=park, credit_code=request.POST.get("credit_code", "").strip()
    ).first()
    category = RequestCategory.objects.filter(code=request.POST.get("category", "")).first()
    if enterprise is None or category is None:
        messages.error(request, "请选择本园区的企业和诉求类别")
        return redirect(reverse_desk(park))
    try:
        r = services.request_create(
            park=park,
            enterprise=enterprise,
            category=category,
            title=request.POST.get("title", "")[:200],
            content=request.POST.get("content", ""),
            received_on=_date(request.POST.get("received_on", ""), today()),
            department=Department.objects.filter(
                park=park, code=request.POST.get("department", "")
            ).first(),
            user=request.user,
        )
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(reverse_desk(park))
    messages.success(request, f"已登记诉求 {r.code}，办理时限{r.due_on:%Y-%m-%d}")
    return redirect("service_requests:detail", pk=r.pk)


def reverse_desk(park: Park) -> str:
    from django.urls import reverse

    return reverse("service_requests:desk") + f"?park={park.code}"


@route_policy(read="park_wide", enterprise_to="mine:index")
def benefits(request: HttpRequest) -> HttpResponse:
    """惠企政策兑现台账: the year's payments, by policy and kind, and the ledger (万元)."""
    try:
        park = _park(request)
    except ScopeDenied:
        return _denied(request)
    year = _year(request, today().year)
    start, end = selectors.year_bounds(year)
    m = selectors.benefit_metrics(park=park, start=start, end=end)
    rows = (
        BenefitPayment.objects.filter(park=park, paid_on__gte=start, paid_on__lte=end)
        .select_related("policy", "enterprise")
        .order_by("-paid_on", "id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "service_requests/benefits.html",
        {
            "park": park,
            "year": year,
            "total": presenters.benefit_group_json(m.total),
            "by_policy": [presenters.benefit_group_json(g) for g in m.by_policy],
            "by_kind": [presenters.benefit_group_json(g) for g in m.by_kind],
            "page": page,
        },
    )


@route_policy(read="authenticated")
def mine(request: HttpRequest) -> HttpResponse:
    """The navigation's entry: an enterprise user's own page; staff go to the desk."""
    user = request.user
    if getattr(user, "role", None) == Role.ENTERPRISE and user.enterprise_id:
        return redirect("service_requests:own", credit_code=user.enterprise.credit_code)
    if getattr(user, "role", None) == Role.ENTERPRISE:
        raise Http404("账号未绑定企业")
    return redirect("service_requests:desk")


@route_policy(read="enterprise_own", write="submit_own")
def own(request: HttpRequest, credit_code: str) -> HttpResponse:
    """An enterprise's own requests (replies, rating) and benefits; it submits new requests
    here. Only that enterprise's users: its own rows, nothing park-wide."""
    enterprise = Enterprise.objects.filter(credit_code=credit_code).select_related("park").first()
    if enterprise is None or not policy.can_read_enterprise(request.user, enterprise):
        raise Http404("企业不存在或无权访问")
    if not policy.can_submit_own(request.user, enterprise):
        raise PermissionDenied("此页面只供本企业的企业用户使用；园区工作人员请使用“企业诉求”受理台")
    status = 200
    if request.method == "POST":
        status = _own_post(request, enterprise)
        if status == 302:
            return redirect("service_requests:own", credit_code=credit_code)
    at = today()
    reqs = (
        ServiceRequest.objects.filter(enterprise=enterprise)
        .select_related("category", "department")
        .prefetch_related("events")
        .order_by("-received_on", "-id")
    )
    pays = (
        BenefitPayment.objects.filter(enterprise=enterprise)
        .select_related("policy")
        .order_by("-paid_on", "id")
    )
    total = sum((p.amount for p in pays), Decimal(0))
    return render(
        request,
        "service_requests/own.html",
        {
            "enterprise": enterprise,
            "requests": [
                {
                    **presenters.request_json(r, at=at),
                    "replies": [e for e in r.events.all() if e.kind == "reply"],
                    "can_rate": r.status == RequestStatus.CLOSED,
                }
                for r in reqs
            ],
            "benefits": pays,
            "benefit_total": presenters.wan(total),
            "categories": RequestCategory.objects.all(),
        },
        status=status,
    )


def _own_post(request: HttpRequest, enterprise: Enterprise) -> int:
    action = request.POST.get("action", "")
    try:
        if action == "rate":
            try:
                pk = int(request.POST.get("request", "0"))
                score = int(request.POST.get("satisfaction", "0"))
            except ValueError as exc:
                raise services.ServiceError("请选择 1 到 5 分的满意度") from exc
            r = ServiceRequest.objects.filter(pk=pk, enterprise=enterprise).first()
            if r is None:
                raise services.ServiceError("诉求不存在")
            services.request_rate(
                request=r,
                satisfaction=score,
                comment=request.POST.get("comment", "").strip()[:500],
                on=today(),
                user=request.user,
            )
            messages.success(request, "感谢您的评价")
            return 302
        category = RequestCategory.objects.filter(code=request.POST.get("category", "")).first()
        if category is None:
            raise services.ServiceError("请选择诉求类别")
        upload = request.FILES.get("attachment")
        r = services.request_create(
            park=enterprise.park,
            enterprise=enterprise,
            category=category,
            title=request.POST.get("title", "")[:200],
            content=request.POST.get("content", "")[:5000],
            received_on=today(),
            user=request.user,
            submitted=True,
            attachment=upload,
        )
        messages.success(request, f"诉求已提交（{r.code}），营商办受理后开始办理")
        return 302
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return 422


@route_policy(read="park_wide_or_own")
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A request's attachment, served through the access policy (never a public /media/)."""
    from django.http import FileResponse

    r = _request(request, pk)
    if not r.attachment:
        raise Http404("没有附件")
    try:
        handle = r.attachment.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("附件文件不存在") from None
    response = FileResponse(
        handle, as_attachment=True, filename=r.attachment.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def enterprise_panel(enterprise: Enterprise, user: Any) -> dict[str, Any] | None:
    """The enterprise page's (一企一档) 企业诉求与惠企政策 panel: its latest requests with their
    status and its benefits by year; None when it has neither. Asked only for a reader of the
    enterprise (staff of its park, or its own users)."""
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractYear

    from yuanqu.service_requests.models import BenefitPayment

    requests = list(
        ServiceRequest.objects.filter(enterprise=enterprise)
        .select_related("category", "department")
        .order_by("-received_on", "-id")[:10]
    )
    benefits = list(
        BenefitPayment.objects.filter(enterprise=enterprise)
        .annotate(year=ExtractYear("paid_on"))
        .values("year")
        .annotate(amount=Sum("amount"), count=Count("id"))
        .order_by("-year")
    )
    if not requests and not benefits:
        return None
    return {
        "requests": requests,
        "benefits": benefits,
        "staff": policy.reads_park_wide(user),
    }
