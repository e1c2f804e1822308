"""`gtcode kwic` and `freq` (with the library calls they show), on the library tests' study."""

from __future__ import annotations

import json

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


def test_kwic_puts_punctuation_right_after_the_keyword(study):
    out = invoke(study, "kwic", "home").stdout
    assert "filmed us at home." in out                      # not "home ." nor "home   ."


def test_freq_leaves_out_discourse_fillers_and_your_own_stop_words(study, tmp_path):
    counted = {w["word"] for w in json.loads(invoke(study, "freq", "--top", "0", "--json").stdout)["words"]}
    assert "think" not in counted and "film" in counted       # "I thought…": a filler, left out by default
    everything = json.loads(invoke(study, "freq", "--top", "0", "--fillers", "--json").stdout)
    assert "think" in {w["word"] for w in everything["words"]} and not everything["fillers_left_out"]
    (tmp_path / "stop.txt").write_text("# my list\nfilm, worker\n", encoding="utf-8")
    res = invoke(study, "freq", "--top", "0", "--stop", tmp_path / "stop.txt")
    assert " film " not in res.stdout and " worker " not in res.stdout and " social " in res.stdout
    assert "2 words of your own" in res.stderr and "discourse fillers" in res.stderr
    missing = invoke(study, "freq", "--stop", tmp_path / "none.txt", ok=False)
    assert missing.exit_code == 1 and "no such stop-word list" in missing.stderr


def test_search_finds_words_by_stem_and_exact_only_as_typed(study):
    stemmed = json.loads(invoke(study, "search", "filmed", "--json").stdout)
    words = " ".join(h["text"] for h in stemmed["hits"])
    assert "filming" in words and " film " in words and "filmed" in words        # one stem, every form
    exact = json.loads(invoke(study, "search", "filmed", "--exact", "--json").stdout)
    assert [h["address"] for h in exact["hits"]] == ["D1:4"] and exact["total"] == 1
    text = study.docs.text("D1")
    assert [text[a:b] for a, b in exact["hits"][0]["spans"]] == ["filmed"]
    assert "--exact" in invoke(study, "search", "--help").stdout and "stem" in invoke(study, "search", "--help").stdout
