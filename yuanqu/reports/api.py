"""Reports through the API (`/api/v1/reports/…`): the text by section, every figure with its
source, speech statistics, the files, and the variable catalogue — for parks the user may read
(enterprise users and parks outside the scope: 404)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from yuanqu.accounts import policy
from yuanqu.accounts.policy import route_policy
from yuanqu.audit.services import audit_request
from yuanqu.core.modules import report_kinds
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.registry.models import Park
from yuanqu.reports import services
from yuanqu.reports.engine import Report, ReportError, catalogue, docx_variables
from yuanqu.reports.pdf import PdfConversionError, PdfUnavailable

router = Router(tags=["报告"])


def _park(request: HttpRequest, code: str) -> Park:
    """A park whose park-wide figures the reader may read (the policy), else 404."""
    return policy.park_readable(request.user, code)


def report_json(report: Report) -> dict[str, Any]:
    stats = services.speech_stats(report.text())
    return {
        "kind": report.kind,
        "title": report.title,
        "subtitle": report.subtitle,
        "park": report.park.code,
        "period": str(report.period),
        "year": report.year,
        "estimated": report.estimated,
        "include_submitted": report.include_submitted,
        "sections": [
            {
                "heading": h.text,
                "level": h.level,
                "key": h.section.key if h.section else None,
                "paragraphs": h.section.paragraphs if h.section else [],
                "figures": [f.__dict__ for f in h.section.figures] if h.section else [],
                "tables": [
                    {"caption": t.caption, "headers": t.headers, "rows": t.rows}
                    for t in (h.section.tables if h.section else [])
                ],
            }
            for h in report.headings()
        ],
        "omitted": report.omitted,
        "figures": [f.__dict__ for f in report.figures],
        "stats": stats.__dict__,
    }


def _annual(
    request: HttpRequest, park: str, year: int, as_of: str, include_submitted: bool, projection: str
) -> Report:
    try:
        report = services.annual_report(
            park=_park(request, park),
            year=year,
            as_of=parse_period(as_of) if as_of else None,
            include_submitted=include_submitted,
            projection=projection,
        )
        return services.require_content(report)
    except (PeriodError, ReportError) as exc:
        raise HttpError(422, str(exc)) from exc


def _monthly(request: HttpRequest, park: str, period: str, include_submitted: bool) -> Report:
    try:
        report = services.monthly_report(
            park=_park(request, park),
            period=parse_period(period),
            include_submitted=include_submitted,
        )
        return services.require_content(report)
    except (PeriodError, ReportError) as exc:
        raise HttpError(422, str(exc)) from exc


def _file(report: Report, fmt: str, request: HttpRequest | None = None) -> HttpResponse:
    if fmt not in services.FORMATS:
        raise HttpError(404, "格式只能是 docx、pdf、html")
    try:
        data = services.render(report, fmt)
    except PdfUnavailable as exc:
        raise HttpError(503, str(exc)) from exc
    except PdfConversionError as exc:
        raise HttpError(500, str(exc)) from exc
    if request is not None:
        detail = {"kind": report.kind, "title": report.title, "format": fmt}
        audit_request(request, event="report_download", park=report.park, detail=detail)
    response = HttpResponse(data, content_type=services.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.title)}.{fmt}"
    return response


@router.get("/annual", summary="年度工作总结（JSON：分节文字、数字及其来源、字数与时长）")
@route_policy(read="park_wide")
def annual(
    request: HttpRequest,
    park: str,
    year: int,
    as_of: str = "",
    include_submitted: bool = False,
    projection: str = "seasonal",
) -> dict[str, Any]:
    return report_json(_annual(request, park, year, as_of, include_submitted, projection))


@router.get("/annual.{fmt}", summary="年度工作总结文件（docx / pdf / html）")
@route_policy(read="park_wide")
def annual_file(
    request: HttpRequest,
    fmt: str,
    park: str,
    year: int,
    as_of: str = "",
    include_submitted: bool = False,
    projection: str = "seasonal",
) -> HttpResponse:
    if fmt not in services.FORMATS:
        raise HttpError(404, "格式只能是 docx、pdf、html")
    return _file(_annual(request, park, year, as_of, include_submitted, projection), fmt, request)


@router.get("/monthly", summary="月度经济运行分析（JSON）")
@route_policy(read="park_wide")
def monthly(
    request: HttpRequest, park: str, period: str, include_submitted: bool = False
) -> dict[str, Any]:
    return report_json(_monthly(request, park, period, include_submitted))


@router.get("/monthly.{fmt}", summary="月度经济运行分析文件（docx / pdf / html）")
@route_policy(read="park_wide")
def monthly_file(
    request: HttpRequest, fmt: str, park: str, period: str, include_submitted: bool = False
) -> HttpResponse:
    if fmt not in services.FORMATS:
        raise HttpError(404, "格式只能是 docx、pdf、html")
    return _file(_monthly(request, park, period, include_submitted), fmt, request)


@router.get("/catalogue", summary="报告变量目录（各节模板与上传的 Word 模板可用的变量）")
@route_policy(read="authenticated")
def variable_catalogue(request: HttpRequest, kind: str = "annual") -> dict[str, Any]:
    if kind not in report_kinds():
        raise HttpError(404, f"报告类型只能是 {'、'.join(report_kinds())}")
    data = catalogue(kind)

    def var(v: Any) -> dict[str, Any]:
        return {"description": v.description, "kind": v.kind, "fields": dict(v.fields)}

    return {
        "kind": kind,
        "base": {k: var(v) for k, v in data["base"].items()},
        "sections": [
            {
                "key": s["key"],
                "title": s["title"],
                "template": s["template"],
                "variables": {k: var(v) for k, v in s["variables"].items()},
            }
            for s in data["sections"]
        ],
        "docx": docx_variables(kind),
    }
