"""One kernel per engagement run, but every notebook starts from an empty namespace."""

from __future__ import annotations

import pytest

from workbook.run.kernel import EngagementKernel, ensure_kernel

pytestmark = pytest.mark.slow


def _run(km, code: str) -> str:
    client = km.client()
    client.start_channels()
    out: list[str] = []
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(code, timeout=60, output_hook=lambda msg: out.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
    finally:
        client.stop_channels()
    return "".join(out)


def test_a_reused_kernel_forgets_the_previous_notebook():
    with EngagementKernel(ensure_kernel()) as kernel:
        kernel.warm_up()
        km = kernel.for_notebook()
        assert km.is_alive()
        _run(km, "leaked = 42")
        assert _run(km, "print('leaked' in dir())").strip() == "True"
        km = kernel.for_notebook()                      # the next notebook: reset on the same kernel
        assert _run(km, "print('leaked' in dir())").strip() == "False"
        assert _run(km, "import pandas; print(pandas.__name__)").strip() == "pandas"   # imports stay warm
