"""PDF from the Word reports through headless LibreOffice, plus poppler helpers.

Why this module exists: users want a PDF they can forward that looks exactly like the
.docx, and the only faithful free converter is LibreOffice. Three traps shape the code:

* Two ``soffice`` processes sharing one user profile do not both run: the second exits 1,
  writes nothing and prints nothing. Every call therefore gets its own throw-away profile
  (``-env:UserInstallation=file:///tmp/lo_<unique>``), so concurrent requests are safe.
* The official fonts named in the .docx (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体) do not
  exist on Linux; ``fontconfig/fonts.conf`` next to this file maps them to Noto CJK and is
  passed as ``FONTCONFIG_FILE`` (it includes the system configuration).
* LibreOffice is optional (it is ~300 MB): when it is missing, :class:`PdfUnavailable`
  carries a message a user can act on, and the caller offers the Word file instead.

``soffice`` is started in its own process group and killed as a group on timeout: the
``soffice`` script starts ``oosplash`` and ``soffice.bin``, and killing only the first would
leave a converter running.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FONTCONFIG_FILE",
    "PDF_UNAVAILABLE_MESSAGE",
    "POPPLER_UNAVAILABLE_MESSAGE",
    "PdfConversionError",
    "PdfFont",
    "PdfUnavailable",
    "docx_to_pdf",
    "pdf_first_page_png",
    "pdf_font_details",
    "pdf_fonts",
    "soffice_available",
    "soffice_path",
]

FONTCONFIG_FILE: Path = Path(__file__).resolve().parent / "fontconfig" / "fonts.conf"

PDF_UNAVAILABLE_MESSAGE = (
    "未安装 LibreOffice（soffice），无法生成 PDF；请安装 libreoffice-writer-nogui 或下载 Word 版本"
)
POPPLER_UNAVAILABLE_MESSAGE = "未安装 poppler-utils（{tool}），无法检查 PDF；请安装 poppler-utils"

#: Seconds for one conversion. A first run with a fresh profile takes ~1-3 s on a small
#: document; long reports with many charts take longer.
DEFAULT_TIMEOUT_S = 180.0


class PdfUnavailable(RuntimeError):
    """A tool needed for PDF work (LibreOffice or poppler) is not installed."""

    def __init__(self, message: str = PDF_UNAVAILABLE_MESSAGE) -> None:
        super().__init__(message)


class PdfConversionError(RuntimeError):
    """LibreOffice ran but produced no PDF (crash, timeout, unreadable input)."""


def soffice_path() -> str | None:
    """Path of the LibreOffice binary (``soffice``, or ``libreoffice`` on some distros)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_available() -> bool:
    """True when LibreOffice can be run, so views can offer the PDF download or not."""
    return soffice_path() is not None


def _conversion_env() -> dict[str, str]:
    env = dict(os.environ)
    if FONTCONFIG_FILE.is_file():
        env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    return env


def _tail(text: bytes, limit: int = 800) -> str:
    decoded = text.decode("utf-8", errors="replace").strip()
    return decoded[-limit:]


def docx_to_pdf(
    docx_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> Path:
    """Convert a .docx to PDF in ``out_dir`` and return the PDF's path (same stem).

    Each call uses a private LibreOffice profile, so calls may run concurrently — but two
    calls converting files with the same name into the same ``out_dir`` would overwrite each
    other: give each request its own directory.

    Raises :class:`PdfUnavailable` if LibreOffice is not installed, :class:`FileNotFoundError`
    if the input is missing, :class:`PdfConversionError` if no PDF came out or on timeout.
    """
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable()
    source = Path(docx_path).resolve()
    if not source.is_file():
        raise FileNotFoundError(f"找不到要转换的文件：{source}")
    target_dir = Path(out_dir).resolve()
    target_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = target_dir / f"{source.stem}.pdf"
    # A stale PDF from an earlier run must not pass for this run's output.
    pdf_path.unlink(missing_ok=True)

    profile = Path(tempfile.mkdtemp(prefix="lo_"))
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(target_dir),
        str(source),
    ]
    try:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=_conversion_env(),
            cwd=str(profile),
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            proc.communicate()
            pdf_path.unlink(missing_ok=True)
            raise PdfConversionError(
                f"LibreOffice 转换超时（{timeout:.0f} 秒）：{source.name}"
            ) from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)

    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        details = _tail(stderr) or _tail(stdout) or "（无输出）"
        raise PdfConversionError(
            f"LibreOffice 未生成 PDF（退出码 {proc.returncode}）：{source.name}；{details}"
        )
    return pdf_path


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the converter's process group (soffice → oosplash → soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise PdfUnavailable(POPPLER_UNAVAILABLE_MESSAGE.format(tool=tool))
    return path


@dataclass(frozen=True, slots=True)
class PdfFont:
    """One line of ``pdffonts``: what a reader's viewer will use for the text."""

    name: str
    type: str
    encoding: str
    embedded: bool
    subset: bool
    unicode: bool

    @property
    def base_name(self) -> str:
        """Name without the subset prefix: "ABCDEF+NotoSerifCJKsc-Regular" → "NotoSerif..."."""
        prefix, sep, rest = self.name.partition("+")
        return rest if sep and len(prefix) == 6 and prefix.isupper() else self.name


def pdf_font_details(pdf_path: str | os.PathLike[str]) -> list[PdfFont]:
    """Parse ``pdffonts`` output; columns are sliced by the widths of its dashed rule line."""
    result = subprocess.run(
        [_poppler("pdffonts"), str(pdf_path)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    lines = result.stdout.decode("utf-8", errors="replace").splitlines()
    rule_index = next((i for i, line in enumerate(lines) if line.startswith("---")), None)
    if rule_index is None:
        return []
    fonts: list[PdfFont] = []
    for line in lines[rule_index + 1 :]:
        # Parsed from the right: a long name widens the first column and shifts the rest,
        # and the type may contain spaces ("CID Type 0C"), but the last seven tokens are
        # always encoding, emb, sub, uni and the two-part object id.
        tokens = line.split()
        if len(tokens) < 8:
            continue
        fonts.append(
            PdfFont(
                name=tokens[0],
                type=" ".join(tokens[1:-6]),
                encoding=tokens[-6],
                embedded=tokens[-5] == "yes",
                subset=tokens[-4] == "yes",
                unicode=tokens[-3] == "yes",
            )
        )
    return fonts


def pdf_fonts(pdf_path: str | os.PathLike[str]) -> list[str]:
    """Names of the fonts used in a PDF (as ``pdffonts`` lists them, subset prefix included)."""
    return [font.name for font in pdf_font_details(pdf_path)]


def pdf_first_page_png(pdf_path: str | os.PathLike[str], dpi: int = 60) -> bytes:
    """Page 1 as PNG bytes (``pdftoppm -png -r DPI -f 1 -l 1``), for previews and checks."""
    with tempfile.TemporaryDirectory(prefix="yuanqu_pdfpng_") as tmp:
        prefix = Path(tmp) / "page"
        subprocess.run(
            [
                _poppler("pdftoppm"),
                "-png",
                "-r",
                str(dpi),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf_path),
                str(prefix),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        return prefix.with_suffix(".png").read_bytes()
