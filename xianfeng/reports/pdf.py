"""PDF through LibreOffice headless, when it is installed (`make system-deps` installs
libreoffice-writer-nogui, poppler-utils and free CJK fonts).

Each call gets its own LibreOffice profile (-env:UserInstallation in a fresh temporary directory):
concurrent calls sharing a profile collide on its lock and fail, sometimes silently (DOCUMENTS.md
§3.2). A timeout (XIANFENG_REPORTS_PDF_TIMEOUT, 120 s) stops a hung converter; the PDF must exist
even when the exit code is 0. FONTCONFIG_FILE points at data/fonts.conf, which maps the official
font names (仿宋_GB2312, 楷体_GB2312, 黑体, 方正小标宋简体, Times New Roman) to installed free fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from django.conf import settings

FONTS_CONF = Path(__file__).resolve().parent / "data" / "fonts.conf"
PDF_CONTENT_TYPE = "application/pdf"


class PdfError(RuntimeError):
    """The conversion failed; the message is for the user."""


def soffice() -> str | None:
    configured = getattr(settings, "XIANFENG_REPORTS_SOFFICE", "")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


SUBSTITUTION_NOTE = (
    "PDF 使用开源替代字体：仿宋、宋体、小标宋→Noto Serif CJK SC，楷体→AR PL UKai，黑体→Noto Sans CJK SC；"
    "正式版式以 Word 文稿为准"
)


def _noted(docx: bytes) -> bytes:
    """The document with the font substitution recorded in its properties, which LibreOffice carries
    into the PDF's metadata (Subject), so nobody mistakes the PDF's faces for the official ones."""
    import io

    from docx import Document

    document = Document(io.BytesIO(docx))
    document.core_properties.subject = SUBSTITUTION_NOTE
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def convert(docx: bytes, *, timeout: float | None = None) -> bytes:
    binary = soffice()
    if binary is None:
        raise PdfError("服务器未安装 LibreOffice，无法生成 PDF；请下载 Word 文档。")
    timeout = timeout or float(getattr(settings, "XIANFENG_REPORTS_PDF_TIMEOUT", 120))
    with tempfile.TemporaryDirectory(prefix="xf-pdf-") as tmp:
        work = Path(tmp)
        source = work / "summary.docx"
        source.write_bytes(_noted(docx))
        profile = work / f"lo-{uuid.uuid4().hex}"
        env = {
            **os.environ,
            "FONTCONFIG_FILE": str(FONTS_CONF),
            "HOME": str(work),  # LibreOffice writes caches under HOME
        }
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            result = subprocess.run(command, env=env, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"PDF 转换超时（{timeout:g} 秒）。") from exc
        target = work / "summary.pdf"
        if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[-300:]
            raise PdfError(f"PDF 转换失败（退出码 {result.returncode}）：{detail or '没有生成文件'}")
        return target.read_bytes()
