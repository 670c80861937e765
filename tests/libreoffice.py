"""LibreOffice headless for tests: recalculate a workbook as a client's spreadsheet would, or print it.

LibreOffice never recalculates xlsx formulas on load by default, so a private
user profile forces it (OOXMLRecalcMode = 0, "always"); otherwise the test
would only read back the cached values XlsxWriter wrote.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

TIMEOUT_SECONDS = 120
SKIP_REASON = "LibreOffice (soffice) not installed; CI installs libreoffice-calc-nogui"

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


requires_libreoffice = pytest.mark.skipif(soffice_path() is None, reason=SKIP_REASON)


@contextlib.contextmanager
def _profile():
    """A private LibreOffice user profile that recalculates on load, removed afterwards."""
    profile = Path(tempfile.gettempdir()) / f"lo_profile_{uuid.uuid4().hex}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
    try:
        yield f"-env:UserInstallation={profile.as_uri()}"
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _convert(src: Path, out_dir: Path, target: str, suffix: str) -> Path:
    soffice = soffice_path()
    if soffice is None:
        pytest.skip(SKIP_REASON)
    src = Path(src).resolve()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if out_dir == src.parent:
        raise ValueError("out_dir must differ from the source folder (LibreOffice keeps the file name)")
    with _profile() as user:
        proc = subprocess.run(
            [soffice, user, "--headless", "--norestore", "--convert-to", target, "--outdir", str(out_dir),
             str(src)],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
        )
    out = out_dir / (src.stem + suffix)
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"LibreOffice conversion failed ({proc.returncode}): {proc.stdout}{proc.stderr}")
    return out


def recalculate_all(paths: list[Path], out_dir: Path) -> list[Path]:
    """Each workbook recalculated, in one LibreOffice start (much faster than one per file)."""
    soffice = soffice_path()
    if soffice is None:
        pytest.skip(SKIP_REASON)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with _profile() as user:
        proc = subprocess.run(
            [soffice, user, "--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
             "--outdir", str(out_dir), *(str(Path(p).resolve()) for p in paths)],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS * max(1, len(paths) // 4), check=False)
    outs = [out_dir / (Path(p).stem + ".xlsx") for p in paths]
    missing = [o.name for o in outs if not o.exists()]
    if proc.returncode != 0 or missing:
        raise RuntimeError(f"LibreOffice conversion failed ({proc.returncode}, missing {missing}): "
                           f"{proc.stdout}{proc.stderr}")
    return outs


def recalculate(xlsx_path: Path, out_dir: Path) -> Path:
    """A copy of the workbook as LibreOffice saves it after recalculating every formula."""
    return _convert(xlsx_path, out_dir, "xlsx:Calc MS Excel 2007 XML", ".xlsx")


def to_pdf(xlsx_path: Path, out_dir: Path) -> Path:
    """The workbook printed to PDF with its own print settings (landscape, one page wide)."""
    return _convert(xlsx_path, out_dir, "pdf:calc_pdf_Export", ".pdf")
