"""workbook: manager-first sales-effectiveness assessments for consultants."""

__version__ = "0.1.0"
