"""Helpers shared by tests: requirement checks and logins."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("YUANQU_REQUIRE_ALL") == "1"
ROOT = Path(__file__).resolve().parent.parent


def require(condition: bool, reason: str) -> None:
    """Skip (laptop) or fail (CI with YUANQU_REQUIRE_ALL=1) when a requirement is missing."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"YUANQU_REQUIRE_ALL=1 but {reason}")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed")
    return path or ""


def realdata_dir() -> Path | None:
    env = os.environ.get("YUANQU_REALDATA")
    candidates = [Path(env)] if env else []
    candidates += [p / "shared" / "realdata" for p in ROOT.parents]
    for c in candidates:
        if c.is_dir():
            return c
    return None


def login_client(client, username: str, password: str = "demo2022"):
    from django.test import RequestFactory

    # django-axes' backend needs the request (it counts failures by username+IP); the test
    # client's login() passes none of its own.
    request = RequestFactory().post("/accounts/login/")
    ok = client.login(request=request, username=username, password=password)
    assert ok, f"login failed for {username}"
    return client


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert a file with LibreOffice (a real spreadsheet program), in its own profile."""
    import subprocess
    import uuid

    soffice = require_tool("soffice")
    profile = Path("/tmp") / f"lo_test_{uuid.uuid4().hex}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice did not write {out}"
    return out


def watched_page(browser):
    """A desktop-sized Chinese page, with every URL it requests and every script error or
    console error it shows collected: (page, requests, errors)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, requests, errors
