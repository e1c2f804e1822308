"""Reading transcripts: encodings and canonical text, Word, WebVTT/SubRip, CSV,
segments and the offset invariant, and bad input that must fail cleanly."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest

from gtcode.demo import DEMO_INTERVIEWER
from gtcode.errors import DecodeFailed, EmptyDocument, GtcodeError, InputError, NoTurns, UnsupportedFormat
from gtcode.ingest import ReadOptions, read_path

from tests.conftest import TRANSCRIPTS, body, speakers



def read_one(path: Path, **options):
    docs = read_path(path, ReadOptions(**options))
    assert len(docs) == 1
    return docs[0]


# --- plain text: encodings and the canonical text ---------------------------

SPEECH = "Interviewer: How was the café?\nR: Zoë said it was “fine” — 🙂 really.\n"


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", SPEECH.encode("utf-8")),
    ("utf-8-sig", SPEECH.encode("utf-8-sig")),
    ("utf-16", SPEECH.encode("utf-16-le").join([b"\xff\xfe", b""])),      # Word's "Unicode text"
    ("utf-16", SPEECH.encode("utf-16-be").join([b"\xfe\xff", b""])),
    ("utf-16-le", SPEECH.encode("utf-16-le")),                              # no BOM
    ("utf-16-be", SPEECH.encode("utf-16-be")),
])
def test_text_encodings_are_detected(tmp_path, encoding, data):
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    doc = read_one(path)
    assert doc.text == SPEECH             # BOM dropped, nothing mis-decoded
    assert doc.encoding == encoding
    assert doc.notes == []
    assert speakers(doc) == ["Interviewer", "R"]


def test_windows_1252_fallback_is_noted(tmp_path, project):
    text = "I: The café was “nice”.\nR: Yes – really, £5.\n"
    path = tmp_path / "old.txt"
    path.write_bytes(text.encode("cp1252"))
    doc = read_one(path)
    assert doc.text == text and doc.encoding == "cp1252"
    assert len(doc.notes) == 1 and "old.txt" in doc.notes[0] and "cp1252" in doc.notes[0]
    report = project.docs.import_paths([path])
    assert report.count("imported") == 1
    assert any("old.txt" in n and "cp1252" in n for n in report.notes)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028"])
def test_newlines_become_lf(tmp_path, newline):
    path = tmp_path / "t.txt"
    path.write_bytes(newline.join(["I: One?", "R: Two.", "Still two.", "I: Three?"]).encode("utf-8"))
    doc = read_one(path)
    assert doc.text == "I: One?\nR: Two.\nStill two.\nI: Three?"
    assert speakers(doc) == ["I", "R", "I"]
    assert body(doc, doc.turns[1]) == "Two.\nStill two."


def test_text_is_nfc(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Zoe\u0308: Cafe\u0301 au lait.\nI: Oh?\nZoe\u0308: Yes.\n", encoding="utf-8")
    doc = read_one(path)
    assert "\u0301" not in doc.text and "\u0308" not in doc.text
    assert doc.text.startswith("Zoë: Café au lait.")
    assert speakers(doc) == ["Zoë", "I", "Zoë"]


# --- Word -------------------------------------------------------------------

def test_docx_paragraphs_in_order_with_table_text(tmp_path, make_docx):
    path = make_docx(tmp_path / "w.docx", ["Interviewer: First question?", "P01: First answer.",
                                           "Interviewer: Second?", "P01: Second answer."],
                     table=[["Participant ID", "P01"], ["Site", "Trust A"]])
    doc = read_one(path)
    assert doc.text == ("Interviewer: First question?\nP01: First answer.\nInterviewer: Second?\n"
                        "P01: Second answer.\nParticipant ID\tP01\nSite\tTrust A")
    assert speakers(doc) == ["Interviewer", "P01", "Interviewer", "P01"]


def test_docx_bold_labels(tmp_path, make_docx):
    path = make_docx(tmp_path / "w.docx", [
        [("Interviewer:", True), (" How did it start?", False)],
        [("Hannah", True), (": With the health visitor.", False)],   # bold name, colon in a normal run
        "She came every week.",                                         # continues Hannah's turn
        [("Interviewer: ", True), ("And then?", False)],
        [("Zoe", True), (" : My sister came too.", False)],           # a bold name used once, mid-interview
        [("Hannah", True), (":", False), (" Then the film.", False)],
    ])
    doc = read_one(path)
    assert speakers(doc) == ["Interviewer", "Hannah", "Interviewer", "Zoe", "Hannah"]
    assert [body(doc, t) for t in doc.turns] == ["How did it start?", "With the health visitor.\nShe came every week.",
                                                 "And then?", "My sister came too.", "Then the film."]
    assert [t.is_interviewer for t in doc.turns] == [True, False, True, False, False]


def test_docx_bold_header_lines_are_not_speakers(tmp_path, make_docx):
    path = make_docx(tmp_path / "w.docx", [
        [("Participant ID:", True), (" P09", False)],
        [("Study:", True), (" VIG engagement", False)],
        [("Date:", True), (" 1 May 2024", False)],
        [("Interviewer:", True), (" Hello.", False)],
        [("Participant:", True), (" Hi.", False)],
    ])
    doc = read_one(path)
    assert speakers(doc) == [None, "Interviewer", "Participant"]
    assert body(doc, doc.turns[0]) == "Participant ID: P09\nStudy: VIG engagement\nDate: 1 May 2024"


def test_docx_bold_label_with_combining_characters(tmp_path, make_docx):
    path = make_docx(tmp_path / "w.docx", [[("Interviewer:", True), (" Hello.", False)],
                                           [("Zoe\u0308 Chloe\u0301:", True), ("Hi there.", False)]])
    doc = read_one(path)
    assert speakers(doc) == ["Interviewer", "Zoë Chloé"]
    assert body(doc, doc.turns[1]) == "Hi there."


# --- WebVTT and SubRip ------------------------------------------------------

TEAMS = """WEBVTT

NOTE
Recorded in Teams.

6426e790-8d2d/17-0
00:00:05.133 --> 00:00:12.170
<v Hannah Reid>How did it start?</v>

56e99d4f-090b/24-0
00:01:05.500 --> 00:01:09.000
<v Sam Patel>With the health visitor.</v>

a88d4e91-8e97/22-0
00:01:10.000 --> 00:01:15.250
<v Sam Patel>She came every week &amp; stayed.</v>

b99d4e91-8e97/22-0
00:01:20.000 --> 00:01:21.000
<v Hannah Reid>Thank you.</v>
"""

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Hannah Reid: How did it start?

2
00:00:05.000 --> 00:00:08.000
Dr Priya Shah: With a referral.

3
00:00:08.500 --> 00:00:11.000
Dr Priya Shah: Then a home visit.

4
00:00:12.000 --> 00:00:13.000
Hannah Reid: Thanks.
"""


@pytest.mark.parametrize("content, turns", [
    (TEAMS, [("Hannah Reid", 5.133, 12.17, "How did it start?"),
             ("Sam Patel", 65.5, 75.25, "With the health visitor. She came every week & stayed."),
             ("Hannah Reid", 80.0, 81.0, "Thank you.")]),
    (ZOOM, [("Hannah Reid", 1.0, 4.0, "How did it start?"),
            ("Dr Priya Shah", 5.0, 11.0, "With a referral. Then a home visit."),
            ("Hannah Reid", 12.0, 13.0, "Thanks.")]),
])
def test_vtt_speakers_times_and_merged_cues(tmp_path, content, turns):
    path = tmp_path / "call.vtt"
    path.write_text(content, encoding="utf-8")
    doc = read_one(path, interviewer=("Hannah Reid",))
    assert [(t.speaker, t.time_start, t.time_end, body(doc, t)) for t in doc.turns] == turns
    assert [t.is_interviewer for t in doc.turns] == [True, False, True]
    assert "Recorded in Teams" not in doc.text


def test_vtt_segment_times_come_from_their_cues(tmp_path, project):
    path = tmp_path / "call.vtt"
    path.write_bytes(("\ufeff" + TEAMS).replace("\n", "\r\n").encode("utf-8"))
    project.docs.import_paths([path])
    segs = [(s.speaker, s.text, s.time_start, s.time_end) for s in project.docs.segments("call")]
    assert segs == [("Hannah Reid", "How did it start?", 5.133, 12.17),
                    ("Sam Patel", "With the health visitor.", 65.5, 69.0),
                    ("Sam Patel", "She came every week & stayed.", 70.0, 75.25),
                    ("Hannah Reid", "Thank you.", 80.0, 81.0)]
    assert [(t["time_start"], t["time_end"]) for t in project.docs.turns("call")] == [(5.133, 12.17), (65.5, 75.25),
                                                                               (80.0, 81.0)]


def test_srt_times_and_speaker_carried_to_unlabelled_cues(tmp_path):
    path = tmp_path / "call.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,500\nAnna: Hello there.\n\n"
                    "2\n00:00:03,000 --> 00:00:04,000\nHow are you?\n\n"
                    "3\n00:01:05,500 --> 00:01:06,000\nBen: Fine thanks.\n\n"
                    "4\n00:01:07,000 --> 00:01:08,000\nAnna: Good.\n\n"
                    "5\n00:01:09,000 --> 00:01:10,000\nBen: And you?\n", encoding="utf-8")
    doc = read_one(path)
    assert [(t.speaker, t.time_start, t.time_end, body(doc, t)) for t in doc.turns] == [
        ("Anna", 1.0, 4.0, "Hello there. How are you?"), ("Ben", 65.5, 66.0, "Fine thanks."),
        ("Anna", 67.0, 68.0, "Good."), ("Ben", 69.0, 70.0, "And you?")]


# --- CSV --------------------------------------------------------------------

def test_csv_rows_become_documents_with_case_attributes(tmp_path, project):
    path = tmp_path / "survey.csv"
    path.write_text("participant_id,age_band,response,site\nR1,30-34,I liked it. A lot.,Trust A\n"
                    "R2,40-44,\"Not so much,\nto be honest.\",\nR3,50-54,,Trust B\n", encoding="utf-8")
    docs = read_path(path, ReadOptions())
    assert [(d.case, d.text) for d in docs] == [("R1", "I liked it. A lot."), ("R2", "Not so much,\nto be honest.")]
    report = project.docs.import_paths([path])
    assert report.count("imported") == 2
    assert any("R3" in n for n in report.notes)          # the empty answer is skipped, and said so
    cases = {c.name: c.attributes for c in project.cases.list()}
    assert cases == {"R1": {"age_band": "30-34", "site": "Trust A"}, "R2": {"age_band": "40-44"}}
    assert {d.name: d.case for d in project.docs.list()} == {"survey-R1": "R1", "survey-R2": "R2"}


def test_csv_named_columns(tmp_path, project):
    path = tmp_path / "answers.csv"
    path.write_text("who,said,group\nAmy,Too far to travel.,B\nBo,The film helped.,A\n", encoding="utf-8")
    with pytest.raises(InputError, match="answers.csv.*--text-column"):
        read_path(path, ReadOptions())
    project.docs.import_paths([path], text_column="said", id_column="WHO")
    assert {c.name: c.attributes for c in project.cases.list()} == {"Amy": {"group": "B"}, "Bo": {"group": "A"}}
    assert project.docs.text("answers-Bo") == "The film helped."


# --- segments and the offset invariant --------------------------------------

def assert_offsets_hold(project):
    """Every segment: Python slicing gives its text, SQLite substr() agrees, it sits inside its turn,
    and the segments of a turn cover every word of the turn's speech."""
    sqlite = {r["id"]: r["text"] for r in project.store.all("SELECT id, text FROM segment_texts")}
    rows = project.store.all("SELECT id, document_id, start_char, end_char FROM segments")
    assert rows and len(sqlite) == len(rows)
    for r in rows:
        assert sqlite[r["id"]] == project.docs.text(r["document_id"])[r["start_char"]:r["end_char"]]
    for d in project.docs.list():
        text = project.docs.text(d.id)
        segs = project.docs.segments(d.id)
        for s in segs:
            assert s.text and s.text == text[s.start:s.end] == s.text.strip()
        assert all(a.end <= b.start for a, b in zip(segs, segs[1:]))
        for t in project.docs.turns(d.id):
            mine = [s for s in segs if s.turn == t["ordinal"]]
            assert all(t["body_start"] <= s.start and s.end <= t["end_char"] for s in mine)
            said = text[t["body_start"]:t["end_char"]]
            assert "".join(said.split()) == "".join("".join(s.text.split()) for s in mine)


def test_segments_are_sentences_and_paragraphs_end_them(tmp_path, project):
    path = tmp_path / "s.txt"
    path.write_text("I: One thing. Another thing?\nR: A line with no stop\nand a second line\n\nA third", encoding="utf-8")
    project.docs.import_paths([path])
    assert [(s.speaker, s.text) for s in project.docs.segments("s")] == [
        ("I", "One thing."), ("I", "Another thing?"),
        ("R", "A line with no stop"), ("R", "and a second line"), ("R", "A third")]
    assert_offsets_hold(project)


def test_offsets_on_every_bundled_transcript(project):
    files = sorted(p for p in TRANSCRIPTS.iterdir() if p.suffix in (".txt", ".docx", ".vtt"))
    report = project.docs.import_paths(files, interviewer=DEMO_INTERVIEWER)
    assert report.count("imported") == len(files) == 8 and not report.failed
    assert_offsets_hold(project)


def test_offsets_on_an_awkward_file(tmp_path, project):
    path = tmp_path / "awkward.txt"
    text = ("\ufeffInterviewer: Hello 🙂 there. 你好世界。好吗？\r\n"
            "P01: Cafe\u0301 au lait 🙂🙂. Zoe\u0308 said hi 👍🏽.\r\n\r\nSecond para 😀 here\r\n"
            "Interviewer: ok 🇬🇧 fine.\r\n")
    path.write_bytes(text.encode("utf-8"))
    project.docs.import_paths([path])
    canonical = project.docs.text("awkward")
    assert "\ufeff" not in canonical and "\r" not in canonical and "Café" in canonical
    segs = [s.text for s in project.docs.segments("awkward")]
    # (the blank English sentencizer does not split CJK sentences with no space between them)
    assert segs == ["Hello 🙂 there.", "你好世界。好吗？", "Café au lait 🙂🙂.", "Zoë said hi 👍🏽.",
                    "Second para 😀 here", "ok 🇬🇧 fine."]
    assert_offsets_hold(project)


# --- bad input ----------------------------------------------------------------

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def _zip(**members) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _truncated_docx(tmp_path, make_docx) -> bytes:
    data = make_docx(tmp_path / "whole.docx", ["Interviewer: Hello.", "P01: Hi."]).read_bytes()
    (tmp_path / "whole.docx").unlink()
    return data[: len(data) // 2]


BAD = [
    # name, content (bytes, None = do not create, or a builder), error class, reason in the message
    ("notes.pages", b"Interviewer: hello", UnsupportedFormat, "unsupported file type '.pages'"),
    ("notes.pdf", b"%PDF-1.4 Interviewer: hello", InputError, "not a readable PDF"),
    ("gone.txt", None, InputError, "no such file"),
    ("empty.txt", b"", EmptyDocument, "empty"),
    ("blank.txt", b"  \r\n\t\n ", EmptyDocument, "empty"),
    ("picture.txt", PNG, DecodeFailed, "binary"),
    ("garbled.txt", b"I: caf\x81 \x8d\x90 ok", DecodeFailed, "cannot decode"),
    ("random.docx", bytes(range(256)) * 4, InputError, "not a valid .docx"),
    ("truncated.docx", _truncated_docx, InputError, "not a valid .docx"),
    ("notword.docx", _zip(**{"hello.txt": "Interviewer: hi"}), InputError, "corrupt .docx"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), InputError, "password-protected"),
    ("emptyword.docx", lambda tmp_path, make_docx: make_docx(tmp_path / "e.docx", ["", " "]).read_bytes(),
     EmptyDocument, "no text"),
    ("noheader.vtt", b"00:00:01.000 --> 00:00:02.000\nInterviewer: Hello.\n", InputError, "'WEBVTT'"),
    ("nocues.vtt", b"WEBVTT\n\nNOTE nothing was said\n", NoTurns, "no cues"),
    ("broken.srt", b"this is not\na subtitle file\n", InputError, "broken SubRip"),
    ("labels.txt", b"Interviewer:\n\nR:\n   \nInterviewer:\n", NoTurns, "no speaker turn with any words"),
    ("dots.txt", b"Interviewer: ...\nR: -- ?\n", NoTurns, "no speaker turn with any words"),
    ("nocolumn.csv", b"id,age\nP1,30\n", InputError, "which column holds the text"),
]


def _make_bad(tmp_path, make_docx, name, content) -> Path:
    path = tmp_path / name
    if callable(content):
        content = content(tmp_path, make_docx)
    if content is not None:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize("name, content, error, reason", BAD, ids=[b[0] for b in BAD])
def test_bad_input_raises_a_clear_error(tmp_path, make_docx, name, content, error, reason):
    path = _make_bad(tmp_path, make_docx, name, content)
    with pytest.raises(error) as info:
        read_path(path, ReadOptions())
    assert isinstance(info.value, GtcodeError)
    assert str(path) in str(info.value) and reason in str(info.value)


@pytest.mark.parametrize("name, content, error, reason", BAD, ids=[b[0] for b in BAD])
def test_bad_input_fails_alone_in_a_batch(tmp_path, make_docx, project, name, content, error, reason):
    bad = _make_bad(tmp_path, make_docx, name, content)
    before = tmp_path / "before.txt"
    after = tmp_path / "after.txt"
    before.write_text("Interviewer: Hello.\nP01: Hi there.\n", encoding="utf-8")
    after.write_text("Interviewer: Bye.\nP02: See you.\n", encoding="utf-8")
    report = project.docs.import_paths([before, bad, after])
    status = {Path(o.source).name: o for o in report.outcomes}
    assert status["before.txt"].status == status["after.txt"].status == "imported"
    assert status[name].status == "failed" and name in status[name].message and reason in status[name].message
    assert [d.name for d in project.docs.list()] == ["before", "after"]
    store = project.store
    assert store.scalar("SELECT count(*) FROM turns") == 4
    assert store.scalar("SELECT count(*) FROM segments") == 4
    assert store.scalar("SELECT count(*) FROM events WHERE summary LIKE ?", (f"%{name}%",)) == 0


# --- what the user typed: files, folders, globs -----------------------------

def test_folders_and_globs_expand_to_readable_files(tmp_path):
    from gtcode.ingest import expand_paths

    folder = tmp_path / "interviews"
    (folder / "site-b").mkdir(parents=True)
    for name in ("P01.txt", "site-b/P02.docx", "P03.vtt", "README.md", "participants.csv", "notes.pages",
                 ".hidden.txt", "P04.pdf"):
        (folder / name).write_text("x")
    files, problems, notes = expand_paths([folder])
    assert sorted(p.name for p in files) == ["P01.txt", "P02.docx", "P03.vtt", "P04.pdf"]
    assert problems == []
    assert any("README" in n for n in notes) and any("participants.csv" in n for n in notes)
    files, problems, _ = expand_paths([str(folder / "*.vtt"), str(folder / "*.srt"), tmp_path / "gone.txt"])
    assert [p.name for p in files] == ["P03.vtt"]
    assert problems == [(str(folder / "*.srt"), "no files match this pattern"),
                        (str(tmp_path / "gone.txt"), "no such file or folder")]


def test_binary_without_nul_bytes_is_still_refused(tmp_path):
    from gtcode.errors import DecodeFailed

    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 32)) * 40 + b"some text")
    with pytest.raises(DecodeFailed, match="binary file"):
        read_path(path)
