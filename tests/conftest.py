"""Shared fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture
def deliverable_context():
    """A synthetic engagement's DeliverableContext (fake issues, row counts and inputs)."""
    from workbook.deliverable.sample import sample_context

    return sample_context()
