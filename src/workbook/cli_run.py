"""Subcommands that run analyses (`run`, `demo`); registered by cli.build_parser."""

from __future__ import annotations

import argparse


def add_run_commands(sub: argparse._SubParsersAction) -> None:
    """Added by the run-pipeline work; validate and new work without it."""
    return None
