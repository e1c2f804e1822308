"""Producer layouts of text transcripts: Zoom, Otter, Rev, Google Meet, WhisperX, German/f4 and labelled lines.

Each fixture is written in the producer's exact layout (studied from real exports) with invented content. The
tests check who speaks, roles, times, front matter, quoted turns, and that every turn's speech span holds
exactly the words said (no head line, time line, stamp or `>` inside it).
"""

from __future__ import annotations

import pytest

from gtcode.errors import Invalid
from gtcode.ingest import ReadOptions, read_path
from gtcode.ingest.layouts import LAYOUTS, find_layout

ZOOM = """[Hannah Reid] 11:02:09
Thanks for joining me today. Shall we start with how you heard about VIG?

[Priya Shah] 11:02:31
The health visitor mentioned it at the six-week check.
I wasn't sure at first.

[Hannah Reid] 11:03:05
What made you unsure?
"""
OTTER = """Hannah Reid  0:03
Thanks for joining me today. Shall we start with how you heard about VIG?

Priya Shah  0:21
The health visitor mentioned it. Mum: you'll be fine, she said.

Hannah Reid  1:02:05
What made you unsure?

Transcribed by https://otter.ai
"""
REV = """Hannah Reid (00:00):
Thanks for joining me today.

Dr Priya Shah (Consultant Perinatal Psy... (00:12):
The health visitor mentioned it.

Hannah Reid (01:05):
What made you unsure? [inaudible 00:06:18] Sorry, go on.

Dr Priya Shah (Consultant Perinatal Psychiatrist) (01:20):
The filming, mostly.
"""
MEET = """VIG interview P12 (2024-03-19 10:02 GMT) - Transcript
Attendees
Hannah Reid, Priya Shah
Transcript
00:00:00

Hannah Reid: Thanks for joining me today.
Priya Shah: Happy to help.
Hannah Reid: How did you hear about VIG?
00:05:00

Priya Shah: The health visitor mentioned it.
Meeting ended after 00:07:41 👋
"""
WHISPERX = """# Transcript

[00:00:01.000 --> 00:00:04.500] SPEAKER_00: Thanks for joining me today.
[00:00:05.000 --> 00:00:09.250] SPEAKER_01: Happy to help. It was the health visitor.
**SPEAKER_00** [00:12]: What made you unsure?
**SPEAKER_01 [00:15]:** The filming, mostly.
"""
GERMAN = """Interview P07, Standort B
Transkription nach Dresing & Pehl

I: Wie haben Sie von VIG erfahren? #00:00:12-3#

B: Über die Hebamme. Sie hat es mir erzählt. #00:00:31-0#

I: Und wie war das für Sie? #00:00:40-5#

IP: Ehrlich gesagt, am Anfang komisch. (lacht) #00:01:02-8#
"""
QUOTED = """MEL: How did the others react?

ANNA: Some were keen. One of them said it best:

> JACKIE: I can fork it.
>
> And then we'll see.

That stuck with me.

MEL, TYPING: Noted.

CAPTIONER: [crosstalk]

ANNA: Anyway.
"""


def read(tmp_path, text, name="t.txt", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [doc] = read_path(path, ReadOptions(**options))
    return doc


def said(doc):
    """(kind, speaker, role, speech) of every turn."""
    return [(t.kind, t.speaker, t.speaker_role, doc.text[t.body_start:t.end]) for t in doc.turns]


def test_zoom_saved_transcript(tmp_path):
    doc = read(tmp_path, ZOOM, interviewer=("Hannah Reid",))
    assert doc.layout == "Zoom saved transcript"
    assert said(doc) == [
        ("speech", "Hannah Reid", "interviewer", "Thanks for joining me today. Shall we start with how you heard about VIG?"),
        ("speech", "Priya Shah", "participant", "The health visitor mentioned it at the six-week check.\nI wasn't sure at first."),
        ("speech", "Hannah Reid", "interviewer", "What made you unsure?")]
    # clock times count from the first head line, so they point into the recording
    assert [t.time_start for t in doc.turns] == [0.0, 22.0, 56.0]
    assert doc.text == ZOOM   # the text is the file's; head lines sit before each turn's speech
    assert doc.text[doc.turns[1].start:doc.turns[1].body_start].strip() == "[Priya Shah] 11:02:31"


def test_otter_text_keeps_reported_speech_and_the_footer_out(tmp_path):
    doc = read(tmp_path, OTTER)
    assert doc.layout == "Otter.ai text"
    assert said(doc) == [
        ("speech", "Hannah Reid", "participant", "Thanks for joining me today. Shall we start with how you heard about VIG?"),
        ("speech", "Priya Shah", "participant", "The health visitor mentioned it. Mum: you'll be fine, she said."),
        ("speech", "Hannah Reid", "participant", "What made you unsure?"),
        ("front", None, "other", "Transcribed by https://otter.ai")]
    assert [t.time_start for t in doc.turns[:3]] == [3.0, 21.0, 3725.0]


def test_otter_without_speakers_is_one_unknown_speaker_with_times(tmp_path):
    text = "0:00  \nIt started at the eight-week check.\n\n0:15  \nThen the referral came.\n\nTranscribed by https://otter.ai\n"
    doc = read(tmp_path, text)
    assert [(t.kind, t.speaker, t.time_start) for t in doc.turns] == [
        ("speech", None, 0.0), ("speech", None, 15.0), ("front", None, None)]
    assert doc.text[doc.turns[1].body_start:doc.turns[1].end] == "Then the referral came."


def test_rev_joins_a_label_cut_short_and_keeps_events_whole(tmp_path):
    doc = read(tmp_path, REV, interviewer=("Hannah Reid",))
    assert doc.layout == "Rev"
    full = "Dr Priya Shah (Consultant Perinatal Psychiatrist)"
    assert said(doc) == [
        ("speech", "Hannah Reid", "interviewer", "Thanks for joining me today."),
        ("speech", full, "participant", "The health visitor mentioned it."),
        ("speech", "Hannah Reid", "interviewer", "What made you unsure? [inaudible 00:06:18] Sorry, go on."),
        ("speech", full, "participant", "The filming, mostly.")]
    assert [t.time_start for t in doc.turns] == [0.0, 12.0, 65.0, 80.0]


def test_google_meet_front_matter_and_time_lines(tmp_path):
    doc = read(tmp_path, MEET, interviewer=("Hannah Reid",))
    assert doc.layout == "Google Meet / Gemini"
    assert [(k, s) for k, s, _, _ in said(doc)] == [
        ("front", None), ("speech", "Hannah Reid"), ("speech", "Priya Shah"), ("speech", "Hannah Reid"),
        ("speech", "Priya Shah"), ("front", None)]
    front = doc.turns[0]
    assert doc.text[front.start:front.end].split("\n") == [
        "VIG interview P12 (2024-03-19 10:02 GMT) - Transcript", "Attendees", "Hannah Reid, Priya Shah", "Transcript"]
    assert [t.time_start for t in doc.turns] == [None, 0.0, None, None, 300.0, None]
    assert "00:05:00" not in "".join(doc.text[t.start:t.end] for t in doc.turns)   # a time line is no turn's text
    assert said(doc)[4][3] == "The health visitor mentioned it."


def test_whisperx_markdown_variants(tmp_path):
    doc = read(tmp_path, WHISPERX, name="t.md")
    assert doc.layout == "WhisperX Markdown"
    assert said(doc) == [
        ("front", None, "other", "# Transcript"),
        ("speech", "SPEAKER_00", "participant", "Thanks for joining me today."),
        ("speech", "SPEAKER_01", "participant", "Happy to help. It was the health visitor."),
        ("speech", "SPEAKER_00", "participant", "What made you unsure?"),
        ("speech", "SPEAKER_01", "participant", "The filming, mostly.")]
    assert [(t.time_start, t.time_end) for t in doc.turns[1:]] == [(1.0, 4.5), (5.0, 9.25), (12.0, None), (15.0, None)]


def test_german_f4_stamps_are_times_not_speech(tmp_path):
    doc = read(tmp_path, GERMAN)
    assert doc.layout == "German/Continental (I:/B:, f4)"
    assert said(doc) == [
        ("front", None, "other", "Interview P07, Standort B\nTranskription nach Dresing & Pehl"),
        ("speech", "I", "interviewer", "Wie haben Sie von VIG erfahren?"),
        ("speech", "B", "participant", "Über die Hebamme. Sie hat es mir erzählt."),
        ("speech", "I", "interviewer", "Und wie war das für Sie?"),
        ("speech", "IP", "participant", "Ehrlich gesagt, am Anfang komisch. (lacht)")]
    # a stamp ends its paragraph, so it is that turn's end and the next turn's start
    assert [(t.time_start, t.time_end) for t in doc.turns[1:]] == [(None, 12.3), (12.3, 31.0), (31.0, 40.5),
                                                                    (40.5, 62.8)]


def test_quotes_qualifiers_and_one_off_voices(tmp_path):
    doc = read(tmp_path, "MEL: Shall we start?\n\n" + QUOTED, interviewer=("MEL",))
    assert said(doc) == [
        ("speech", "MEL", "interviewer", "Shall we start?"),
        ("speech", "MEL", "interviewer", "How did the others react?"),
        ("speech", "ANNA", "participant", "Some were keen. One of them said it best:"),
        ("quoted", "JACKIE", "other", "I can fork it."),
        ("quoted", "JACKIE", "other", "And then we'll see."),          # the bare `>` between is no turn
        ("speech", "ANNA", "participant", "That stuck with me."),        # ANNA goes on after the quote
        ("speech", "MEL, TYPING", "interviewer", "Noted."),              # MEL's role, the whole label kept
        ("speech", "CAPTIONER", "other", "[crosstalk]"),                 # a one-off voice, not ANNA's words
        ("speech", "ANNA", "participant", "Anyway.")]


def test_an_unattributed_quote_and_a_one_off_title_case_name_stays_in_the_turn(tmp_path):
    text = "Interviewer: What did she say?\nP01: She said:\n> you will be fine\nMum: stop fussing.\nInterviewer: Ok.\n"
    doc = read(tmp_path, text)
    assert [(k, s) for k, s, _, _ in said(doc)] == [
        ("speech", "Interviewer"), ("speech", "P01"), ("quoted", None), ("speech", "P01"), ("speech", "Interviewer")]
    assert said(doc)[3][3] == "Mum: stop fussing."


def test_text_without_labels_is_one_unknown_speaker_never_named_from_the_text(tmp_path):
    doc = read(tmp_path, "It was hard at first.\nSarah said it would get easier.\n")
    assert [(t.kind, t.speaker, t.speaker_role) for t in doc.turns] == [("speech", None, "participant")]
    assert doc.layout == "Plain text (no speaker labels)"


def test_standalone_and_inline_stamps_in_labelled_lines(tmp_path):
    text = "Interviewer: Tell me more.\n00:01:10\nP01: Well. [00:01:15] It was the filming.\n[00:01:30] And the room.\n"
    doc = read(tmp_path, text)
    assert said(doc) == [("speech", "Interviewer", "interviewer", "Tell me more."),
                         ("speech", "P01", "participant", "Well. [00:01:15] It was the filming."),
                         ("speech", "P01", "participant", "And the room.")]
    p01 = doc.turns[1]
    assert p01.time_start == 70.0 and (text.index("[00:01:15]"), 75.0, None) in p01.anchors
    assert doc.turns[2].time_start == 90.0


def test_layout_can_be_forced_and_an_unknown_one_is_named(tmp_path):
    doc = read(tmp_path, "Hannah Reid: Hello there.\nPriya: Hi.\n", layout="meet")
    assert doc.layout == "Google Meet / Gemini"
    assert [t.speaker for t in doc.turns] == ["Hannah Reid", "Priya"]     # every line labelled: one-offs count
    with pytest.raises(Invalid, match="unknown layout.*zoom.*otter.*rev.*meet.*whisperx.*german.*labelled"):
        find_layout("teams-ish")
    assert {lay.key for lay in LAYOUTS} == {"zoom", "otter", "rev", "meet", "whisperx", "german", "labelled"}
