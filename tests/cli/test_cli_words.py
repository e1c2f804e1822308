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


def test_kwic_and_freq_read_in_batches_give_what_one_batch_gives(study, tmp_path, monkeypatch):
    more = {"P04": "Interviewer: And then?\n\nP04: We filmed the baby. The film was short. Filming again soon.\n",
            "notes": "The mother filmed the social worker at home; the film helped.\n",
            "P05": "Interviewer: Did the film help?\n",                 # no participant speech at all
            "P06": "Interviewer: Go on.\n\nP06: The social worker filmed us. Films, films, films!\n"}
    for name, text in more.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    study.docs.import_paths([tmp_path / f"{name}.txt" for name in more])
    for doc in ("P04", "P05", "P06"):        # P01's case spans D1, D4, D6 and ends with D6, which has no speech
        study.docs.link(doc, "P01")
    study.docs.link("notes", None)
    calls = [("freq", {}), ("freq", {"by": "role", "top": None}), ("freq", {"lemma": False, "by": "case"}),
             ("freq", {"speaker": "all", "where": ["role=mother"], "by": "document"}),
             ("kwic", {"term": "film"}), ("kwic", {"term": "film", "lemma": True, "sort": "right"}),
             ("kwic", {"term": "social worker"}), ("kwic", {"term": "film*", "speaker": "all", "sort": "left"}),
             ("kwic", {"term": "film", "lemma": True, "limit": 3, "width": 9})]

    def run():
        return [getattr(words, name)(study.store, **options).to_dict() if name == "freq" else
                words.kwic(study.store, **options).to_dict() for name, options in calls]

    whole = run()
    for size in (1, 2, 3):
        monkeypatch.setattr(words, "BATCH", size)
        assert run() == whole, size
    film = next(w for w in whole[0]["words"] if w["word"] == "film")
    assert (film["count"], film["documents"], film["cases"]) == (13, 5, 2)   # P01's case once; notes has none
    assert whole[0]["documents"] == 6 and whole[4]["count"] == 4 and whole[4]["segments"] == 10


def test_clipped_context_is_the_whole_text_clipped(study):
    import random

    rng = random.Random(7)
    pieces = ["a", "bb", "word", "ünï", "😀", " ", "  ", "\t", "\n", "\u3000", " \x1c ", "\x07", "x" * 30, " " * 40]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        start, end = sorted(rng.randrange(0, len(text) + 1) for _ in range(2))
        width = rng.randrange(1, 25)
        whole = " ".join(text[start:end].split())
        assert words._clip_left(text, start, end, width) == (
            whole if len(whole) <= width else "…" + whole[len(whole) - width + 1:])
        assert words._clip_right(text, start, end, width) == (
            whole if len(whole) <= width else whole[:width - 1] + "…")


def test_kwic_prints_the_bytes_one_rich_text_of_its_lines_would(monkeypatch):
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    from gtcode.cli import words as cli

    contexts = ["", "a", "(", "they said “", "bell\x07 and back\x08space", "wide 中文 😀 text " * 4,
                "tab\tand\nline", "x" * 90, "“quoted”", ", and then", "… and so on.", "end."]
    lines = [words.KwicLine(f"D{i % 12 + 1}:{i * 7 % 101}", 1, "P01", None, None, 0, 4, contexts[i % len(contexts)],
                            ["film", "social worker", "Films", "f\x07ilm", "中文"][i % 5],
                            contexts[(i * 5 + 3) % len(contexts)]) for i in range(40)]
    k = words.Kwic("film", False, ["film"], "participant", [], 30, lines, 40)

    def rich_text(console):         # how the lines were printed before: one Text of four pieces a line
        addr_w, kw_w = max(len(x.address) for x in lines), max(len(x.keyword) for x in lines)
        room = max(8, min(k.width, (console.width - addr_w - kw_w - 3) // 2))
        out = Text()
        for x in lines:
            left, right = words.clip_left(x.left, room), words.clip_right(x.right, room)
            out.append(x.address.ljust(addr_w) + " ", style="dim")
            out.append((left + ("" if left.endswith(cli._OPENING) else " ")).rjust(room + 1))
            out.append(x.keyword, style="bold reverse")
            out.append(("" if not right or right.startswith(cli._CLOSING) else " ") + right + "\n")
        console.print(out, end="", soft_wrap=True)

    monkeypatch.setattr(cli, "_PRINTED", 7)
    for width in (40, 130):
        for colour in (True, False):
            made = []

            def console():
                made.append(Console(file=StringIO(), width=width, highlight=False, force_terminal=colour,
                                    color_system="truecolor" if colour else None))
                return made[-1]

            monkeypatch.setattr(cli, "out_console", console)
            cli._render_kwic(k)
            expected = console()
            rich_text(expected)
            printed = made[0].file.getvalue()
            assert printed == expected.file.getvalue(), (width, colour)
            assert ("\x1b[1;7m" in printed) == colour and "\x07" not in printed and len(printed.splitlines()) == 40


def test_kwic_json_is_written_as_print_json_writes_it(monkeypatch, capsys):
    from gtcode.cli import words as cli
    from gtcode.cli.output import print_json

    texts = ['say "film"', "back\\slash \x07 bell", '\n  "lines": [],\n', "emoji 😀 and ünïcode", "", "a\tb"]
    lines = [words.KwicLine(f"D{i}:{i}", i, texts[i % 6], None if i % 2 else "P01", texts[(i + 1) % 6], i, i + 4,
                            texts[(i + 2) % 6], "film", texts[(i + 3) % 6]) for i in range(17)]
    monkeypatch.setattr(cli, "_PRINTED", 5)
    for some in (lines, lines[:1], []):
        k = words.Kwic('"lines": []', True, ["film"], "all", ['role="mother"'], 30, some, 99)
        print_json(k.to_dict())
        expected = capsys.readouterr().out
        cli._print_kwic_json(k)
        assert capsys.readouterr().out == expected
