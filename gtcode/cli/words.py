"""Words: `gtcode kwic` (keyword in context) and `gtcode freq` (most frequent words or lemmas)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, Where
from gtcode.cli.output import err, out_console, plural, print_json, print_table, table, where_phrase

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
        print_json(result.to_dict())
        return
    if not result.lines:
        err(f"No occurrences of {term!r}{' (any form)' if lemma else ''} in {_speaker_phrase(speaker)}"
            f"{where_phrase(result.where)} ({plural(result.segments, 'segment')} searched).")
        return
    _render_kwic(result)
    err(f"{plural(len(result.lines), 'occurrence')} of {' '.join(result.sought)}"
        f"{' (lemma)' if lemma else ''} in {_speaker_phrase(speaker)}{where_phrase(result.where)}.")


def _render_kwic(k) -> None:
    from rich.text import Text

    from gtcode.analysis.words import clip_left, clip_right

    console = out_console()
    addr_w = max(len(x.address) for x in k.lines)
    kw_w = max(len(x.keyword) for x in k.lines)
    room = max(8, min(k.width, (console.width - addr_w - kw_w - 3) // 2))
    out = Text()
    for x in k.lines:
        left, right = clip_left(x.left, room), clip_right(x.right, room)
        # Every keyword starts in one column; the words after it follow as in the text ("film, and" not
        # "film   , and"): padding to line up the right-hand side would sit before punctuation.
        out.append(x.address.ljust(addr_w) + " ", style="dim")
        out.append((left + ("" if left.endswith(_OPENING) else " ")).rjust(room + 1))
        out.append(x.keyword, style="bold reverse")
        out.append(("" if not right or right.startswith(_CLOSING) else " ") + right + "\n")
    console.print(out, end="", soft_wrap=True)


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
