"""The Excel deliverable: one workbook a client can read without us in the room."""

from workbook.deliverable.context import DeliverableContext
from workbook.deliverable.writer import deliverable_filename, write_deliverable

__all__ = ["DeliverableContext", "deliverable_filename", "write_deliverable"]
