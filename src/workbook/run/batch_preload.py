"""Imported once by `workbook batch`'s fork server, before it forks a worker per engagement: the
work every worker would otherwise repeat (the runner's imports, and nbconvert's exporters with
their templates compiled), and the imports of the kernel each worker grows from a fork of itself
(see kernel_seed). Importing this module does that work; nothing else imports it.

Nothing here may open a file it keeps (a font, say): every worker and kernel would share its
offset. Only imports and in-memory templates."""

import ipykernel.kernelapp  # noqa: F401
import matplotlib.pyplot  # noqa: F401  (the backend is chosen later, by the kernel)

import workbook.pipeline  # noqa: F401
import workbook.pipeline.display  # noqa: F401
import workbook.run.batch  # noqa: F401
import workbook.run.runner  # noqa: F401
from workbook.run.notebooks import warm_exporters

warm_exporters()
