"""Imported once by `workbook batch`'s fork server, before it forks a worker per engagement: the
work every worker would otherwise repeat (the runner's imports, and nbconvert's exporters with
their templates compiled). Importing this module does that work; nothing else imports it."""

import workbook.run.batch  # noqa: F401
import workbook.run.runner  # noqa: F401
from workbook.run.notebooks import warm_exporters

warm_exporters()
