"""Reports made by a background worker: the download a page asks for, rendered by a task.

A report takes a second or more to build (charts, Word; PDF adds LibreOffice, whose
conversions must not overlap — TRAPS.md), and a park's own template renders untrusted Jinja.
With a worker running (`yuanqu tasks worker`, beside `make demo`), `download` enqueues
`yuanqu.reports.tasks.report_render` and waits a moment (YUANQU_REPORT_WAIT_SECONDS) for it:
usually the file comes back in the same request; a slower one continues on the report's job
page, which polls and then offers the file. Without a worker (or with the "immediate"
backend) the request renders it itself, as before. Files are kept under
MEDIA_ROOT/report-jobs/ for YUANQU_REPORT_FILES_DAYS and then pruned (`yuanqu report-files`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from yuanqu.registry.models import Park
from yuanqu.reports.engine import Report, ReportError
from yuanqu.reports.models import ReportTemplate


@dataclass
class ReportFile:
    data: bytes
    fmt: str
    report: Report
    template: ReportTemplate | None = None


def report_file(*, park: Park, query: Mapping[str, str]) -> ReportFile:
    """Build the report `query` (the download link's parameters) asks for and render it: Word,
    PDF or HTML, or a park's own template (`template=<id>`). Raises the reports' Chinese errors
    (ReportError, PeriodError, TemplateCheckError, PdfUnavailable, PdfConversionError)."""
    from yuanqu.reports import drafts, services, user_templates
    from yuanqu.reports.models import ReportVersion
    from yuanqu.reports.views import build_report, params_from

    version_id = query.get("version") or ""
    notice = ""
    if version_id:
        # A saved version renders from what it stored; a 定稿 says what has changed since.
        version = ReportVersion.objects.filter(
            draft__park=park, pk=int(version_id) if version_id.isdecimal() else 0
        ).first()
        if version is None:
            raise ReportError("报告版本不存在：请在版本列表中重新选择")
        report = drafts.version_report(version)
        if version.final:
            notice = drafts.change_notice(drafts.version_changes(version))
    else:
        report = build_report(params_from(query, park), park)
    if query.get("summary") == "1":
        return ReportFile(services.summary_docx(report), "docx", report)
    template_id = query.get("template") or ""
    if template_id:
        tpl = ReportTemplate.objects.filter(
            park=park, pk=int(template_id) if template_id.isdecimal() else 0, kind=report.kind
        ).first()
        if tpl is None:
            raise ReportError("模板不存在或已被删除：请在模板列表中重新选择")
        with tpl.file.open("rb") as stream:
            return ReportFile(user_templates.render_template(stream, report), "docx", report, tpl)
    fmt = query.get("format", "docx")
    layout = query.get("layout") or "official"
    options = {
        "layout": layout,
        "sources": query.get("sources", "1") != "0",
        "charts": query.get("charts", "1") != "0",
        "notice": notice,
    }
    return ReportFile(services.render(report, fmt, **options), fmt, report)


def files_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "report-jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(result: ReportFile) -> str:
    """Keep a rendered report for its job page; returns the file's name under `files_dir()`."""
    name = f"{uuid.uuid4().hex}.{result.fmt}"
    (files_dir() / name).write_bytes(result.data)
    return name


def stored(name: str) -> bytes | None:
    """A kept report's bytes (None: pruned, or a name that is not one of ours)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = files_dir() / name
    return path.read_bytes() if path.is_file() else None


def prune_files(*, days: int) -> int:
    """Delete kept reports older than `days`; returns how many."""
    cutoff = (timezone.now() - timedelta(days=days)).timestamp()
    gone = 0
    for path in files_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def in_background() -> bool:
    """Whether downloads go to the worker: the database backend, and a worker beating."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    from yuanqu.jobs.services import workers_alive

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return isinstance(backend, DatabaseBackend) and bool(workers_alive())


def wait_seconds() -> float:
    return float(getattr(settings, "YUANQU_REPORT_WAIT_SECONDS", 15))


def enqueue_and_wait(*, user_id: int, park: Park, query: Mapping[str, str]) -> Any:
    """Enqueue the render and wait up to `wait_seconds()` for it; the task's result."""
    from yuanqu.reports.tasks import report_render

    # One value per parameter (a QueryDict would give lists), as the link had them.
    values = {key: str(value) for key, value in query.items()}
    result = report_render.enqueue(user_id=user_id, park=park.code, query=values)
    deadline = time.monotonic() + wait_seconds()
    while not result.is_finished and time.monotonic() < deadline:
        time.sleep(0.2)
        result.refresh()
    return result


def job_result(task_id: str, *, user: Any, park: Park) -> Any | None:
    """The render task `task_id` if it is this user's, for this park; otherwise None."""
    from django_tasks.exceptions import TaskResultDoesNotExist

    from yuanqu.reports.tasks import report_render

    try:
        uuid.UUID(task_id)
        result = report_render.get_result(task_id)
    except (ValueError, TaskResultDoesNotExist, Exception):
        return None
    kwargs = result.kwargs
    if kwargs.get("user_id") != user.pk or kwargs.get("park") != park.code:
        return None
    return result
