"""Where words are: the spans that addresses (`D3:17`, `D3:17-21`, `P01:4,9`) and quotes inside them name.

A quote may run across segments and speaker turns inside its addressed range; a quote found more than once is
an error listing each occurrence with its context, unless `nth` picks one. Coding, memo links, relation
evidence and property placements all find their words here.
"""

from __future__ import annotations

from dataclasses import dataclass

from gtcode.documents import SegmentIndex
from gtcode.errors import AmbiguousQuote, InputError, QuoteNotFound
from gtcode.store.db import Store


@dataclass
class Span:
    document_id: int
    start: int
    end: int
    label: str  # the address it came from, for messages


def spans_for_addresses(store: Store, addresses: list[str], quote: str | None = None,
                        nth: int | None = None) -> list[Span]:
    """Addresses (`D3:17`, `D3:17-21`, `D3:4,9`) as spans: one per contiguous run of segments.

    With `quote`, one span: those words inside one address (see `quote_span`). Each document's segments
    are read once, however many addresses name it.
    """
    from gtcode.address import format_ranges, split_addresses

    addresses = [a for item in addresses for a in split_addresses(item)]   # "D1:25, D2:3" is two
    if quote is not None:
        if len(addresses) != 1:
            raise InputError("--quote needs a single address: one segment or a contiguous range, e.g. D3:17-19")
        return [quote_span(store, addresses[0], quote, nth)]
    if nth is not None:
        raise InputError("--nth picks one occurrence of a --quote; give the quote too")
    cache: dict = {}
    spans: list[Span] = []
    for address in addresses:
        runs: list[list] = []
        for seg in _addressed_segments(store, address, cache):
            if runs and seg.ordinal == runs[-1][-1].ordinal + 1:
                runs[-1].append(seg)
            else:
                runs.append([seg])
        spans.extend(Span(run[0].document_id, run[0].start, run[-1].end,
                          f"D{run[0].document_id}:{format_ranges([s.ordinal for s in run])}") for run in runs)
    return spans


def _addressed_segments(store: Store, address: str, cache: dict) -> list:
    """The segments an address names, in order; `cache` keeps documents and their segments between calls."""
    from gtcode.address import format_ranges, parse_address
    from gtcode.documents import document_segments, resolve_document
    from gtcode.errors import UnknownSegment

    addr = parse_address(address)
    key = addr.document.casefold()
    if key not in cache:
        doc = resolve_document(store, addr.document)
        cache[key] = (doc, {s.ordinal: s for s in document_segments(store, doc)})
    doc, by_ordinal = cache[key]
    missing = [n for n in addr.ordinals if n not in by_ordinal]
    if missing:
        raise UnknownSegment(f"D{doc.id} {doc.name!r} has segments 1-{doc.segments}; "
                             f"no segment {format_ranges(missing)}")
    return sorted((by_ordinal[n] for n in addr.ordinals), key=lambda s: s.ordinal)


def quote_span(store: Store, address: str, quote: str, nth: int | None = None, *, asked: str = "--quote") -> Span:
    """The quoted words inside one segment or a contiguous range (`D3:17-19`), across segments and turns.

    The words are searched from the first segment's start to the last one's end. A quote that occurs
    more than once is `AmbiguousQuote` unless `nth` (1-based) picks one. Speaker labels are text like
    any other: a quote that runs into another speaker's turn must include that turn's label
    (`smile. ANNA: And then`), so a span never holds a label the researcher did not type. `asked` names
    what asked for the words in a message (`--quote`, `invivo`).
    """
    from gtcode.documents import document_text, document_turns

    segs = _addressed_segments(store, address, {})
    if any(b.ordinal != a.ordinal + 1 for a, b in zip(segs, segs[1:])):
        raise InputError(f"{address}: {asked} needs one segment or a contiguous range, e.g. D3:17-19")
    doc_id, start, end = segs[0].document_id, segs[0].start, segs[-1].end
    text = document_text(store, doc_id)
    index = SegmentIndex(store)
    one = len(segs) == 1
    where = segs[0].address if one else f"D{doc_id}:{segs[0].ordinal}-{segs[-1].ordinal}"
    labels = [(t["start_char"], t["body_start"]) for t in document_turns(store, doc_id)
              if start <= t["start_char"] < end and t["body_start"] > t["start_char"]]
    a, b = find_quote(text, start, end, quote, where, nth=nth, what="the segment" if one else "these segments",
                      place=lambda a, b: index.address(doc_id, a, b), labels=labels)
    return Span(doc_id, a, b, index.address(doc_id, a, b))


_FOLD = str.maketrans("‘’“”", "''\"\"")  # curly quotes and apostrophes are straight ones to a researcher


def quote_occurrences(text: str, start: int, end: int, quote: str) -> list[tuple[int, int]]:
    """Where the quoted words occur in text[start:end], overlaps included, as (start, end) offsets.

    Any run of whitespace (a line break, the blank line between turns) matches any other, and curly
    quotes match straight ones. Only the best-fitting occurrences count: whole words before parts of
    words ('the' skips 'they' when 'the' itself is there), and as typed before in any case.
    """
    import re

    hay = text[start:end].translate(_FOLD)
    q = quote.translate(_FOLD).strip()
    pattern = r"\s+".join(re.escape(w) for w in q.split())
    if not pattern:
        return []
    whole = ("(?<!\\w)" if re.match(r"\w", q) else "") + pattern + ("(?!\\w)" if re.search(r"\w$", q) else "")
    for rx in (re.compile(whole), re.compile(whole, re.IGNORECASE), re.compile(pattern),
               re.compile(pattern, re.IGNORECASE)):
        found, i = [], 0
        while (m := rx.search(hay, i)) is not None:
            found.append((start + m.start(), start + m.end()))
            i = m.start() + 1
        if found:
            return found
    return []


def find_quote(text: str, start: int, end: int, quote: str, where: str, *, nth: int | None = None,
               what: str = "the segment", place=None, labels=()) -> tuple[int, int]:
    """The one occurrence (or the `nth`, 1-based) of the quoted words inside [start, end).

    `place(a, b)` names where an occurrence is, for the list an ambiguous quote gets; `labels` are the
    (start, end) of speaker labels inside the range, only to suggest the quote with its label when it
    is found once they are left out.
    """
    if not quote.strip():
        raise QuoteNotFound(f"{where}: empty quote")
    if nth is not None and nth < 1:
        raise InputError(f"--nth {nth}: occurrences are numbered from 1")
    found = quote_occurrences(text, start, end, quote)
    if not found:
        chars = list(text)
        for a, b in labels:  # the labels blanked out: found now, the quote left a label out
            chars[a:b] = " " * (b - a)
        across = quote_occurrences("".join(chars), start, end, quote) if labels else []
        hint = (f"; it runs into another speaker's turn, so type that turn's label too, e.g. "
                f"{' '.join(text[across[0][0]:across[0][1]].split())!r}") if across else ""
        body = text[start:end]
        shown = body if len(body) <= 300 else body[:300] + "…"
        raise QuoteNotFound(f"{where}: quote {quote!r} is not in {what}: {shown!r}{hint}")
    if nth is None and len(found) > 1:
        place = place or (lambda a, b: where)
        occurrences = [{"n": k, "address": place(a, b), "start": a, "end": b,
                        "context": _context(text, start, end, a, b)} for k, (a, b) in enumerate(found, 1)]
        lines = "".join(f"\n  {o['n']}. {o['address']}: {o['context']}" for o in occurrences)
        raise AmbiguousQuote(f"{where}: quote {quote!r} occurs {len(found)} times; pick one with --nth N:{lines}",
                             occurrences)
    k = nth or 1
    if k > len(found):
        times = "once" if len(found) == 1 else f"{len(found)} times"
        raise QuoteNotFound(f"{where}: quote {quote!r} occurs {times}; there is no occurrence {k}")
    return found[k - 1]


def _context(text: str, start: int, end: int, a: int, b: int, words: int = 4) -> str:
    """`…four words «the quote» four words…` on one line, within [start, end)."""
    before, after = text[start:a].split(), text[b:end].split()
    return ("…" if len(before) > words else "") + " ".join(before[-words:] + [f"«{' '.join(text[a:b].split())}»"]
                                                       + after[:words]) + ("…" if len(after) > words else "")
