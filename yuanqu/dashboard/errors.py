"""The site's 403 / 404 / 500 pages: Chinese, inside the site layout.

403 and 404 show the exception's message when it is ours (Chinese: it names who may do it, or
says what does not exist); Django's English defaults are replaced by a Chinese sentence. The
500 page is rendered without the request, so no context processor (and no database query)
runs while the site is already failing.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

CJK = re.compile(r"[\u4e00-\u9fff]")


def _message(exception: Exception | None, default: str) -> str:
    text = ""
    if exception is not None and exception.args:
        first = exception.args[0]
        text = first if isinstance(first, str) else ""
    return text if CJK.search(text) else default


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _message(exception, "您没有权限进行此操作。")
    html = loader.render_to_string("403.html", {"message": message}, request)
    return HttpResponse(html, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _message(exception, "您访问的页面不存在，或您无权查看。")
    html = loader.render_to_string(
        "404.html", {"message": message, "request_path": request.path}, request
    )
    return HttpResponse(html, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        html = loader.get_template("500.html").render()
    except Exception:  # the layout itself failed: still answer in Chinese
        html = "<!doctype html><meta charset=utf-8><title>服务器错误</title><h1>服务器出错了</h1>"
    return HttpResponseServerError(html)
