"""Linking a recording and playing a passage from where it was said, with the user's own player."""

from __future__ import annotations

import json
import sys

from tests.conftest import invoke

VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Hannah Reid>How did the first visit go?\n\n"
       "00:01:05.500 --> 00:01:09.000\n<v Maya>I was nervous. The camera was small though.\n\n"
       "00:01:10.000 --> 00:01:12.000\n<v Hannah Reid>And then?\n\n"
       "00:01:13.000 --> 00:01:15.000\n<v Maya>Then it was fine.\n")


def _player(tmp_path) -> str:
    """A 'player' that writes the arguments it was started with to played.json."""
    script = tmp_path / "player.py"
    script.write_text("import json, sys\nopen(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))\n", encoding="utf-8")
    return f"{sys.executable} {script} {tmp_path / 'played.json'} --from={{start}} {{file}}"


def _study(tmp_path):
    (tmp_path / "maya.vtt").write_text(VTT, encoding="utf-8")
    (tmp_path / "maya.m4a").write_bytes(b"not really audio")
    invoke(None, "init", "study")
    p = tmp_path / "study"
    invoke(p, "import", tmp_path / "maya.vtt", "--interviewer", "Hannah Reid")
    return p


def test_play_starts_the_players_at_the_passages_time(tmp_path):
    p = _study(tmp_path)
    invoke(p, "docs", "media", "D1", tmp_path / "maya.m4a")
    invoke(None, "config", "set", "player", _player(tmp_path))
    result = invoke(p, "play", "D1:3")
    assert "from 1:05" in result.output or "from 00:01:05" in result.output
    assert json.loads((tmp_path / "played.json").read_text()) == ["--from=65.5", str((tmp_path / "maya.m4a").resolve())]


def test_play_explains_what_is_missing_in_one_line(tmp_path):
    p = _study(tmp_path)
    result = invoke(p, "play", "D1:2", ok=False)
    assert result.exit_code == 1 and "D1 'maya' has no recording linked: gtcode docs media D1 FILE" in result.output
    result = invoke(p, "docs", "media", "D1", tmp_path / "nope.m4a", ok=False)
    assert result.exit_code == 1 and "no such file" in result.output
    invoke(p, "docs", "media", "D1", tmp_path / "maya.m4a")
    (tmp_path / "maya.m4a").unlink()
    result = invoke(p, "play", "D1:2", ok=False)
    assert "is not there any more" in result.output and "Traceback" not in result.output


def test_linking_is_undone_and_a_transcript_without_times_says_so(tmp_path):
    p = _study(tmp_path)
    invoke(p, "docs", "media", "D1", tmp_path / "maya.m4a")
    invoke(p, "undo")
    assert "no recording linked" in invoke(p, "play", "D1:2", ok=False).output
    (tmp_path / "plain.txt").write_text("Interviewer: Hello?\n\nP01: Hi there.\n\nInterviewer: And?\n\nP01: Fine.\n",
                                        encoding="utf-8")
    invoke(p, "import", tmp_path / "plain.txt")
    invoke(p, "docs", "media", "D2", tmp_path / "maya.m4a")
    result = invoke(p, "play", "D2:2", ok=False)
    assert "D2:2 has no time: its transcript holds no timestamps" in result.output
