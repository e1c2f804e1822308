"""`pip install .` then `gtcode demo`: the demo's samples travel with the package and are found there."""

from __future__ import annotations

import sys
import tomllib

from tests.conftest import REPO


def test_the_wheel_carries_every_sample_the_demo_reads():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["data-files"]
    assert data["share/gtcode/transcripts"] == ["transcripts/*"]
    assert data["share/gtcode/codebooks"] == ["codebooks/*"]
    assert not [p for p in (REPO / "transcripts").iterdir() if p.is_dir()]   # "*" takes files only


def test_an_installed_gtcode_finds_its_samples_under_the_prefix(tmp_path, monkeypatch):
    import gtcode.samples as demo

    shared = tmp_path / "share" / "gtcode"
    (shared / "transcripts").mkdir(parents=True)
    (shared / "codebooks").mkdir()
    monkeypatch.setattr(demo, "__file__", str(tmp_path / "site-packages" / "gtcode" / "samples.py"))  # no checkout
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert demo.bundled_transcripts() == shared / "transcripts"
    assert demo.bundled_codebook() == shared / "codebooks" / "vig-engagement.yml"
