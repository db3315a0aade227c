"""The report task: one download rendered by a worker (`yuanqu.reports.jobs`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def report_render(*, user_id: int, park: str, query: dict[str, str]) -> dict[str, Any]:
    """Render the report `query` asks for, for `user_id` in `park`, and keep the file.

    Idempotent: run again it renders again, into a new file. The user's access is asked
    again here (a user who lost the park meanwhile gets nothing). A report the page would
    refuse with a message comes back as {"error": message}."""
    from yuanqu.accounts.models import User
    from yuanqu.accounts.policy import park_readable
    from yuanqu.accounts.scopes import ScopeDenied
    from yuanqu.core.periods import PeriodError
    from yuanqu.reports import jobs, user_templates
    from yuanqu.reports.engine import ReportError
    from yuanqu.reports.pdf import PdfConversionError, PdfUnavailable

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return {"error": "用户不存在或已停用"}
    try:
        readable = park_readable(user, park)
    except ScopeDenied:
        return {"error": "无权查看该园区的报告"}
    try:
        result = jobs.report_file(park=readable, query=query)
    except (PeriodError, ReportError, user_templates.TemplateCheckError) as exc:
        return {"error": str(exc)}
    except (PdfUnavailable, PdfConversionError) as exc:
        return {"error": f"{exc}。可先下载 Word 版本。"}
    return {
        "file": jobs.store(result),
        "format": result.fmt,
        "title": result.report.title,
        "kind": result.report.kind,
        "template": result.template.name if result.template else "",
    }
