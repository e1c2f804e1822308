"""Confidentiality: pseudonymising at import and afterwards, detectors, the key file (the commands, `gtcode redact`
and `import --pseudonymise`: tests/cli/test_cli_redact.py).

Every name here is fictional (the sample transcripts say so at the top).
"""

from __future__ import annotations

import json

import pytest

from gtcode.errors import InputError, NothingToUndo
from gtcode.redact import BadKey, OffsetMap, Pseudonymiser, apply, check, compact, load_key

from tests.conftest import TRANSCRIPTS

# A short interview with something for every detector, and names in speaker labels.
INTERVIEW = """Interviewer: Thanks for talking to me. How did the first visit go?

Kerry Walsh: Lucy came round on a Tuesday. Lucy's lovely, honestly.
She left her number, 07700 900123, and her email lucy.guider@example.nhs.uk.

Interviewer: And how was Freddie through all of it?

Kerry Walsh: FREDDIE was born on 3 May 2023 at the hospital near B33 8TH. His NHS number is 943 476 5919.
I was diagnosed in 2019, in March, before all this.
"""
KEY = """# Key for the VIG study: keep it off the shared drive.
real,pseudonym
Kerry Walsh,Jo Bell
Kerry,Jo
Lucy,Anna
Freddie,Alfie
"""
# Names in the sample transcripts P04 (Freddie, Lucy), P05 (Zoë, Chloé, Marek), P06 (Dr Priya Shah, Hannah Reid).
SAMPLE_KEY = """Real name,Pseudonym
Freddie,Alfie
Lucy,Anna
Dr Priya Shah,Dr Asha Rao
Priya,Asha
Hannah Reid,[interviewer]
Zoë,Mia
Chloé,Beth
Marek,Tom
"""
SAMPLE_REAL = ["Freddie", "Lucy", "Priya", "Shah", "Hannah Reid", "Zoë", "Chloé", "Marek"]


def import_files(project, paths, pseudonymiser=None):
    """Import through the importer, as `gtcode import --pseudonymise` does."""
    from gtcode.ingest.importer import ImportSettings, run_import
    from gtcode.ingest import ReadOptions

    settings = ImportSettings(read=ReadOptions(None, None, None, None), pseudonymiser=pseudonymiser)
    with project.transaction() as txn:
        return run_import(project.store, txn, [str(p) for p in paths], settings)


def _apply(project, pseudonymiser):
    """Pseudonymise what is stored, as `gtcode redact apply` does: one transaction, then compaction."""
    with project.transaction() as txn:
        report = apply(project.store, txn, pseudonymiser)
    report.compacted = compact(project.store)
    return report


def _file_bytes(project) -> bytes:
    """Everything SQLite has on disk for the project: the database and its write-ahead log."""
    path = project.path
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _leaks(project, names) -> list[str]:
    data = _file_bytes(project).lower()
    return [n for n in names if n.lower().encode() in data]


@pytest.fixture
def key(tmp_path):
    path = tmp_path / "private" / "key.csv"
    path.parent.mkdir()
    path.write_text(KEY, encoding="utf-8")
    return path


@pytest.fixture
def interview(tmp_path):
    path = tmp_path / "P09.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    return path


# --- detectors -------------------------------------------------------------------------

DETECTOR_CASES = [
    ("email", ["jo.bloggs+vig@nhs.net", "LUCY@EXAMPLE.CO.UK"], ["@home", "me at the clinic", "a.b@c"]),
    ("phone", ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)20 7946 0958", "020 7946 0958",
               "(0161) 496 0000", "0044 7700 900123", "01632 960123"],
     ["[00:01:23]", "12/03/2019", "in 2019", "0.5", "3 or 4", "0161 49", "12 March 2024", "6426e790-8d2d-5f30"]),
    ("postcode", ["SW1A 1AA", "M1 1AE", "B33 8TH", "cr2 6xh", "DN55 1PT", "EC1A1BB"],
     ["P01", "A&E", "at 4pm", "CBT", "NHS", "Q1 2024"]),
    ("NHS number", ["943 476 5919", "943-476-5919", "9434765919"],
     ["943 476 5918", "000 000 0000", "943 476 59190", "94347659"]),
    ("date of birth", ["3 May 2019", "12/03/1990", "1990-03-12", "12th of March", "March 3rd, 2020", "01.02.1988"],
     []),
]


@pytest.mark.parametrize("kind, found, left", DETECTOR_CASES, ids=[c[0] for c in DETECTOR_CASES])
def test_each_detector_tags_what_it_should_and_leaves_the_rest(kind, found, left):
    pz = Pseudonymiser()
    cue = "she was born on " if kind == "date of birth" else "it is "
    tag = {"email": "[email]", "phone": "[phone]", "postcode": "[postcode]", "NHS number": "[NHS number]",
           "date of birth": "[date of birth]"}[kind]
    for value in found:
        assert pz.apply(f"So {cue}{value}, she said.").text == f"So {cue}{tag}, she said.", value
    for value in left:
        text = f"So it is {value}, she said."
        assert pz.apply(text).text == text, value


def test_dates_of_birth_need_a_birth_cue_so_interview_dates_and_years_stay():
    pz = Pseudonymiser()
    tagged = ("DOB: 12/03/1990. Date of birth 1990-03-12. He was born the 12th of March. "
              "Her birthday is March 3rd, 2020. D.O.B. 01.02.1988")
    assert pz.apply(tagged).text == ("DOB: [date of birth]. Date of birth [date of birth]. He was born the "
                                     "[date of birth]. Her birthday is [date of birth]. D.O.B. [date of birth]")
    kept = ("Date of interview: 12 March 2024. After he was born I went low. He was born in 2019, "
            "born in March, born 3 weeks early. On 4 May 2023 we filmed.")
    assert pz.apply(kept).text == kept


def _key(tmp_path, text: str) -> list:
    path = tmp_path / "key.csv"
    path.write_text(text, encoding="utf-8")
    return load_key(path)


def test_names_match_whole_words_ignoring_case_longest_first(tmp_path):
    pz = Pseudonymiser(_key(tmp_path, KEY))
    text = ("Kerry Walsh said Kerry's baby Freddie smiled. FREDDIE! Lucy’s visit, Lucy's notes. "
            "Lucyna and Freddies are other words. Kerry\nWalsh over a line break.")
    assert pz.apply(text).text == ("Jo Bell said Jo's baby Alfie smiled. ALFIE! Anna’s visit, Anna's notes. "
                                   "Lucyna and Freddies are other words. Jo Bell over a line break.")


def test_offset_map_moves_positions_around_and_inside_replacements(tmp_path):
    pz = Pseudonymiser(_key(tmp_path, "real,pseudonym\nFreddie,Al\nLucy,Annabelle\n"))
    text = "I saw Freddie and Lucy today."
    red = pz.apply(text)
    assert red.text == "I saw Al and Annabelle today."
    m = red.offsets
    assert isinstance(m, OffsetMap)
    assert (m.start(0), m.end(5)) == (0, 5)                       # before any replacement
    assert red.text[m.start(6):m.end(13)] == "Al"                 # exactly the name
    assert red.text[m.start(8):m.end(10)] == "Al"                 # part of the name: the whole pseudonym
    assert red.text[m.start(14):m.end(17)] == "and"               # between replacements
    assert red.text[m.start(23):m.end(len(text))] == "today."     # after both


# --- the key file -----------------------------------------------------------------------

def test_key_accepts_other_header_spellings_comments_bom_and_semicolons(tmp_path):
    path = tmp_path / "key.csv"
    path.write_bytes("\ufeff# exported from Excel\n\nOriginal;Replacement\n# babies\nFreddie;Alfie\n"
                     "\"Walsh, Kerry\";Participant 9\nfreddie;Alfie\n".encode("utf-8"))
    entries = load_key(path)
    assert [(e.real, e.pseudonym, e.line) for e in entries] == [("Freddie", "Alfie", 5),
                                                                ("Walsh, Kerry", "Participant 9", 6)]


BAD_KEYS = [
    ("real,pseudonym\nFreddie,Alfie\n,Anna\n", "line 3: the real name is empty"),
    ("real,pseudonym\nFreddie,Alfie\nLucy,\n", "line 3: no pseudonym for 'Lucy'"),
    ("real,pseudonym\nFreddie,Alfie\n# note\nfreddie,Sam\n",
     "line 4: 'freddie' already has the pseudonym 'Alfie' (line 2)"),
    ("real,pseudonym\nFreddie,Lucy\nLucy,Anna\n",
     "line 2: the pseudonym 'Lucy' contains 'Lucy', a real name in this key (line 3)"),
    ("real,pseudonym\nFreddie,Freddie B\n", "line 2: the pseudonym 'Freddie B' contains 'Freddie'"),
    ("real,pseudonym\nJ,Alfie\n", "line 2: 'J' is too short to replace safely"),
    ("Freddie,Alfie\nLucy,Anna\n", "line 1: the first row must name the columns, e.g. 'real,pseudonym'"),
    ("# nothing here\n", "empty"),
]


@pytest.mark.parametrize("text, message", BAD_KEYS)
def test_bad_key_rows_are_named_by_line_and_reason(tmp_path, text, message):
    path = tmp_path / "key.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadKey) as exc:
        load_key(path)
    assert message in str(exc.value) and str(path) in str(exc.value)
    assert "\n" not in str(exc.value)


def test_several_bad_rows_are_counted_and_a_missing_or_binary_key_is_refused(tmp_path):
    path = tmp_path / "key.csv"
    path.write_text("real,pseudonym\n,A\nLucy,\n", encoding="utf-8")
    with pytest.raises(BadKey, match=r"line 2: the real name is empty \(and 1 more problem\)"):
        load_key(path)
    with pytest.raises(BadKey, match="no such key file"):
        load_key(tmp_path / "missing.csv")
    (tmp_path / "bin.csv").write_bytes(b"real,pseudonym\n\xff\xfe\x00A,B\n")
    with pytest.raises(BadKey, match="not UTF-8"):
        load_key(tmp_path / "bin.csv")


# --- at import ------------------------------------------------------------------------

def test_import_with_a_key_stores_only_pseudonyms_and_tags(project, interview, key):
    report = import_files(project, [interview], Pseudonymiser.from_key(key))
    assert report.count("imported") == 1
    text = project.docs.text("P09")
    assert "Jo Bell: Anna came round on a Tuesday. Anna's lovely, honestly." in text
    assert "her number, [phone], and her email [email]." in text
    assert "ALFIE was born on [date of birth] at the hospital near [postcode]. His NHS number is [NHS number]." in text
    assert "I was diagnosed in 2019, in March, before all this." in text
    assert [t["speaker"] for t in project.docs.turns("P09")] == ["Interviewer", "Jo Bell", "Interviewer", "Jo Bell"]
    for t in project.docs.turns("P09"):  # labels and speech still line up after the lengths changed
        assert text[t["start_char"]:t["body_start"]].rstrip() == f"{t['speaker']}:"
    segs = [s.text for s in project.docs.segments("P09")]
    assert "Anna's lovely, honestly." in segs and "She left her number, [phone], and her email [email]." in segs
    assert report.notes == ["P09: pseudonymised 11 replacements (NHS number 1, date of birth 1, email 1, "
                            "name 6, phone 1, postcode 1)"]


def test_the_key_never_enters_the_project(tmp_path, key):
    from gtcode import Project

    with Project.init(tmp_path / "plain", coder="tester") as plain:  # control: without the key the names are there
        import_files(plain, [TRANSCRIPTS / "P04_interview.txt", TRANSCRIPTS / "P05.docx", TRANSCRIPTS / "P06.vtt"])
        assert _leaks(plain, SAMPLE_REAL) == SAMPLE_REAL
    key.write_text(SAMPLE_KEY, encoding="utf-8")
    with Project.init(tmp_path / "safe", coder="tester") as safe:
        report = import_files(safe, [TRANSCRIPTS / "P04_interview.txt", TRANSCRIPTS / "P05.docx",
                                     TRANSCRIPTS / "P06.vtt"], Pseudonymiser.from_key(key))
        assert report.count("imported") == 3
        assert _leaks(safe, SAMPLE_REAL + ["key.csv", str(key.parent)]) == []
        events = json.dumps(safe.history.events(), ensure_ascii=False).lower()
        assert not [n for n in SAMPLE_REAL if n.lower() in events]
        assert "Dr Asha Rao" in {t["speaker"] for t in safe.docs.turns("P06")}
        assert "Freddie" not in safe.docs.text("P04_interview") and "Alfie's my third" in safe.docs.text(
            "P04_interview")
        assert safe.analysis.search("Alfie")[1] > 0 and safe.analysis.search("Freddie")[1] == 0
        assert check(safe.store, Pseudonymiser.from_key(key)) == []


def test_a_file_name_holding_a_name_is_recorded_with_the_pseudonym(project, tmp_path, key):
    path = tmp_path / "Kerry Walsh interview.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    import_files(project, [path], Pseudonymiser.from_key(key))
    doc = project.docs.list()[0]
    assert doc.name == "Jo Bell interview" and doc.source_path.endswith("Jo Bell interview.txt")
    assert _leaks(project, ["Kerry", "Walsh"]) == []


# --- check ------------------------------------------------------------------------------

def test_check_lists_names_and_identifiers_where_they_are(project, interview, key):
    import_files(project, [interview])
    project.codes.add("Guider relationship", description="Trust in Lucy as a person")
    project.memos.new("First visit", "The guider rang her on 07700 900123 before the visit.")
    hits = check(project.store, Pseudonymiser.from_key(key))
    found = {(h.place, h.kind, h.text) for h in hits}
    assert ("D1:3", "name", "Lucy") in found and ("D1:5", "phone", "07700 900123") in found
    assert ("D1 turn 2 speaker", "name", "Kerry Walsh") in found and ("D1:6", "name", "Freddie") in found
    assert ("D1:7", "date of birth", "3 May 2023") in found and ("D1:8", "NHS number", "943 476 5919") in found
    assert ("code 'Guider relationship' description", "name", "Lucy") in found
    assert ("memo #1 version 1 body", "phone", "07700 900123") in found
    assert all(h.fixable for h in hits)
    assert not [h for h in check(project.store) if h.kind == "name"]   # without the key: detectors only


# --- apply -------------------------------------------------------------------------------

def _passages(project) -> dict[tuple[str, int], str]:
    """The words under every coding, memo segment link, relation and property evidence."""
    s = project.store
    out = {}
    for table in ("codings", "property_evidence", "relation_evidence"):
        for r in s.all(f"SELECT t.id, substr(d.text, t.start_char + 1, t.end_char - t.start_char) FROM {table} t "
                       "JOIN documents d ON d.id = t.document_id WHERE t.start_char IS NOT NULL"):
            out[(table, r[0])] = r[1]
    for r in s.all("SELECT l.id, substr(d.text, l.start_char + 1, l.end_char - l.start_char) FROM memo_links l "
                   "JOIN documents d ON d.uuid = l.target_uuid WHERE l.target_type = 'segment'"):
        out[("memo_links", r[0])] = r[1]
    return out


@pytest.fixture
def coded(project, key):
    """P04 (Freddie, Lucy) imported without a key, then coded, linked and related."""
    key.write_text(SAMPLE_KEY, encoding="utf-8")
    import_files(project, [TRANSCRIPTS / "P04_interview.txt"])
    text = project.docs.text("P04_interview")
    segs = project.docs.segments("P04_interview")
    named = [s.address for s in segs if "Freddie" in s.text or "Lucy" in s.text]
    freddie = next(s.address for s in segs if "Freddie" in s.text)
    project.coding.apply(named[:4], "Baby at the centre", create=True)
    project.coding.apply(freddie, "In vivo", quote="Freddie", create=True)
    project.coding.apply(f"{segs[20].address}-{segs[24].ordinal}", "Long passage", create=True)
    project.memos.new("Guider relationship", "Why the guider mattered.", links=[f"seg:{named[2]}"])
    project.model.new_category("Trust")
    project.model.add_to_category("Trust", ["Baby at the centre"])
    project.model.new_category("Engagement")
    project.model.relate("Trust", "facilitates", "Engagement", evidence=[named[3]])
    project.model.set_property("Trust", "intensity", dimension="low..high", at=[f"{named[0]}=high"])
    assert "Freddie" in text
    return project


def test_apply_keeps_every_coding_on_the_same_words(coded, key):
    pz = Pseudonymiser.from_key(key)
    before = _passages(coded)
    seg_before = [(s.ordinal, s.speaker, s.text) for s in coded.docs.segments("P04_interview")]
    report = _apply(coded, pz)
    assert report.documents == 1 and report.replacements == {"name": 13} and report.compacted
    after = _passages(coded)
    assert set(after) == set(before) and len(before) >= 8
    for where, words in before.items():
        assert after[where] == pz.replace(words), where
    assert any(w == "Alfie" for w in after.values())                   # the in-vivo quote of just the name
    assert [(s.ordinal, s.speaker, s.text) for s in coded.docs.segments("P04_interview")] == [
        (n, who, pz.replace(words)) for n, who, words in seg_before]
    assert coded.analysis.search("Freddie")[1] == 0 and coded.analysis.search("Alfie")[1] > 0
    assert check(coded.store, pz) == []
    event = coded.history.events(limit=1)[0]
    assert event["action"] == "document.redact" and event["data"]["replacements"] == {"name": 13}
    assert event["data"]["passages_moved"] > 0


def test_apply_leaves_no_real_name_in_the_project_file(coded, key):
    coded.memos.new("Guider's approach", "Lucy rang rather than writing; Freddie was the focus.")
    coded.codes.add("Fitting round Freddie's naps")
    assert _leaks(coded, ["Freddie", "Lucy"]) == ["Freddie", "Lucy"]
    report = _apply(coded, Pseudonymiser.from_key(key))
    assert report.other == {"codes": 1, "memo_versions": 1}
    memo = coded.memos.get(2)
    assert memo.body == "Anna rang rather than writing; Alfie was the focus."
    assert coded.codes.get("Fitting round Alfie's naps")
    # The code's name was in its own "added code" event: the log is append-only, so that is reported, not hidden.
    assert report.audit_events and all(e["action"] == "code.add" for e in coded.history.events()
                                       if e["id"] in report.audit_events)
    leaks_outside_log = _leaks(coded, ["Lucy"])
    assert leaks_outside_log == []


def test_apply_compacts_the_file_and_says_when_it_could_not(project, interview, key, monkeypatch):
    import sqlite3

    import importlib

    # `gtcode.redact.apply` names the function the package re-exports; the module is its own
    module = importlib.import_module("gtcode.redact.apply")
    monkeypatch.setattr(module, "COMPACT_WAIT_S", 0.1)
    import_files(project, [interview])
    reader = sqlite3.connect(project.path, isolation_level=None)   # another program reading the project
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM documents").fetchone()
    report = _apply(project, Pseudonymiser.from_key(key))
    assert report.documents == 1 and not report.compacted
    assert _leaks(project, ["Lucy"]) == ["Lucy"]     # old pages still in the file: hence the warning
    reader.execute("COMMIT")
    reader.close()
    monkeypatch.setattr(module, "COMPACT_WAIT_S", 10)   # nothing holds the file now: a busy machine may be slow
    again = _apply(project, Pseudonymiser.from_key(key))
    assert again.documents == 0 and again.compacted
    assert _leaks(project, ["Lucy", "Freddie", "Kerry", "07700", "943 476"]) == []


def test_check_reports_what_the_audit_log_still_holds(coded, key):
    coded.memos.new("About Lucy", "Notes.")
    pz = Pseudonymiser.from_key(key)
    _apply(coded, pz)
    hits = check(coded.store, pz)
    assert [(h.kind, h.text, h.fixable) for h in hits] == [("name", "Lucy", False)]
    assert hits[0].place.startswith("audit event #") and "memo.create" in hits[0].place
    assert coded.memos.get(2).title == "About Anna"


def test_a_failed_apply_changes_nothing(coded, key):
    coded.codes.add("Freddie")
    coded.codes.add("Alfie")           # "Freddie" cannot become "Alfie": names are unique among siblings
    text, events = coded.docs.text("P04_interview"), len(coded.history.events())
    passages = _passages(coded)
    with pytest.raises(InputError, match="code 'Freddie'.*already taken.*nothing was changed"):
        _apply(coded, Pseudonymiser.from_key(key))
    assert coded.docs.text("P04_interview") == text and _passages(coded) == passages
    assert len(coded.history.events()) == events and coded.codes.get("Freddie")


def test_apply_cannot_be_undone_and_earlier_commands_are_not_undone_across_it(coded, key):
    _apply(coded, Pseudonymiser.from_key(key))
    passages = _passages(coded)
    with pytest.raises(NothingToUndo):
        coded.history.undo()
    assert _passages(coded) == passages and "Alfie" in coded.docs.text("P04_interview")


def test_a_second_apply_finds_nothing_more(coded, key):
    pz = Pseudonymiser.from_key(key)
    _apply(coded, pz)
    text = coded.docs.text("P04_interview")
    again = _apply(coded, pz)
    assert (again.documents, again.other, again.passages_moved) == (0, {}, 0)
    assert coded.docs.text("P04_interview") == text
