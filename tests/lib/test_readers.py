"""The file formats researchers bring: PDF, HTML, ODT, RTF, CHAT, ELAN, Whisper TSV/JSON, and awkward captions.

Every fixture is fictional, written in the producer's own layout (the PDFs under tests/fixtures/pdf were
printed by LibreOffice from Word files; see make_pdfs.py there). Each test checks speakers, roles, turns,
times and that every turn's offsets land on its words.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from gtcode.ingest import ReadOptions, read_path

from tests.conftest import body, speakers

PDFS = Path(__file__).parent.parent / "fixtures" / "pdf"


def read_one(path: Path, **options):
    docs = read_path(path, ReadOptions(**options))
    assert len(docs) == 1
    return docs[0]


def spoken(doc):
    """(speaker, role, time_start, words) of each turn that is speech."""
    return [(t.speaker, t.speaker_role, t.time_start, body(doc, t)) for t in doc.turns if t.kind == "speech"]


def assert_offsets(doc):
    for t in doc.turns:
        assert 0 <= t.start <= t.body_start <= t.end <= len(doc.text)
        said = doc.text[t.body_start:t.end]
        assert said == said.strip() and said


# --- PDF ----------------------------------------------------------------------------------------------------------

def write_pdf(path: Path, pages: list[list[str]], gap: float = 6.6) -> Path:
    """A PDF in which every word is its own text object, placed absolutely (as some exporters write them).

    Courier 11pt: each character is 6.6pt wide, so `gap` is the space between words (a wide gap reads as
    tabs, and defeats line grouping in simpler extractors).
    """
    objects: list[bytes] = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"]
    parent = 2 + 2 * len(pages)
    kids = []
    for lines in pages:
        ops, y = [], 760
        for line in lines:
            x = 72.0
            for word in line.split(" ") if line else []:
                esc = word.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(f"BT /F1 11 Tf 1 0 0 1 {x:.1f} {y} Tm ({esc}) Tj ET")
                x += 6.6 * len(word) + gap
            y -= 15
        stream = "\n".join(ops).encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 1 0 R >> >> >>" % (parent, len(objects)))
        kids.append(len(objects))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{k} 0 R" for k in kids).encode(),
                                                                  len(kids)))
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(objects), xref)
    path.write_bytes(bytes(out))
    return path


def test_pdf_from_word_rejoins_wrapped_lines_and_drops_the_running_footer():
    doc = read_one(PDFS / "word-export.pdf")
    turns = spoken(doc)
    assert len(turns) == 12 and [s for s, *_ in turns[:4]] == ["Interviewer", "P07", "Interviewer", "P07"]
    assert [(r, t) for _, r, t, _ in turns[:4]] == [("interviewer", 4.0), ("participant", 12.0),
                                                    ("interviewer", 90.0), ("participant", 95.0)]
    # one paragraph per turn, wrapped lines joined with a space, the footer on every page gone
    assert turns[1][3] == ("We walked to the clinic on the hill every second Tuesday, and the nurse there kept a "
                           "small garden of herbs by the door, which my daughter liked to smell while we waited for "
                           "our turn in the queue. It was the first time anyone asked me (laughs) what I thought.")
    assert "Confidential transcript" not in doc.text and any("Confidential transcript" in n for n in doc.notes)
    assert doc.text.startswith("Interview 7: home visits\nDate: 3 March 2031.")
    assert doc.format == "pdf"
    assert_offsets(doc)


def test_pdf_from_maxqda_with_german_labels_and_stamps():
    doc = read_one(PDFS / "maxqda-export.pdf")
    turns = spoken(doc)
    assert len(turns) == 16 and {s for s, *_ in turns} == {"I", "B"}
    assert turns[0][3] == "Wie war der erste Besuch für Sie? #00:00:07-2#" or turns[0][3].startswith("Wie war")
    assert turns[1][3].startswith("Also, am Anfang war ich unsicher, weil ich nicht wusste, was die Pflegerin von "
                                  "mir erwartet,")   # justified text: the wide spaces are single spaces again
    assert_offsets(doc)


def test_pdf_from_sonix_keeps_the_preamble_apart():
    doc = read_one(PDFS / "sonix-export.pdf")
    turns = spoken(doc)
    assert [(s, t) for s, _, t, _ in turns[:4]] == [("Speaker1", 0.0), ("Speaker2", 6.0), ("Speaker1", 40.0),
                                                    ("Speaker2", 44.0)]
    assert doc.turns[0].speaker is None and "Transcribed by" in doc.text[doc.turns[0].start:doc.turns[0].end]


@pytest.mark.parametrize("gap", [6.6, 30.0], ids=["word-by-word", "tabs-between-words"])
def test_pdf_words_placed_one_by_one_read_as_lines(tmp_path, gap):
    lines = ["I: How did the visits start for you?", "B: With a letter from the surgery, and then",
             "a phone call the week after.", "", "I: And then?", "B: Then it got easier."]
    doc = read_one(write_pdf(tmp_path / "t.pdf", [lines], gap=gap))
    assert doc.text == ("I: How did the visits start for you?\n"
                        "B: With a letter from the surgery, and then a phone call the week after.\n"
                        "I: And then?\nB: Then it got easier.")
    assert speakers(doc) == ["I", "B", "I", "B"]


def test_pdf_page_numbers_go_and_a_sentence_continues_over_the_page_break(tmp_path):
    pages = [["Interviewer: Where did you live then?", "Maya: By the canal, in a flat that was always",
              "", "", "1"],
             ["cold in winter and loud in summer.", "Interviewer: Thank you.", "Maya: You are welcome.", "", "",
              "2"]]
    doc = read_one(write_pdf(tmp_path / "p.pdf", pages))
    assert spoken(doc)[1][3] == "By the canal, in a flat that was always cold in winter and loud in summer."
    assert [s for s, *_ in spoken(doc)] == ["Interviewer", "Maya", "Interviewer", "Maya"]
    assert "1" not in doc.text and "2" not in doc.text


def test_pdf_without_text_is_refused_with_a_reason(tmp_path):
    from gtcode.errors import EmptyDocument

    path = write_pdf(tmp_path / "scan.pdf", [[]])
    with pytest.raises(EmptyDocument, match="scan.pdf.*no text layer"):
        read_path(path, ReadOptions())


# --- HTML -----------------------------------------------------------------------------------------------------------

PODCAST = """<!DOCTYPE html>
<html><head><title>Garden hour, episode 4</title><script>var tracking = "no words here";</script></head>
<body><nav><a href="/">Home</a> <a href="/episodes">Episodes</a></nav>
<main>
<cite>Mara:</cite>
<time>0:00</time>
<p>Welcome back to the garden hour.</p>
<cite>Joss:</cite>
<time>0:07</time>
<p>Thanks, it is good to be here.</p>
<p>I brought &amp; planted the beans.</p>
<cite>Mara:</cite>
<time>1:02:03</time>
<p>Lovely.</p>
</main><footer>© a podcast host</footer></body></html>
"""


def test_html_podcast_transcript_with_cite_and_time(tmp_path):
    path = tmp_path / "episode.html"
    path.write_text(PODCAST, encoding="utf-8")
    doc = read_one(path, interviewer=("Mara",))
    assert spoken(doc) == [("Mara", "interviewer", 0.0, "Welcome back to the garden hour."),
                           ("Joss", "participant", 7.0, "Thanks, it is good to be here. I brought & planted the beans."),
                           ("Mara", "interviewer", 3723.0, "Lovely.")]
    assert "tracking" not in doc.text and "Episodes" not in doc.text and doc.format == "html"
    assert_offsets(doc)


def test_html_paragraphs_with_bold_labels(tmp_path):
    path = tmp_path / "interview.htm"
    path.write_text("<html><body><h1>Interview 2</h1>\n<p><b>Interviewer:</b> How did you find the group?</p>\n"
                    "<p><strong>Ana</strong>: It was <i>really</i> kind\n   &amp; warm.</p>\n"
                    "<p><b>Interviewer:</b> Go on.</p><p><b>Ana:</b> We met on Mondays.</p></body></html>",
                    encoding="utf-8")
    doc = read_one(path)
    assert spoken(doc) == [("Interviewer", "interviewer", None, "How did you find the group?"),
                           ("Ana", "participant", None, "It was really kind & warm."),
                           ("Interviewer", "interviewer", None, "Go on."),
                           ("Ana", "participant", None, "We met on Mondays.")]
    assert doc.text.startswith("Interview 2\nInterviewer: How")


# --- ODT and RTF ------------------------------------------------------------------------------------------------

ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def write_odt(path: Path, body: str, head: str = "") -> Path:
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<office:document-content {ODF_NS} office:version="1.3">'
               '<office:automatic-styles><style:style style:name="T1" style:family="text">'
               '<style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>'
               f'<office:body><office:text>{body}</office:text></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return path


def test_odt_paragraphs_bold_labels_spaces_and_tables(tmp_path):
    body = ('<text:h text:outline-level="1">Visit 5</text:h>'
            '<text:p><text:span text:style-name="T1">Researcher:</text:span> So, the<text:s text:c="2"/>kitchen?'
            '<office:annotation><dc:creator>Reviewer</dc:creator><text:p>check this</text:p></office:annotation></text:p>'
            '<text:p><text:span text:style-name="T1">Lou</text:span>: It was the warm room<text:note><text:note-body>'
            '<text:p>A footnote.</text:p></text:note-body></text:note>.<text:line-break/>We ate there.</text:p>'
            '<table:table><table:table-row><table:table-cell><text:p>Researcher:</text:p></table:table-cell>'
            '<table:table-cell><text:p>And now?</text:p></table:table-cell></table:table-row></table:table>')
    doc = read_one(write_odt(tmp_path / "visit.odt", body), interviewer=("Researcher",))
    assert spoken(doc) == [("Researcher", "interviewer", None, "So, the  kitchen?"),
                           ("Lou", "participant", None, "It was the warm room. We ate there."),
                           ("Researcher", "interviewer", None, "And now?")]
    assert "check this" not in doc.text and "footnote" not in doc.text and doc.format == "odt"
    assert_offsets(doc)


def test_rtf_speakers_and_escaped_characters(tmp_path):
    path = tmp_path / "notes.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}{\info{\title Visit}}\f0 "
                     rb"{\b Interviewer:} How was it?\par {\b P01:} Caf\'e9 was fine \u8212? really.\par "
                     rb"{\b Interviewer:} Good.\par}")
    doc = read_one(path)
    assert spoken(doc) == [("Interviewer", "interviewer", None, "How was it?"),
                           ("P01", "participant", None, "Café was fine — really."),
                           ("Interviewer", "interviewer", None, "Good.")]
    assert "Visit" not in doc.text and "Arial" not in doc.text


# --- CHAT and ELAN --------------------------------------------------------------------------------------------------

CHAT = ("@UTF8\n@Begin\n@Languages:\teng\n@Participants:\tPAR Nell_Ward Participant, INV Investigator\n"
        "@ID:\teng|homevisits|PAR|71;|female|||Participant|||\n@ID:\teng|homevisits|INV|||||Investigator|||\n"
        "@Media:\tvisit3, audio\n"
        "*INV:\tso how did the first visit go ? \x150_2450\x15\n%mor:\tadv|so adv|how v|do&PAST\n"
        "*PAR:\twell it was &-um a Tuesday\n\tand the nurse came early . \x152450_7800\x15\n%gra:\t1|2|JCT\n"
        "%com:\tlaughs\n*PAR:\tI made tea . \x157800_9100\x15\n*INV:\tlovely . \x159100_9900\x15\n@End\n")


def test_chat_main_tiers_roles_and_bullets(tmp_path, project):
    path = tmp_path / "visit3.cha"
    path.write_text(CHAT, encoding="utf-8")
    doc = read_one(path)
    assert spoken(doc) == [("INV", "interviewer", 0.0, "so how did the first visit go ?"),
                           ("PAR", "participant", 2.45,
                            "well it was &-um a Tuesday and the nurse came early . I made tea ."),
                           ("INV", "interviewer", 9.1, "lovely .")]
    assert [t.time_end for t in doc.turns] == [2.45, 9.1, 9.9]
    assert "adv|" not in doc.text and "JCT" not in doc.text and "\x15" not in doc.text
    assert any("%mor" in n and "%gra" in n for n in doc.notes)
    project.docs.import_paths([path])
    segs = [(s.speaker, s.time_start) for s in project.docs.segments("visit3")]
    assert ("PAR", 7.8) in segs and ("INV", 0.0) in segs


EAF = """<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2031-03-03T10:00:00+00:00" FORMAT="3.0" VERSION="3.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:///recordings/walk.wav" MIME_TYPE="audio/x-wav"/>
    </HEADER>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="500"/>
        <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2100"/>
        <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="2300"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="6000"/>
        <TIME_SLOT TIME_SLOT_ID="ts5"/>
        <TIME_SLOT TIME_SLOT_ID="ts6" TIME_VALUE="7400"/>
    </TIME_ORDER>
    <TIER LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="Interviewer" TIER_ID="tier-1">
        <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
            <ANNOTATION_VALUE>How was the walk?</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
        <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a4" TIME_SLOT_REF1="ts5" TIME_SLOT_REF2="ts6">
            <ANNOTATION_VALUE>Thanks.</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="Rosa">
        <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
            <ANNOTATION_VALUE>Long, but the hill was worth it.</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="gloss" PARENT_REF="Rosa" TIER_ID="Rosa-gloss">
        <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a2">
            <ANNOTATION_VALUE>GLOSS-TEXT</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
    </TIER>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>
"""


def test_elan_tiers_are_speakers_in_time_order(tmp_path):
    path = tmp_path / "walk.eaf"
    path.write_text(EAF, encoding="utf-8")
    doc = read_one(path)
    # the unaligned "Thanks." sorts by its slot's place in TIME_ORDER, after Rosa; it has no time of its own
    assert spoken(doc) == [("Interviewer", "interviewer", 0.5, "How was the walk?"),
                           ("Rosa", "participant", 2.3, "Long, but the hill was worth it."),
                           ("Interviewer", "interviewer", None, "Thanks.")]
    assert [t.time_end for t in doc.turns] == [2.1, 6.0, 7.4]
    assert "GLOSS-TEXT" not in doc.text and any("Rosa-gloss" in n for n in doc.notes)
    assert_offsets(doc)


# --- Whisper --------------------------------------------------------------------------------------------------------

def test_whisper_tsv_is_one_unknown_speaker_never_named_from_the_words(tmp_path, project):
    path = tmp_path / "rec.tsv"
    path.write_text("start\tend\ttext\n0\t2480\t So how did it start?\n2480\t7900\t Mum: you will be fine, she said.\n"
                    "7900\t9000\t Mum: and she was right.\n", encoding="utf-8")
    doc = read_one(path)
    assert [(t.speaker, t.time_start, t.time_end) for t in doc.turns] == [(None, 0.0, 9.0)]
    assert doc.text == "So how did it start? Mum: you will be fine, she said. Mum: and she was right."
    project.docs.import_paths([path])
    assert [(s.speaker, s.time_start, s.time_end) for s in project.docs.segments("rec")][:2] == [
        (None, 0.0, 2.48), (None, 2.48, 7.9)]


def test_whisperx_json_speakers_and_plain_whisper_json(tmp_path):
    path = tmp_path / "wx.json"
    path.write_text(json.dumps({"segments": [
        {"start": 0.0, "end": 2.5, "text": " So how did it start?", "speaker": "SPEAKER_00", "words": []},
        {"start": 2.5, "end": 7.9, "text": " With a letter.", "speaker": "SPEAKER_01"},
        {"start": 7.9, "end": 9.0, "text": " Then a call.", "speaker": "SPEAKER_01"}], "language": "en"}))
    doc = read_one(path)
    assert [(t.speaker, t.time_start, t.time_end, body(doc, t)) for t in doc.turns] == [
        ("SPEAKER_00", 0.0, 2.5, "So how did it start?"), ("SPEAKER_01", 2.5, 9.0, "With a letter. Then a call.")]
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"text": "x", "segments": [{"id": 0, "seek": 0, "start": 1.0, "end": 2.0,
                                                             "text": " Hello there."}]}))
    assert speakers(read_one(plain)) == [None]


def test_podcast_json_transcript(tmp_path):
    path = tmp_path / "ep.json"
    path.write_text(json.dumps({"version": "1.0.0", "segments": [
        {"speaker": "Mara", "startTime": 0, "endTime": 4.5, "body": "Welcome back."},
        {"speaker": "Joss", "startTime": 4.5, "endTime": 6, "body": "Thanks."}]}))
    doc = read_one(path)
    assert [(t.speaker, t.time_start, body(doc, t)) for t in doc.turns] == [("Mara", 0.0, "Welcome back."),
                                                                           ("Joss", 4.5, "Thanks.")]


# --- WebVTT and SubRip: voices, rolling captions, damaged cues ------------------------------------------------------

def test_vtt_voice_tags_closed_unclosed_and_two_in_one_cue(tmp_path):
    path = tmp_path / "call.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Hello <b>there</b>.\n\n"
                    "00:00:03.000 --> 00:00:04.000\n<v.loud Ben Ross>Hi <c.yellow>you</c>.</v>\n\n"
                    "00:00:05.000 --> 00:00:06.000\n<v Anna>Shall we?</v>\n<v Ben Ross>Yes.</v>\n", encoding="utf-8")
    doc = read_one(path)
    assert [(t.speaker, t.time_start, t.time_end, body(doc, t)) for t in doc.turns] == [
        ("Anna", 1.0, 2.0, "Hello there."), ("Ben Ross", 3.0, 4.0, "Hi you."), ("Anna", 5.0, 6.0, "Shall we?"),
        ("Ben Ross", 5.0, 6.0, "Yes.")]


YOUTUBE = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.350 align:start position:0%
 
so<00:00:00.320><c> today</c><00:00:00.640><c> we</c><00:00:01.000><c> planted</c>

00:00:02.350 --> 00:00:02.360 align:start position:0%
so today we planted
 

00:00:02.360 --> 00:00:05.000 align:start position:0%
so today we planted
the<00:00:02.600><c> beans</c><00:00:03.000><c> by</c><00:00:03.400><c> the</c><00:00:03.800><c> wall</c>

00:00:05.000 --> 00:00:05.010 align:start position:0%
the beans by the wall
 

00:00:05.010 --> 00:00:07.000 align:start position:0%
the beans by the wall
and<00:00:05.500><c> watered</c><00:00:06.000><c> them</c>
"""


def test_youtube_rolling_captions_are_said_once(tmp_path, project):
    path = tmp_path / "yt.vtt"
    path.write_text(YOUTUBE, encoding="utf-8")
    doc = read_one(path)
    assert doc.text == "so today we planted the beans by the wall and watered them"
    assert speakers(doc) == [None] and any("rolling captions" in n for n in doc.notes)
    project.docs.import_paths([path])
    assert project.docs.segments("yt")[0].time_start == 0.0


def test_vtt_cue_with_a_malformed_timestamp_keeps_its_words_and_says_so(tmp_path, project):
    path = tmp_path / "damaged.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnna: Hello there.\n\n"
                    "00:00:0x.000 --> 00:00:04.000\nAnna: These words must not vanish.\n\n"
                    "00:00:05.000 --> 00:00:06.000\nBen: After.\n", encoding="utf-8")
    doc = read_one(path)
    assert "These words must not vanish." in doc.text
    assert [n for n in doc.notes if "unreadable timestamp" in n and "line 6" in n and "kept without a time" in n]
    report = project.docs.import_paths([path])
    assert report.count("imported") == 1 and any("damaged.vtt" in n and "unreadable timestamp" in n
                                                 for n in report.notes)
    segs = [(s.speaker, s.text, s.time_start) for s in project.docs.segments("damaged")]
    assert ("Anna", "These words must not vanish.", None) in segs


def test_srt_negative_start_leaves_no_number_or_timing_in_the_text(tmp_path):
    path = tmp_path / "neg.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nAnna: First words.\n\n"
                    "2\n-00:00:01,000 --> 00:00:03,000\nAnna: Second words.\n\n"
                    "3\n00:00:04,000 --> 00:00:05,000\nBen: Third.\n\n"
                    "4\n00:00:06,000 --> 00:00:07,000\nBen: A cue with a blank line\n\ninside it.\n", encoding="utf-8")
    doc = read_one(path)
    assert doc.text == "Anna: First words. Second words.\n\nBen: Third. A cue with a blank line inside it."
    assert "-->" not in doc.text and any("negative time" in n for n in doc.notes)
    assert [(t.speaker, t.time_start) for t in doc.turns] == [("Anna", 1.0), ("Ben", 4.0)]


def test_teams_word_transcript_layout_flows_through_the_text_layouts(tmp_path, make_docx):
    path = make_docx(tmp_path / "teams.docx", ["Hannah Reid   0:03", "How did it start for you?", "Sam Patel   0:09",
                                                "With a letter from the surgery.", "Hannah Reid   1:12", "And then?",
                                                "Sam Patel   1:15", "A phone call."])
    doc = read_one(path, interviewer=("Hannah Reid",))
    assert spoken(doc) == [("Hannah Reid", "interviewer", 3.0, "How did it start for you?"),
                           ("Sam Patel", "participant", 9.0, "With a letter from the surgery."),
                           ("Hannah Reid", "interviewer", 72.0, "And then?"),
                           ("Sam Patel", "participant", 75.0, "A phone call.")]
    assert_offsets(doc)
    assert doc.layout == "Teams / Otter.ai Word transcript"
