"""Render a deliverable to PDF and PNG pages, to look at it the way a client would print it.

    python scripts/render_deliverable.py X.xlsx OUTDIR
    python scripts/render_deliverable.py --sample OUTDIR   # a synthetic deliverable first

Needs LibreOffice (soffice) and pdftoppm (poppler-utils). Prints the PNG paths.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from libreoffice import to_pdf  # noqa: E402


def render(xlsx: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = to_pdf(xlsx, out_dir)
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm not found: install poppler-utils")
    prefix = out_dir / pdf.stem
    for old in out_dir.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, out_dir = argv[0], Path(argv[1])
    if source == "--sample":
        from workbook.deliverable import deliverable_filename, write_deliverable
        from workbook.deliverable.sample import sample_context

        ctx = sample_context()
        xlsx = write_deliverable(out_dir / "xlsx" / deliverable_filename(ctx.client), ctx)
    else:
        xlsx = Path(source)
        if not xlsx.is_file():
            print(f"no such file: {xlsx}", file=sys.stderr)
            return 2
    for png in render(xlsx, out_dir):
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
