"""Reports through the API: the text by section, the figures with their sources, speech stats,
and the .docx/.pdf files — for parks the user may read."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from yuanqu.accounts.scopes import ScopeDenied, can_read_park_wide, park_for
from yuanqu.core.periods import PeriodError, parse_period
from yuanqu.reports import services
from yuanqu.reports.engine import Report

router = Router(tags=["报告"])


def _park(request: HttpRequest, code: str):
    if not can_read_park_wide(request.user):
        raise ScopeDenied("企业用户不能查看园区报告")
    return park_for(request.user, code)


def _json(report: Report) -> dict[str, Any]:
    stats = services.speech_stats(report.text())
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "period": str(report.period),
        "sections": [
            {
                "heading": heading,
                "level": level,
                "key": s.key if s else None,
                "paragraphs": s.paragraphs if s else [],
            }
            for heading, level, s in services.numbered(report)
        ],
        "omitted": report.omitted,
        "figures": [f.__dict__ for f in report.figures],
        "stats": stats.__dict__,
    }


def _annual(request: HttpRequest, park: str, year: int, as_of: str) -> Report:
    try:
        return services.annual_report(
            park=_park(request, park), year=year, as_of=parse_period(as_of) if as_of else None
        )
    except (PeriodError, ValueError) as exc:
        raise HttpError(422, str(exc)) from exc


def _monthly(request: HttpRequest, park: str, period: str) -> Report:
    try:
        return services.monthly_report(park=_park(request, park), period=parse_period(period))
    except (PeriodError, ValueError) as exc:
        raise HttpError(422, str(exc)) from exc


def _file(report: Report, fmt: str) -> HttpResponse:
    from yuanqu.reports.pdf import PdfConversionError, PdfUnavailable
    from yuanqu.reports.views import CONTENT_TYPES

    try:
        data = services.render(report, fmt)
    except (PdfUnavailable, PdfConversionError) as exc:
        raise HttpError(503, str(exc)) from exc
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.title)}.{fmt}"
    return response


@router.get("/annual", summary="年度工作总结（JSON：分节文本、数据来源、字数）")
def annual(request: HttpRequest, park: str, year: int, as_of: str = "") -> dict[str, Any]:
    return _json(_annual(request, park, year, as_of))


@router.get("/annual.{fmt}", summary="年度工作总结文件（docx/pdf/html）")
def annual_file(
    request: HttpRequest, fmt: str, park: str, year: int, as_of: str = ""
) -> HttpResponse:
    if fmt not in {"docx", "pdf", "html"}:
        raise HttpError(404, "格式只能是 docx、pdf、html")
    return _file(_annual(request, park, year, as_of), fmt)


@router.get("/monthly", summary="月度经济运行分析（JSON）")
def monthly(request: HttpRequest, park: str, period: str) -> dict[str, Any]:
    return _json(_monthly(request, park, period))


@router.get("/monthly.{fmt}", summary="月度经济运行分析文件（docx/pdf/html）")
def monthly_file(request: HttpRequest, fmt: str, park: str, period: str) -> HttpResponse:
    if fmt not in {"docx", "pdf", "html"}:
        raise HttpError(404, "格式只能是 docx、pdf、html")
    return _file(_monthly(request, park, period), fmt)
