"""`python -m workbook.cli` runs the `workbook` command."""

import sys

from workbook.cli import main

sys.exit(main())
