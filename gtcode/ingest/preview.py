"""`gtcode import --preview`: how each file would be read, with nothing written anywhere.

Per file: the name it would get, the layout recognised, the speakers with their turns and roles, who is taken
for the interviewer (or, when nobody is, a guess from who asks the questions), the first and last times, the
front matter and the quoted turns. It reads files only: no project is opened, nothing is segmented or stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from gtcode.errors import GtcodeError, InputError
from gtcode.ingest import ParsedDocument, expand_paths, read_path
from gtcode.ingest.naming import batch_names
from gtcode.text import count_words


@dataclass
class FilePreview:
    source: str
    ok: bool
    message: str = ""
    document: str | None = None
    format: str | None = None
    layout: str | None = None
    words: int = 0
    turns: int = 0
    #: {speaker, role, turns} in order of first turn
    speakers: list[dict] = field(default_factory=list)
    interviewer: list[str] = field(default_factory=list)
    #: when nobody is taken for the interviewer: the speaker who asks the questions, if one clearly does
    interviewer_guess: str | None = None
    first_time: float | None = None
    last_time: float | None = None
    front: list[str] = field(default_factory=list)
    #: {speaker, text} of each quoted turn
    quoted: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def preview_files(items: list, settings) -> list[FilePreview]:
    """A FilePreview for every file `gtcode import` would read with these ImportSettings."""
    files, problems, _ = expand_paths(items)
    out = [FilePreview(item, False, f"{item}: {why}") for item, why in problems]
    if settings.name and len(files) + len(problems) > 1:
        raise InputError(f"--name {settings.name!r} names one document, but {len(files) + len(problems)} files "
                         "were given; preview them one at a time, or leave out --name")
    names = batch_names(files)
    rules = settings.read.rules()
    for path in files:
        try:
            docs = read_path(path, settings.read, rules)
        except GtcodeError as exc:
            out.append(FilePreview(str(path), False, str(exc)))
            continue
        except Exception as exc:  # a reader's unexpected failure is this file's, never the batch's
            out.append(FilePreview(str(path), False, f"{path}: could not be read ({type(exc).__name__}: {exc})"))
            continue
        for doc in docs:
            if doc.name == path.stem:
                doc.name = settings.name or names.get(path, doc.name)
            if settings.pseudonymiser is not None:
                path = settings.pseudonymiser.apply_to_document(doc, path)
            out.append(describe(path, doc))
    return out


def describe(path: Path, doc: ParsedDocument) -> FilePreview:
    """What a parsed document holds, as the preview shows it."""
    p = FilePreview(str(path), True, document=doc.name, format=doc.format, layout=doc.layout,
                    words=count_words(doc.text), turns=len(doc.turns))
    speakers: dict[str | None, dict] = {}
    for t in doc.turns:
        if t.kind == "front":
            p.front.extend(line for line in doc.text[t.start:t.end].split("\n") if line.strip())
        elif t.kind == "quoted":
            p.quoted.append({"speaker": t.speaker, "text": doc.text[t.body_start:t.end]})
        else:
            entry = speakers.setdefault(t.speaker, {"speaker": t.speaker, "role": t.speaker_role, "turns": 0})
            entry["turns"] += 1
    p.speakers = list(speakers.values())
    p.interviewer = [s["speaker"] for s in p.speakers if s["role"] == "interviewer" and s["speaker"]]
    if not p.interviewer:
        p.interviewer_guess = guess_interviewer(doc)
    times = [x for t in doc.turns for x in (t.time_start, t.time_end) if x is not None]
    if times:
        p.first_time, p.last_time = min(times), max(times)
    return p


def guess_interviewer(doc: ParsedDocument) -> str | None:
    """The labelled speaker most of whose turns ask something, when one clearly asks more than the others."""
    asks: dict[str, list[int]] = {}
    for t in doc.turns:
        if t.kind == "speech" and t.speaker:
            n = asks.setdefault(t.speaker, [0, 0])
            n[0] += "?" in doc.text[t.body_start:t.end]
            n[1] += 1
    shares = sorted(((q / n, s) for s, (q, n) in asks.items() if n >= 2), reverse=True)
    if len(shares) >= 2 and shares[0][0] >= 0.3 and shares[0][0] >= 2 * shares[1][0]:
        return shares[0][1]
    return None
