from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from yuanqu.accounts.scopes import ScopeDenied, can_read_park_wide, park_for, parks_for
from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.economy.selectors import latest_period
from yuanqu.reports import services, user_templates
from yuanqu.reports.models import ReportTemplate

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def _park(request: HttpRequest):
    if not can_read_park_wide(request.user):
        raise Http404("无权查看园区报告")
    code = request.GET.get("park") or request.POST.get("park") or request.session.get("park")
    try:
        if code:
            return park_for(request.user, code)
    except ScopeDenied as exc:
        raise Http404(str(exc)) from exc
    park = parks_for(request.user).order_by("code").first()
    if park is None:
        raise Http404("没有可访问的园区")
    return park


def _report(request: HttpRequest, park):
    kind = request.GET.get("kind", "annual")
    include = request.GET.get("include_submitted") == "1"
    latest = latest_period(park=park) or Period(2022, 12)
    if kind == "monthly":
        period = parse_period(request.GET.get("period") or str(latest))
        return services.monthly_report(park=park, period=period, include_submitted=include)
    year = int(request.GET.get("year") or latest.year)
    as_of = parse_period(request.GET["as_of"]) if request.GET.get("as_of") else None
    return services.annual_report(park=park, year=year, as_of=as_of, include_submitted=include)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    park = _park(request)
    context = {
        "park": park,
        "parks": parks_for(request.user).order_by("code"),
        "params": request.GET,
        "templates": ReportTemplate.objects.filter(park=park),
    }
    try:
        report = _report(request, park)
    except (PeriodError, ValueError) as exc:
        messages.error(request, str(exc))
        report = None
    if report is not None:
        context["report"] = report
        context["preview"] = mark_safe(services.to_html(report))
        context["stats"] = services.speech_stats(report.text())
        context["query"] = request.GET.urlencode()
    return render(request, "reports/index.html", context)


@login_required
def download(request: HttpRequest) -> HttpResponse:
    park = _park(request)
    fmt = request.GET.get("format", "docx")
    try:
        report = _report(request, park)
        if not report.sections:
            raise ValueError("该期间没有可用（已审核）数据")
        template_id = request.GET.get("template")
        if template_id:
            tpl = ReportTemplate.objects.filter(park=park, pk=template_id, kind=report.kind).first()
            if tpl is None:
                raise Http404("模板不存在")
            data, fmt = user_templates.render_template(tpl.file.path, report), "docx"
        else:
            data = services.render(report, fmt)
    except (PeriodError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("reports:index")
    except Exception as exc:
        from yuanqu.reports.pdf import PdfConversionError, PdfUnavailable

        if isinstance(exc, PdfUnavailable | PdfConversionError):
            messages.error(request, str(exc))
            return redirect(f"/reports/?{request.GET.urlencode()}")
        raise
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.title)}.{fmt}"
    return response


@login_required
@require_POST
def upload_template(request: HttpRequest) -> HttpResponse:
    park = _park(request)
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", "annual")
    if upload is None or kind not in ReportTemplate.Kind.values:
        messages.error(request, "请选择 .docx 模板文件和报告类型")
        return redirect("reports:index")
    try:
        used = user_templates.check_template(upload, kind)
    except user_templates.TemplateError as exc:
        messages.error(request, str(exc))
        return redirect(f"/reports/?park={park.code}&kind={kind}")
    upload.seek(0)
    ReportTemplate.objects.create(
        park=park,
        kind=kind,
        name=upload.name,
        file=upload,
        variables=used,
        uploaded_by=request.user,
    )
    messages.success(request, f"模板“{upload.name}”已上传，使用变量：{'、'.join(used) or '无'}")
    return redirect(f"/reports/?park={park.code}&kind={kind}")
