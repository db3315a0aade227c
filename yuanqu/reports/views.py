"""The reports page: choose park and period, preview the text (HTML), see the speech statistics,
download Word or PDF, upload a park's own Word template. Enterprise users and parks outside the
user's scope get 404, as everywhere else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.accounts.scopes import ScopeDenied, parks_for
from yuanqu.audit.services import audit_event, audit_request
from yuanqu.core import versions
from yuanqu.core.modules import report_kinds
from yuanqu.core.periods import Period, PeriodError, parse_period
from yuanqu.core.replica import reads_from_replica
from yuanqu.economy.selectors import latest_period
from yuanqu.registry.models import Park
from yuanqu.reports import drafts, jobs, services, user_templates
from yuanqu.reports.engine import (
    BASE_VARIABLES,
    Report,
    ReportError,
    catalogue,
    docx_variables,
)
from yuanqu.reports.engine import blocks_of as engine_blocks
from yuanqu.reports.models import ReportDraft, ReportTemplate, ReportVersion
from yuanqu.reports.pdf import PdfConversionError, PdfUnavailable, soffice_available


def _park(request: HttpRequest) -> Park:
    """The park asked for (GET/POST), else the session's current park, else the first one."""
    if not policy.reads_park_wide(request.user):
        raise Http404("企业用户不能查看园区报告")
    code = request.GET.get("park") or request.POST.get("park") or request.session.get("park")
    if code:
        try:
            return policy.park_readable(request.user, code)
        except ScopeDenied as exc:
            raise Http404(str(exc)) from exc
    park = next(
        (
            p
            for p in parks_for(request.user).order_by("code")
            if policy.can_read_park(request.user, p)
        ),
        None,
    )
    if park is None:
        raise Http404("没有可访问的园区")
    return park


@dataclass
class Params:
    kind: str
    year: int
    as_of: Period | None
    period: Period
    include_submitted: bool
    projection: str

    def query(self, park: Park) -> str:
        data = {"park": park.code, "kind": self.kind}
        if self.kind == "annual":
            data["year"] = str(self.year)
            if self.as_of:
                data["as_of"] = str(self.as_of)
            if self.projection != "seasonal":
                data["projection"] = self.projection
        else:
            data["period"] = str(self.period)
        if self.include_submitted:
            data["include_submitted"] = "1"
        return urlencode(data)


def _params(request: HttpRequest, park: Park) -> Params:
    return params_from(request.GET, park)


def params_from(get: Mapping[str, str], park: Park) -> Params:
    """The report a page or a download link asks for (its GET parameters), for `park`."""
    kind = get.get("kind", "annual")
    if kind not in report_kinds():
        raise ReportError(f"报告类型只能是：{'、'.join(report_kinds().values())}")
    include = get.get("include_submitted") == "1"
    latest = latest_period(park=park, include_submitted=include) or Period(2022, 12)
    period = parse_period(get["period"]) if get.get("period") else latest
    try:
        year = int(get.get("year") or latest.year)
    except ValueError as exc:
        raise ReportError(f"年度“{get.get('year')}”不是年份") from exc
    as_of = parse_period(get["as_of"]) if get.get("as_of") else None
    projection = get.get("projection", "seasonal")
    return Params(kind, year, as_of, period, include, projection)


def _build(params: Params, park: Park) -> Report:
    return build_report(params, park)


PREVIEW_SECONDS = 3600


def _preview(params: Params, park: Park) -> dict[str, Any]:
    """The report's HTML preview and speech statistics, cached under the data version
    (`core.versions`): a page view after no change reads them back; any committed write to the
    data makes the next view build the report again. The version is read first (see there)."""
    version = versions.current()
    # The day too: sections that count overdue items do so at today's date.
    key = f"reports:preview:{park.pk}:{version}:{timezone.localdate()}:{params.query(park)}"
    found = cache.get(key)
    if found is None:
        report = _build(params, park)
        found = {"html": services.to_html(report), "stats": services.speech_stats(report.text())}
        cache.set(key, found, PREVIEW_SECONDS)
    return found


def build_report(params: Params, park: Park) -> Report:
    if params.kind == "monthly":
        report = services.monthly_report(
            park=park, period=params.period, include_submitted=params.include_submitted
        )
    else:
        # The officials' text of the park-year's draft, if they wrote any (DECISIONS.md).
        draft = ReportDraft.objects.filter(park=park, kind="annual", year=params.year).first()
        report = services.annual_report(
            park=park,
            year=params.year,
            as_of=params.as_of,
            include_submitted=params.include_submitted,
            projection=params.projection,
            narrative=drafts.draft_blocks(draft) if draft else None,
        )
    return services.require_content(report)


@login_required
# The preview only reads: a replica may serve it (core.replica).
@reads_from_replica
# Park reports are park-wide figures; an enterprise user's own figures are 本企业.
@route_policy(read="park_wide", enterprise_to="mine:index")
def index(request: HttpRequest) -> HttpResponse:
    park = _park(request)
    context: dict[str, object] = {
        "park": park,
        "parks": parks_for(request.user).order_by("code"),
        "kinds": report_kinds(),
        "may_write_templates": policy.can_write(request.user, "reports", park),
        "template_writers": policy.writers_label("reports", park),
        "projections": services.PROJECTION_METHODS,
        "pdf_available": soffice_available(),
    }
    try:
        params = _params(request, park)
        context["params"] = params
        context["kind"] = params.kind
        preview = _preview(params, park)
    except (PeriodError, ReportError) as exc:
        context.setdefault("kind", request.GET.get("kind", "annual"))
        context["error"] = str(exc)
        preview = None
    kind = str(context["kind"])
    context["kind_label"] = report_kinds().get(kind, "")
    context["templates"] = ReportTemplate.objects.filter(park=park, kind=kind).select_related(
        "uploaded_by"
    )
    context["catalogue"] = _catalogue_rows(kind if kind in report_kinds() else "annual")
    if preview is not None:
        context["report"] = True
        context["preview"] = mark_safe(preview["html"])  # our template, escaped
        context["stats"] = preview["stats"]
        context["query"] = params.query(park)
    return render(request, "reports/index.html", context)


def _catalogue_rows(kind: str) -> list[tuple[str, str, str]]:
    """(section, variable, description) rows for the page's variable catalogue."""
    rows = [("通用", name, var.description) for name, var in BASE_VARIABLES.items()]
    rows += [("通用", "title", "报告标题"), ("通用", "subtitle", "副标题（数据期间说明）")]
    described = {name for _, name, _ in rows}
    for spec in catalogue(kind)["sections"]:
        rows.append((spec["title"], f"{spec['key']}_text", f"“{spec['title']}”一节的全文"))
        for name, var in spec["variables"].items():
            text = var.description
            if var.fields:
                text += "；字段：" + "，".join(f"{k}（{v}）" for k, v in var.fields.items())
            rows.append((spec["title"], name, text))
            described.add(name)
    for name, text in docx_variables(kind).items():
        if name not in described and not name.endswith("_text"):
            rows.append(("通用", name, text))
    return rows


def _file_response(data: bytes, fmt: str, title: str) -> HttpResponse:
    response = HttpResponse(data, content_type=services.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.{fmt}"
    return response


@login_required
@route_policy(read="park_wide")
def download(request: HttpRequest) -> HttpResponse:
    park = _park(request)
    fmt = request.GET.get("format", "docx")
    if fmt not in services.FORMATS:
        raise Http404("格式只能是 docx、pdf、html")
    template_id = request.GET.get("template")
    if template_id and not template_id.isdecimal():
        raise Http404("模板不存在")
    if template_id and not ReportTemplate.objects.filter(park=park, pk=template_id).exists():
        raise Http404("模板不存在")
    if jobs.in_background():
        return _download_by_worker(request, park)
    try:
        made = jobs.report_file(park=park, query=request.GET)
    except (PeriodError, ReportError, user_templates.TemplateCheckError) as exc:
        messages.error(request, str(exc))
        return redirect(f"/reports/?{request.GET.urlencode()}")
    except (PdfUnavailable, PdfConversionError) as exc:
        messages.error(request, f"{exc}。可先下载 Word 版本。")
        return redirect(f"/reports/?{request.GET.urlencode()}")
    _audit_download(request, made.report, made.fmt, template=made.template)
    return _file_response(made.data, made.fmt, made.report.title)


def _download_by_worker(request: HttpRequest, park: Park) -> HttpResponse:
    """The render goes to the worker (`yuanqu.reports.jobs`); the file comes back in this
    response when it is ready within YUANQU_REPORT_WAIT_SECONDS, else its job page follows."""
    result = jobs.enqueue_and_wait(user_id=request.user.pk, park=park, query=request.GET)
    if result.is_finished:
        return _job_file(request, park, result)
    return redirect(_job_url(park, result))


def _job_url(park: Park, result) -> str:
    return f"{reverse('reports:job')}?{urlencode({'park': park.code, 'id': result.id})}"


def _job_error(result) -> str | None:
    """Why a finished render has no file to give (None: it has one)."""
    value = result.return_value if result.status == "SUCCESSFUL" else None
    if not value or not value.get("file"):
        return (value or {}).get("error") or "报告生成失败（已记入服务器日志）：请重试或联系管理员"
    if jobs.stored(value["file"]) is None:
        return "报告文件已过期被清理：请重新生成"
    return None


def _job_file(request: HttpRequest, park: Park, result) -> HttpResponse:
    """A finished render: its file (the download, audited), or its error on the reports page."""
    error = _job_error(result)
    if error is not None:
        messages.error(request, error)
        query = {k: v for k, v in result.kwargs["query"].items() if k != "format"}
        return redirect(f"/reports/?{urlencode(query)}")
    value = result.return_value
    detail = {"kind": value["kind"], "title": value["title"], "format": value["format"]}
    if value.get("template"):
        detail["template"] = value["template"]
    audit_request(request, event="report_download", park=park, detail=detail)
    return _file_response(jobs.stored(value["file"]) or b"", value["format"], value["title"])


@login_required
@require_GET
@route_policy(read="park_wide")
def job(request: HttpRequest) -> HttpResponse:
    """A report being made by the worker: 生成中 (the page polls), then the file's link; only
    for the user who asked, in the park it is for."""
    park = _park(request)
    result = jobs.job_result(request.GET.get("id", ""), user=request.user, park=park)
    if result is None:
        messages.error(request, "报告任务不存在、已过期或不属于您：请重新生成")
        return redirect(f"/reports/?{urlencode({'park': park.code})}")
    if result.is_finished and request.htmx:
        return HttpResponseClientRefresh()  # the whole page: the link, or the error
    if result.is_finished and (request.GET.get("download") == "1" or _job_error(result)):
        return _job_file(request, park, result)
    context = {"park": park, "result": result, "url": _job_url(park, result)}
    if request.htmx:
        return render(request, "reports/_job.html", context)
    return render(request, "reports/job.html", context)


def _audit_download(
    request: HttpRequest, report: Report, fmt: str, template: ReportTemplate | None = None
) -> None:
    detail = {"kind": report.kind, "title": report.title, "format": fmt}
    if template is not None:
        detail["template"] = template.name
    audit_request(request, event="report_download", park=report.park, detail=detail)


def _require_template_write(request: HttpRequest, park: Park, action: str) -> None:
    """Report templates are written by the park's "reports" write area (党政办·督查室 in the
    demo) and administrators; everyone who reads the park still uses them (DECISIONS.md)."""
    try:
        policy.require_write(request.user, "reports", park, action)
    except policy.Denied as exc:
        raise PermissionDenied(str(exc)) from exc


@login_required
@require_POST
@route_policy(read="park_wide", write="reports")
def upload_template(request: HttpRequest) -> HttpResponse:
    park = _park(request)
    _require_template_write(request, park, "上传报告模板")
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", "annual")
    back = f"/reports/?park={quote(park.code)}&kind={quote(kind)}"
    if upload is None or kind not in report_kinds():
        messages.error(request, "请选择报告类型和要上传的 Word（.docx）模板文件")
        return redirect(back)
    if not upload.name.lower().endswith(".docx"):
        messages.error(request, f"“{upload.name}”不是 .docx 文件：请在 Word 中另存为 .docx 后上传")
        return redirect(back)
    try:
        used = user_templates.check_template(upload, kind)
    except user_templates.TemplateCheckError as exc:
        messages.error(request, f"模板“{upload.name}”未上传：{exc}")
        return redirect(back)
    upload.seek(0)
    tpl = ReportTemplate.objects.create(
        park=park,
        kind=kind,
        name=upload.name,
        file=upload,
        variables=used,
        uploaded_by=request.user,
    )
    audit_event(
        user=request.user,
        event="template_upload",
        target=tpl,
        park=park,
        detail={"kind": kind, "name": upload.name, "variables": used},
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    messages.success(request, f"模板“{upload.name}”已上传，使用变量：{'、'.join(used) or '（无）'}")
    return redirect(back)


@login_required
@require_POST
@route_policy(read="park_wide", write="reports")
def delete_template(request: HttpRequest, pk: int) -> HttpResponse:
    park = _park(request)
    tpl = ReportTemplate.objects.filter(park=park, pk=pk).first()
    if tpl is None:
        raise Http404("模板不存在")
    # 404 before 403: a template of a park the user cannot read is not confirmed to exist.
    _require_template_write(request, park, "删除报告模板")
    kind = tpl.kind
    # Logged before the delete, while the row still has its id; the entry keeps its text.
    audit_event(
        user=request.user,
        event="template_delete",
        target=tpl,
        park=park,
        detail={"kind": kind, "name": tpl.name},
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    tpl.file.delete(save=False)
    tpl.delete()
    messages.success(request, "模板已删除")
    return redirect(f"/reports/?park={quote(park.code)}&kind={quote(kind)}")


@login_required
@route_policy(read="park_wide")
def sample_template(request: HttpRequest) -> HttpResponse:
    _park(request)
    kind = request.GET.get("kind", "annual")
    if kind not in report_kinds():
        raise Http404("报告类型不存在")
    return _file_response(
        user_templates.sample_template(kind), "docx", f"{report_kinds()[kind]}模板示例"
    )


# ---------------------------------------------------------------------------------------------
# The year-end report's draft: narrative blocks, speech mode, versions, 定稿, comparison
# ---------------------------------------------------------------------------------------------


def _draft_year(request: HttpRequest, park: Park) -> int:
    text = (request.GET.get("year") or request.POST.get("year") or "").strip()
    if text.isdecimal() and 2000 <= int(text) <= 2100:
        return int(text)
    latest = latest_period(park=park)
    return latest.year if latest else timezone.localdate().year


def _target(request: HttpRequest) -> int | None:
    text = (request.GET.get("target") or "").strip()
    return int(text) if text.isdecimal() and 1 <= int(text) <= 600 else None


@login_required
@route_policy(read="park_wide", enterprise_to="mine:index")
def draft(request: HttpRequest) -> HttpResponse:
    """年度工作总结草稿: the texts officials write (kept when figures refresh), speech mode by
    section against a target length, the saved versions with 定稿 and comparison."""
    park = _park(request)
    year = _draft_year(request, park)
    the_draft = ReportDraft.objects.filter(park=park, kind="annual", year=year).first()
    edited = drafts.draft_blocks(the_draft) if the_draft else {}
    context: dict[str, Any] = {
        "park": park,
        "year": year,
        "may_edit": policy.can_edit_report(request.user, park),
        "editors": "党政办（报告模板与文字）或园区领导",
        "target": _target(request),
    }
    try:
        report = services.require_content(
            services.annual_report(park=park, year=year, narrative=edited)
        )
    except (PeriodError, ReportError) as exc:
        context["error"] = str(exc)
        return render(request, "reports/draft.html", context)
    context["plan"] = services.speech_plan(report, target_minutes=context["target"])
    context["blocks"] = [
        {
            "key": b.key,
            "label": b.label,
            "text": edited.get(b.key, b.default),
            "edited": b.key in edited,
            "multiline": b.multiline,
        }
        for b in engine_blocks("annual")
    ]
    versions = list(
        the_draft.versions.select_related("created_by", "finalised_by") if the_draft else []
    )
    for v in versions:
        v.notice = drafts.change_notice(drafts.version_changes(v)) if v.final else ""
    context["versions"] = versions
    return render(request, "reports/draft.html", context)


def _draft_for_write(request: HttpRequest) -> ReportDraft:
    park = _park(request)
    if not policy.can_edit_report(request.user, park):
        raise PermissionDenied(
            "无权修改报告文字：只有党政办（报告模板与文字）或园区领导可以修改；其他人只能查看"
        )
    return drafts.draft_get(park=park, year=_draft_year(request, park))


def _back(the_draft: ReportDraft, anchor: str = "") -> HttpResponse:
    query = urlencode({"park": the_draft.park.code, "year": the_draft.year})
    return redirect(f"{reverse('reports:draft')}?{query}{anchor}")


@login_required
@require_POST
@route_policy(read="park_wide", write="report_text")
def draft_block(request: HttpRequest) -> HttpResponse:
    """Save one text of the draft (an empty narrative block leaves its section out)."""
    the_draft = _draft_for_write(request)
    key = request.POST.get("key", "")
    try:
        drafts.block_save(
            draft=the_draft, key=key, text=request.POST.get("text", ""), user=request.user
        )
    except ReportError as exc:
        messages.error(request, str(exc))
        return _back(the_draft)
    audit_request(request, event="report_text", park=the_draft.park, detail={"key": key})
    messages.success(request, "已保存。报告中的数字仍随数据更新，这段文字保持不变。")
    return _back(the_draft, "#block-" + key.replace(":", "-"))


@login_required
@require_POST
@route_policy(read="park_wide", write="report_text")
def draft_save(request: HttpRequest) -> HttpResponse:
    """Save the draft as it reads now as a new version (optionally the 定稿)."""
    the_draft = _draft_for_write(request)
    final = request.POST.get("final") == "1"
    try:
        version = drafts.version_save(
            draft=the_draft, user=request.user, note=request.POST.get("note", ""), final=final
        )
    except ReportError as exc:
        messages.error(request, str(exc))
        return _back(the_draft)
    audit_request(
        request,
        event="report_version",
        park=the_draft.park,
        detail={"year": the_draft.year, "number": version.number, "final": final},
    )
    messages.success(request, f"已保存第{version.number}版{'（定稿）' if final else ''}")
    return _back(the_draft, "#versions")


def _version(request: HttpRequest, pk: int) -> ReportVersion:
    park = _park(request)
    found = ReportVersion.objects.filter(pk=pk, draft__park=park).select_related("draft").first()
    if found is None:
        raise Http404("报告版本不存在")
    return found


@login_required
@require_POST
@route_policy(read="park_wide", write="report_text")
def version_final(request: HttpRequest, pk: int) -> HttpResponse:
    """定稿: freeze a saved version."""
    version = _version(request, pk)
    if not policy.can_edit_report(request.user, version.draft.park):
        raise PermissionDenied("无权定稿：只有党政办（报告模板与文字）或园区领导可以定稿")
    drafts.version_finalise(version=version, user=request.user)
    audit_request(
        request,
        event="report_final",
        park=version.draft.park,
        detail={"year": version.draft.year, "number": version.number},
    )
    messages.success(request, f"第{version.number}版已定稿")
    return _back(version.draft, "#versions")


@login_required
@require_GET
@route_policy(read="park_wide")
def version_compare(request: HttpRequest) -> HttpResponse:
    """Two versions side by side: the sentences that changed."""
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if not (a.isdecimal() and b.isdecimal()):
        raise Http404("请选择两个版本")
    older, newer = sorted(
        (_version(request, int(a)), _version(request, int(b))), key=lambda v: v.number
    )
    if older.draft_id != newer.draft_id:
        raise Http404("只能比较同一份报告的两个版本")
    lines = drafts.version_diff(older, newer)
    context = {
        "park": older.draft.park,
        "year": older.draft.year,
        "older": older,
        "newer": newer,
        "lines": [x for x in lines if x.op != "same"],
        "same": sum(1 for x in lines if x.op == "same"),
    }
    return render(request, "reports/compare.html", context)
