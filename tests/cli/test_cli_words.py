"""`gtcode kwic` and `freq` (with the library calls they show), on the library tests' study."""

from __future__ import annotations

from gtcode.analysis import words

from tests.conftest import invoke
from tests.lib import test_retrieve as lib

study = lib.study  # the library tests' fixture, shared rather than copied


def test_kwic_cli_aligns_keywords_and_gives_addresses(study):
    out = invoke(study, "kwic", "film", "--lemma", "--width", "30").stdout
    lines = [line for line in out.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == ["D1:4", "D1:7", "D2:2", "D2:4"]
    columns = {line.index(word) for line, word in zip(lines, ["filmed", "film", "film", "Filming"])}
    assert len(columns) == 1  # left context right-aligned: every keyword starts in the same column
    assert "me. They filmed" in lines[0] and lines[0].rstrip().endswith("filmed us at home.")
    assert "…" in lines[1]  # context clipped to --width
    assert "Interviewer" not in out
    none = invoke(study, "kwic", "camera")
    assert none.stdout == "" and "No occurrences of 'camera'" in none.stderr
    bad = invoke(study, "kwic", "film", "--speaker", "P0l", ok=False)
    assert bad.exit_code == 1 and "did you mean" in bad.stderr


def test_freq_by_attribute_gives_a_column_per_value(study):
    f = words.freq(study.store, by="role", top=3)
    assert f.groups == ["mother", "practitioner"]
    film = f.words[0]
    assert (film.word, film.count, film.by) == ("film", 4, {"mother": 2, "practitioner": 2})
    assert len(f.words) == 3
    assert f.words_spoken["mother"] > f.words_spoken["practitioner"] > 0
    out = invoke(study, "freq", "--by", "role", "--top", "3").stdout
    header = out.splitlines()[0] + out.splitlines()[1]
    assert "mother" in header and "practitioner" in header
    film_row = next(line for line in out.splitlines() if " film " in line)
    assert film_row.split("│")[5].split()[0] == "2" and film_row.split("│")[6].split()[0] == "2"
    assert "stop words" in invoke(study, "freq").stderr
