"""Fixtures of the CLI tests that check a project file itself (hostile input, doctor, backup)."""

from __future__ import annotations

import pytest

from tests.hostile import copy_project, small_project


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A small project, built once per test module."""
    return small_project(tmp_path_factory.mktemp("pristine") / "proj")


@pytest.fixture
def proj(pristine, tmp_path):
    """A fresh copy of it for each test, to damage, fill or compare byte for byte."""
    return copy_project(pristine, tmp_path / "proj")
