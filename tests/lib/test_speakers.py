"""Speaker turns: which line openings are speaker labels, who is the interviewer,
and what stays inside a turn (quoted speech, header lines) — on small files and
on the bundled sample transcripts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gtcode.demo import DEMO_INTERVIEWER
from gtcode.ingest import DEFAULT_INTERVIEWER, ReadOptions, read_path

from tests.conftest import TRANSCRIPTS, body, speakers

DEMO = tuple(DEMO_INTERVIEWER.split(","))


def read_txt(tmp_path: Path, text: str, name: str = "t.txt", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    docs = read_path(path, ReadOptions(**options))
    assert len(docs) == 1
    return docs[0]


# --- the label forms --------------------------------------------------------

@pytest.mark.parametrize("line, speaker", [
    ("Interviewer: The film helped a lot.", "Interviewer"),
    ("I: The film helped a lot.", "I"),
    ("R: The film helped a lot.", "R"),
    ("P01: The film helped a lot.", "P01"),
    ("Participant 3: The film helped a lot.", "Participant 3"),
    ("Q: The film helped a lot.", "Q"),
    ("A: The film helped a lot.", "A"),
    ("[00:01:23] Hannah Reid: The film helped a lot.", "Hannah Reid"),
    ("**Dr Priya Shah:** The film helped a lot.", "Dr Priya Shah"),
    ("**Priya** : The film helped a lot.", "Priya"),
    ("INTERVIEWER: The film helped a lot.", "INTERVIEWER"),
])
def test_a_single_labelled_line_is_one_turn_by_that_speaker(tmp_path, line, speaker):
    doc = read_txt(tmp_path, line + "\n")
    assert speakers(doc) == [speaker]
    assert body(doc, doc.turns[0]) == "The film helped a lot."
    assert doc.text[doc.turns[0].start:doc.turns[0].end] == line


def test_upper_case_names_are_speakers_when_they_recur_but_a_header_is_not(tmp_path):
    doc = read_txt(tmp_path, "ID: P02\nMARIA LOPEZ: The film helped.\nSAM: Why?\nMARIA LOPEZ: It showed me.\nSAM: Thanks.\n")
    assert speakers(doc) == [None, "MARIA LOPEZ", "SAM", "MARIA LOPEZ", "SAM"]


def test_a_zoom_speaker_who_speaks_once_still_gets_a_turn(tmp_path):
    vtt = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAnna Smith: Hello there.\n\n"
           "2\n00:00:02.000 --> 00:00:03.000\nAnna Smith: Shall we start?\n\n"
           "3\n00:00:03.000 --> 00:00:04.000\nBob: Bye all.\n")
    path = tmp_path / "zoom.vtt"
    path.write_text(vtt, encoding="utf-8")
    from gtcode.ingest import read_path
    doc = read_path(path)[0]
    assert speakers(doc) == ["Anna Smith", "Bob"]
    assert body(doc, doc.turns[1]) == "Bye all."


@pytest.mark.parametrize("stamp, seconds", [
    ("[00:01:23]", 83.0), ("[01:02:03.5]", 3723.5), ("(00:00:07)", 7.0), ("12:30", 750.0),
])
def test_timestamp_before_the_label_is_kept_as_the_turn_time(tmp_path, stamp, seconds):
    doc = read_txt(tmp_path, f"{stamp} Interviewer: How did it start?\n\n{stamp} P04: With the health visitor.\n")
    assert speakers(doc) == ["Interviewer", "P04"]
    assert [t.time_start for t in doc.turns] == [seconds, seconds]
    assert body(doc, doc.turns[1]) == "With the health visitor."


def test_title_case_names_that_recur_are_speakers(tmp_path):
    doc = read_txt(tmp_path, "Sarah Jones: Hello.\nTom: Hi there.\nSarah Jones: How are you?\nTom: Fine.\n")
    assert speakers(doc) == ["Sarah Jones", "Tom", "Sarah Jones", "Tom"]


def test_new_turn_at_every_label_and_unlabelled_lines_continue(tmp_path):
    doc = read_txt(tmp_path, "I: First question?\nR: First answer.\nIt went on a bit.\n\nAnd on.\nI: Next?\n")
    assert speakers(doc) == ["I", "R", "I"]
    assert body(doc, doc.turns[1]) == "First answer.\nIt went on a bit.\n\nAnd on."


# --- what is not a new turn ---------------------------------------------------

REPORTED = """\
Interviewer: What did people say to you?
P01: Everyone had an opinion.
"Just leave him to cry," my sister said.
“You’re doing fine,” the nurse told me.
'Stop: now,' she said.
My mum said: you'll be fine.
Mum: stop it, you're making a fuss.
And that was that, really.
Interviewer: Thank you.
"""


def test_quoted_and_reported_speech_stays_in_the_participants_turn(tmp_path):
    doc = read_txt(tmp_path, REPORTED)
    assert speakers(doc) == ["Interviewer", "P01", "Interviewer"]
    said = body(doc, doc.turns[1])
    for line in REPORTED.splitlines()[1:8]:
        assert line.removeprefix("P01: ") in said
    assert said.endswith("And that was that, really.")


def test_header_lines_before_the_first_turn_are_an_unattributed_preamble(tmp_path):
    header = "Participant ID: P02\nStudy: VIG engagement\nDate: 19 March 2024\nSite: Trust A\nMode: Teams"
    doc = read_txt(tmp_path, header + "\n\nI: Shall we start?\nR: Yes.\n")
    assert speakers(doc) == [None, "I", "R"]
    preamble = doc.turns[0]
    assert doc.text[preamble.start:preamble.end] == header
    assert not preamble.is_interviewer


# --- speaker_pattern --------------------------------------------------------

def test_speaker_pattern_replaces_the_built_in_labels(tmp_path):
    text = "Anna > Hello there.\nBen > Hi. Interviewer: is not a label here.\nInterviewer: nor here.\nAnna > Bye.\n"
    doc = read_txt(tmp_path, text, speaker_pattern=r"(?P<speaker>\w+) > ")
    assert speakers(doc) == ["Anna", "Ben", "Anna"]
    assert body(doc, doc.turns[1]) == "Hi. Interviewer: is not a label here.\nInterviewer: nor here."
    assert body(doc, doc.turns[0]) == "Hello there."


def test_speaker_pattern_through_import(project, tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("<Hannah> How was it?\n<Zoe> Good.\n<Hannah> Thanks.\n", encoding="utf-8")
    report = project.docs.import_paths([path], speaker_pattern=r"<(\w+)> ", interviewer="Hannah")
    assert report.count("imported") == 1
    turns = project.docs.turns("chat")
    assert [(t["speaker"], t["is_interviewer"]) for t in turns] == [("Hannah", 1), ("Zoe", 0), ("Hannah", 1)]


# --- interviewer marking ----------------------------------------------------

LABELS = ["Interviewer", "I", "Q", "Researcher", "Moderator", "Facilitator", "R", "A", "P01", "Participant 2",
          "Hannah Reid", "Hannah Reid (Researcher)"]


def _labelled(tmp_path, **options):
    # twice over: a Title-Case name only counts as a speaker when it opens two lines
    doc = read_txt(tmp_path, "".join(f"{label}: Line {n}.\n" for n, label in enumerate(LABELS * 2)), **options)
    assert speakers(doc) == LABELS * 2
    return {t.speaker: t.is_interviewer for t in doc.turns}


def test_default_interviewer_list(tmp_path):
    marked = _labelled(tmp_path)
    assert {s for s, i in marked.items() if i} == {
        "Interviewer", "I", "Q", "Researcher", "Moderator", "Facilitator", "Hannah Reid (Researcher)"}
    assert "Interviewer" in DEFAULT_INTERVIEWER


def test_custom_interviewer_list_replaces_the_default(tmp_path):
    marked = _labelled(tmp_path, interviewer=("Hannah Reid",))
    assert {s for s, i in marked.items() if i} == {"Hannah Reid", "Hannah Reid (Researcher)"}


def test_interviewer_names_given_as_one_string_on_import(project, tmp_path):
    path = tmp_path / "P09.txt"
    path.write_text("Hannah Reid: Hello.\nDr Priya Shah: Hi.\nHannah Reid: Thanks.\nDr Priya Shah: Bye.\n")
    project.docs.import_paths([path], interviewer=" Interviewer, Hannah Reid ")
    assert [(t["speaker"], t["is_interviewer"]) for t in project.docs.turns("P09")] == [
        ("Hannah Reid", 1), ("Dr Priya Shah", 0), ("Hannah Reid", 1), ("Dr Priya Shah", 0)]


# --- the bundled sample transcripts -----------------------------------------

SAMPLES = {
    # file: (interviewer label, participant label, turn times?)
    "P01.docx": ("Interviewer", "Participant", False),
    "P02.txt": ("I", "R", False),
    "P03.vtt": ("Hannah Reid (Researcher)", "P03", True),
    "P04_interview.txt": ("Interviewer", "P04", True),
    "P05.docx": ("Interviewer", "Participant 5", False),
    "P06.vtt": ("Hannah Reid", "Dr Priya Shah", True),
    "P07.txt": ("INTERVIEWER", "PARTICIPANT", False),
    "P08.docx": ("Q", "A", False),
}
HEADERISH = re.compile(r"^(participant id|study|site|date|mode|role|duration|interview mode|transcription)\b", re.I)


def read_sample(name: str, interviewer=DEMO):
    docs = read_path(TRANSCRIPTS / name, ReadOptions(interviewer=interviewer))
    assert len(docs) == 1
    return docs[0]


def test_every_bundled_transcript_is_covered():
    on_disk = {p.name for p in TRANSCRIPTS.iterdir() if p.suffix in (".txt", ".docx", ".vtt")}
    assert on_disk == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_transcript_speakers(name):
    interviewer, participant, timed = SAMPLES[name]
    doc = read_sample(name)
    named = [t for t in doc.turns if t.speaker is not None]
    assert {t.speaker for t in named} == {interviewer, participant}
    assert len(named) >= 40
    # turns alternate: a missed label would merge two turns and put one speaker twice in a row
    assert all(a.speaker != b.speaker for a, b in zip(named, named[1:]))
    assert all(t.is_interviewer == (t.speaker == interviewer) for t in doc.turns)
    # at most one unattributed turn, and only as a preamble before the interview
    assert [i for i, t in enumerate(doc.turns) if t.speaker is None] in ([], [0])
    assert not [t.speaker for t in named if HEADERISH.match(t.speaker)]
    # no label of either speaker left inside a turn's speech
    for t in named:
        for line in body(doc, t).split("\n")[1:]:
            assert not line.startswith((f"{interviewer}:", f"{participant}:")), (t.speaker, line)
    if timed:
        starts = [t.time_start for t in named]
        assert None not in starts and starts == sorted(starts)
    else:
        assert all(t.time_start is None for t in named)


@pytest.mark.parametrize("name", ["P01.docx", "P02.txt", "P04_interview.txt", "P05.docx", "P07.txt", "P08.docx"])
def test_sample_header_is_the_preamble_not_a_speaker(name):
    doc = read_sample(name)
    preamble = doc.turns[0]
    assert preamble.speaker is None
    head = doc.text[preamble.start:preamble.end]
    assert head.startswith("FICTIONAL TRANSCRIPT")
    assert "Participant ID" in head and "Study:" in head


@pytest.mark.parametrize("name, first, start, end", [
    ("P03.vtt", "Hannah Reid (Researcher)", 5.133, 12.17),
    ("P06.vtt", "Hannah Reid", 5.083, 11.379),
    ("P04_interview.txt", "Interviewer", 5.0, None),
])
def test_sample_first_turn_times(name, first, start, end):
    doc = read_sample(name)
    turn = next(t for t in doc.turns if t.speaker)
    assert (turn.speaker, turn.time_start, turn.time_end) == (first, start, end)


@pytest.mark.parametrize("name, speaker, line", [
    ("P01.docx", "Participant", "His mum said: she's got your eyes"),
    ("P04_interview.txt", "P04", "My mum said: you'll be fine"),
    ("P05.docx", "Participant 5", "Her nan said: don’t make a fuss"),
    ("P02.txt", "R", '"Look at him watching you," she said.'),
])
def test_sample_reported_speech_stays_in_the_participants_turn(name, speaker, line):
    doc = read_sample(name)
    at = doc.text.index(line)
    assert doc.text[at - 1] == "\n"   # it opens a line, so it looks like a label
    (turn,) = [t for t in doc.turns if t.start <= at < t.end]
    assert turn.speaker == speaker and at > turn.body_start


@pytest.mark.parametrize("name, interviewer, marked", [
    ("P06.vtt", DEFAULT_INTERVIEWER, set()),                       # the default list does not know Hannah Reid
    ("P06.vtt", ("Hannah Reid",), {"Hannah Reid"}),
    ("P03.vtt", DEFAULT_INTERVIEWER, {"Hannah Reid (Researcher)"}),  # "Researcher" in the name is enough
    ("P08.docx", DEFAULT_INTERVIEWER, {"Q"}),
    ("P08.docx", ("Hannah Reid",), set()),
])
def test_sample_interviewer_depends_on_the_list(name, interviewer, marked):
    doc = read_sample(name, interviewer)
    assert {t.speaker for t in doc.turns if t.is_interviewer} == marked
