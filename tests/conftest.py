"""Shared fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture
def deliverable_context():
    """A synthetic engagement's DeliverableContext (fake issues, row counts and inputs)."""
    from workbook.deliverable.sample import sample_context

    return sample_context()


@pytest.fixture(scope="session")
def demo_engagement(tmp_path_factory):
    """The synthetic demo client, generated once per test session."""
    from workbook.demo import generate_demo

    return generate_demo(tmp_path_factory.mktemp("client_data") / "demo")


@pytest.fixture(scope="session")
def demo_run(demo_engagement, tmp_path_factory):
    """One real papermill run of the demo engagement, shared by the tests that inspect its outputs."""
    from workbook.run.runner import run_engagement

    result = run_engagement(demo_engagement, tmp_path_factory.mktemp("deliverables"))
    assert result.status == "succeeded", result.message
    return result
