"""Words: `gtcode kwic` (keyword in context) and `gtcode freq` (most frequent words or lemmas)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, Where
from gtcode.cli.output import as_json, err, out_console, plural, print_json, print_table, table, where_phrase

PANEL = "Constant comparison"


def register(app: App) -> None:
    app.command(rich_help_panel=PANEL)(kwic)
    app.command(rich_help_panel=PANEL)(freq)


def _speaker_phrase(speaker: str) -> str:
    key = speaker.casefold()
    return {"participant": "participants' speech", "interviewer": "interviewers' speech",
            "all": "everyone's speech"}.get(key, f"{speaker}'s speech")


def kwic(
    term: Annotated[str, typer.Argument(help="A word, a phrase (\"social worker\") or a prefix (film*).")],
    lemma: Annotated[bool, typer.Option("--lemma", help="Match every form of the word: film → films, filmed, "
                                        "filming.")] = False,
    width: Annotated[int, typer.Option(min=1, help="Characters of context either side.")] = 40,
    where: Where = None,
    speaker: Annotated[str, typer.Option(help="participant, interviewer, all, or a speaker label.")] = "participant",
    sort: Annotated[str, typer.Option(help="document (order of the text), right or left (by the words after or "
                                      "before the keyword).")] = "document",
    limit: Annotated[int, typer.Option(min=0, help="Show at most this many lines (0: all).")] = 0,
    json_out: Json = False,
) -> None:
    """Keyword in context: each occurrence with the words around it and its address.

    Example: gtcode kwic film --lemma --where role=mother --sort right
    """
    with open_project() as project:
        result = project.analysis.kwic(term, lemma=lemma, width=width, where=where, speaker=speaker, sort=sort,
                     limit=limit or None)
    if json_out:
        _print_kwic_json(result)
        return
    if not result.lines:
        err(f"No occurrences of {term!r}{' (any form)' if lemma else ''} in {_speaker_phrase(speaker)}"
            f"{where_phrase(result.where)} ({plural(result.segments, 'segment')} searched).")
        return
    _render_kwic(result)
    err(f"{plural(len(result.lines), 'occurrence')} of {' '.join(result.sought)}"
        f"{' (lemma)' if lemma else ''} in {_speaker_phrase(speaker)}{where_phrase(result.where)}.")


def _print_kwic_json(k) -> None:
    """What `print_json(k.to_dict())` prints, written a few thousand lines at a time: the same bytes without a
    dict and a string of every line at once (a gigabyte for 300,000 lines)."""
    import json
    from dataclasses import fields, replace

    data = replace(k, lines=[]).to_dict()
    data["count"] = len(k.lines)
    mark = '\n  "lines": [],\n'          # the top level's keys are indented 2; strings hold no line breaks
    head, tail = as_json(data).split(mark) if k.lines else (as_json(data), None)
    sys.stdout.write(head)
    if tail is None:
        return
    names = [f.name for f in fields(k.lines[0])]
    for i in range(0, len(k.lines), _PRINTED):   # each line as json.dumps(indent=2) writes it two levels down
        items = ("    " + json.dumps({name: getattr(x, name) for name in names}, ensure_ascii=False, indent=2,
                                     default=str).replace("\n", "\n    ") for x in k.lines[i:i + _PRINTED])
        sys.stdout.write(('\n  "lines": [\n' if i == 0 else ",\n") + ",\n".join(items))
    sys.stdout.write("\n  ],\n" + tail)


def _render_kwic(k) -> None:
    from gtcode.analysis.words import clip_left, clip_right

    console = out_console()
    addr_w = max(len(x.address) for x in k.lines)
    kw_w = max(len(x.keyword) for x in k.lines)
    room = max(8, min(k.width, (console.width - addr_w - kw_w - 3) // 2))

    def pieces(x) -> tuple[str, str, str, str]:
        left, right = clip_left(x.left, room), clip_right(x.right, room)
        # Every keyword starts in one column; the words after it follow as in the text ("film, and" not
        # "film   , and"): padding to line up the right-hand side would sit before punctuation.
        return (x.address.ljust(addr_w) + " ", (left + ("" if left.endswith(_OPENING) else " ")).rjust(room + 1),
                x.keyword, ("" if not right or right.startswith(_CLOSING) else " ") + right + "\n")

    for i in range(0, len(k.lines), _PRINTED):
        console.print(_KwicLines(map(pieces, k.lines[i:i + _PRINTED])), end="", soft_wrap=True)


#: Lines printed at a time: Rich holds a print's segments and output until it ends.
_PRINTED = 2000


class _KwicLines:
    """Kwic lines (address, left, keyword, right with its line end) as Rich segments: the bytes one Rich `Text`
    of them all prints, without building it (hundreds of thousands of lines took 26 s and a gigabyte)."""

    def __init__(self, lines):
        self.lines = lines

    def __rich_console__(self, console, options):
        from rich.control import strip_control_codes
        from rich.segment import Segment

        dim, keyword = console.get_style("dim"), console.get_style("bold reverse")
        for address, left, word, right in self.lines:   # a Text drops control codes (bell, backspace…) too
            yield Segment(strip_control_codes(address), dim)
            yield Segment(strip_control_codes(left))
            yield Segment(strip_control_codes(word), keyword)
            yield Segment(strip_control_codes(right))


_OPENING = ("(", "[", "“", "‘", '"', "'", "—", "–")
_CLOSING = (",", ".", ";", ":", "!", "?", ")", "]", "…", "”", "’", '"', "'", "—", "–")


def freq(
    by: Annotated[Optional[str], typer.Option(help="A column per value of this case attribute (or case, document).")]
    = None,
    top: Annotated[int, typer.Option(min=0, help="How many words (0: all).")] = 30,
    lemma: Annotated[bool, typer.Option("--lemma/--words", help="Count lemmas (film, films, filmed as one) or "
                                        "word forms.")] = True,
    all_speakers: Annotated[bool, typer.Option("--all-speakers", help="Count interviewers' words too.")] = False,
    stop: Annotated[Optional[list[Path]], typer.Option(
        help="A file of your own stop words, one a line (# starts a comment); repeatable.")] = None,
    fillers: Annotated[bool, typer.Option("--fillers/--no-fillers", help="Count discourse fillers (think, know, "
                                          "yeah, like, mean, sort, um…) too; left out by default.")] = False,
    where: Where = None,
    json_out: Json = False,
) -> None:
    """Most frequent content words or lemmas, optionally a column per attribute value.

    Stop words (spaCy's English list), discourse fillers, punctuation and numbers are left out.

    Example: gtcode freq --by role --top 20 --stop my-stop-words.txt
    """
    speaker = "all" if all_speakers else "participant"
    own = [w for path in stop or [] for w in _stop_words(path)]
    with open_project() as project:
        result = project.analysis.freq(by=by, top=top or None, lemma=lemma, where=where, speaker=speaker,
                                       stop=own, fillers=not fillers)
    if json_out:
        print_json(result.to_dict())
        return
    if not result.words:
        err(f"No words counted in {_speaker_phrase(speaker)}{where_phrase(result.where)}.")
        return
    _render_freq(result)
    err(f"{'Lemmas' if lemma else 'Words'} of {_speaker_phrase(speaker)}{where_phrase(result.where)}: "
        f"{plural(result.total_words, 'word')} in {plural(result.documents, 'document')}; stop words"
        + (f" (and {plural(result.stop_words_added, 'word')} of your own)" if result.stop_words_added else "")
        + (", discourse fillers" if result.fillers_left_out else "")
        + ", punctuation and numbers left out. Per 1,000 = occurrences per 1,000 words spoken.")


def _stop_words(path: Path) -> list[str]:
    """The words of a stop-word file: one a line (or several, split by spaces or commas); # comments."""
    from gtcode.errors import InputError
    from gtcode.files import read_utf8

    text = read_utf8(path, InputError, "stop-word list")
    return [w for line in text.splitlines() for w in line.split("#", 1)[0].replace(",", " ").split()]


def _render_freq(f) -> None:
    right = {"justify": "right"}
    t = table(("#", right | {"style": "dim"}), "Lemma" if f.lemma else "Word", ("Count", right), ("Per 1,000", right),
              ("Docs", right), *((f"{g}\n{f.words_spoken[g]:,} words", right) for g in f.groups))
    for i, w in enumerate(f.words, 1):
        t.add_row(str(i), w.word, f"{w.count:,}", f"{f.rate(w.count):.1f}", f"{w.documents}/{f.documents}",
                      *(f"{w.by[g]:,} ({f.rate(w.by[g], g):.1f})" for g in f.groups))
    print_table(t)
