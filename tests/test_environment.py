"""environment.yml (the conda route) lists the same dependencies as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"python-calamine": "python-calamine", "pyyaml": "pyyaml"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].strip().lower()


def _spec(requirement: str) -> str:
    return requirement[len(_name(requirement)):].strip()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d): _spec(d) for d in env["dependencies"] if isinstance(d, str)}
    for requirement in wanted:
        name = _name(requirement)
        assert name in conda, f"{name} is in pyproject.toml but not environment.yml"
        assert conda[name] == _spec(requirement), f"{name}: versions differ"
    extra = set(conda) - {_name(r) for r in wanted} - {"python", "pip"}
    assert not extra, f"environment.yml lists packages pyproject.toml does not: {extra}"
    pip = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert "-e ." in pip
    assert conda["python"] == project["requires-python"]
