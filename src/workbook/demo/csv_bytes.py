"""CSV exports built as whole columns of bytes: fixed-width numpy bytes concatenated column by
column and packed into rows, so the demo generator writes millions of rows in seconds, byte for
byte what the same rows written one at a time would be."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CHUNK = 500_000   # rows packed at a time


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = days.astype("datetime64[D]")
    month_start = d.astype("datetime64[M]")
    return (d.astype("datetime64[Y]").astype(np.int64) + 1970, month_start.astype(np.int64) % 12 + 1,
            (d - month_start.astype("datetime64[D]")).astype(np.int64) + 1)


def as_bytes(values: np.ndarray, width: int = 0) -> np.ndarray:
    out = np.asarray(values).astype("S")
    return np.strings.zfill(out, width) if width else out


def concat(*parts: np.ndarray | bytes) -> np.ndarray:
    out = parts[0]
    for part in parts[1:]:
        out = np.strings.add(out, part)
    return out


def grouped(dollars: np.ndarray) -> np.ndarray:
    """Non-negative whole numbers with thousands separators (up to 999,999,999)."""
    m, t, u = dollars // 1_000_000, (dollars // 1000) % 1000, dollars % 1000
    return np.where(m > 0, concat(as_bytes(m), b",", as_bytes(t, 3), b",", as_bytes(u, 3)),
                    np.where(t > 0, concat(as_bytes(t), b",", as_bytes(u, 3)), as_bytes(u)))


def day_lookup(days: np.ndarray) -> tuple[np.ndarray, int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every calendar day from the first to the last: rows format a day once and index into it."""
    lo = int(days.min()) if len(days) else 0
    span = np.arange(lo, (int(days.max()) if len(days) else lo) + 1)
    return span, lo, ymd(span)


def encoded(names: pd.Series, encoding: str) -> np.ndarray:
    return np.array([str(v).encode(encoding) for v in names], dtype="S")


def pack(fields: list[np.ndarray | bytes], n: int) -> np.ndarray:
    """Rows of concatenated fields (bytes arrays or constants) + CRLF, as one flat uint8 buffer.

    Fixed-width numpy bytes pad with NUL, which no field contains: lay the fields side by side
    as an (n, total width) byte matrix and keep the non-NUL bytes, row by row.
    """
    parts = []
    for f in [*fields, b"\r\n"]:
        if isinstance(f, np.ndarray):
            if f.dtype.itemsize:
                parts.append(np.ascontiguousarray(f).view(np.uint8).reshape(n, f.dtype.itemsize))
        elif f:
            parts.append(np.broadcast_to(np.frombuffer(f, dtype=np.uint8), (n, len(f))))
    matrix = np.concatenate(parts, axis=1)
    return matrix[matrix != 0]


def write_rows(path: Path, header: str, fields: list[np.ndarray | bytes], n: int, encoding: str,
                bom: bool = False, blank_at: int | None = None, footer: str | None = None) -> None:
    """A CSV from whole columns, in chunks; optionally a blank line before row `blank_at` and a footer."""
    with open(path, "wb") as fh:
        fh.write((b"\xef\xbb\xbf" if bom else b"") + header.encode(encoding) + b"\r\n")
        for lo in range(0, n, CHUNK):
            hi = min(n, lo + CHUNK)
            part = [f[lo:hi] if isinstance(f, np.ndarray) else f for f in fields]
            if blank_at is not None and lo <= blank_at < hi:
                fh.write(pack([f[: blank_at - lo] if isinstance(f, np.ndarray) else f for f in part],
                               blank_at - lo).tobytes() + b"\r\n")
                part = [f[blank_at - lo:] if isinstance(f, np.ndarray) else f for f in part]
                fh.write(pack(part, hi - blank_at).tobytes())
            else:
                fh.write(pack(part, hi - lo).tobytes())
        if footer is not None:
            fh.write(footer.encode(encoding) + b"\r\n")
