"""A probe project that uses every text feature of REFI-QDA once: each one lands somewhere a researcher can find
it, or is named in the report; nothing is dropped silently. GUIDs keep their case and codes their order, and
a units check says when positions look counted in other units."""

from __future__ import annotations

import zipfile

import pytest

from gtcode import Project
from gtcode.exchange import export_qdpx, import_qdpx
from gtcode.exchange.qdpx_inventory import unread
from gtcode.exchange.qdpx_selections import QUOTATIONS
from gtcode.safezip import parse_xml

from tests.lib.test_exchange import snapshot
from tests.lib.test_exchange_safety import qdpx

G = {k: f"{n:08X}-AAAA-4BBB-8CCC-DDDDDDDDDDDD" for n, k in enumerate(
    "user c1 c2 c10 c11 age site case src inline sel1 sel2 sel3 sel4 cd1 cd2 cd3 n1 n2 l1 l2 set graph".split(), 1)}
TEXT = "Interviewer: How was it?\nP01: The film showed me my baby 😊 smiling.\nP01: I felt judged at first.\n"


def span(words: str) -> str:
    s = TEXT.index(words)
    return f'startPosition="{s}" endPosition="{s + len(words)}"'


def made(guid: str = "") -> str:
    return (f'guid="{G[guid]}" ' if guid else "") + f'creatingUser="{G["user"]}" creationDateTime="2024-05-01T09:00:00Z"'


PROBE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Probe" origin="Probe QDA 2.0" creationDateTime="2024-05-01T08:00:00Z">
 <Users><User guid="{G['user']}" name="Sam" id="S"/></Users>
 <CodeBook><Codes>
  <Code guid="{G['c1']}" name="1. First" isCodable="true" color="#112233"><Description>The first code.</Description>
   <NoteRef targetGUID="{G['n1']}"/></Code>
  <Code guid="{G['c2']}" name="2. Second" isCodable="true"/>
  <Code guid="{G['c10']}" name="10. Tenth" isCodable="false"><Code guid="{G['c11']}" name="Child" isCodable="true"/></Code>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="{G['age']}" name="age" typeOfVariable="Integer"><Description>Age in years</Description></Variable>
  <Variable guid="{G['site']}" name="site" typeOfVariable="Text"/>
 </Variables>
 <Cases><Case guid="{G['case']}" name="P01"><Description>First mother</Description>
  <CodeRef targetGUID="{G['c1']}"/>
  <VariableValue><VariableRef targetGUID="{G['age']}"/><IntegerValue>31</IntegerValue></VariableValue>
  <SourceRef targetGUID="{G['src']}"/><SelectionRef targetGUID="{G['sel1']}"/></Case></Cases>
 <Sources>
  <TextSource guid="{G['src']}" name="interview.txt" plainTextPath="internal://{G['src']}.txt" {made()}>
   <Description>Home visit, March</Description>
   <PlainTextSelection guid="{G['sel1']}" name="The film" {span("The film showed me my baby")} {made()}>
    <Description>She lights up here.</Description>
    <Coding {made('cd1')}><CodeRef targetGUID="{G['c1']}"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="{G['sel2']}" {span("I felt judged")} {made()}/>
   <PlainTextSelection guid="{G['sel3']}" {span("smiling")} {made()}><Description>Smile!</Description></PlainTextSelection>
   <PlainTextSelection guid="{G['sel4']}" {span("judged at first")} {made()}>
    <Coding {made('cd2')}><CodeRef targetGUID="{G['c2']}"/><NoteRef targetGUID="{G['n1']}"/></Coding>
   </PlainTextSelection>
   <Coding {made('cd3')}><CodeRef targetGUID="{G['c11']}"/></Coding>
   <NoteRef targetGUID="{G['n1']}"/>
   <VariableValue><VariableRef targetGUID="{G['site']}"/><TextValue>Home</TextValue></VariableValue>
  </TextSource>
  <TextSource guid="{G['inline']}" name="field note"><PlainTextContent>The baby slept through it.</PlainTextContent>
  </TextSource>
 </Sources>
 <Notes>
  <Note guid="{G['n1']}" name="Reflection" {made()}><Description>Early</Description>
   <PlainTextContent>Filming may feel like judgement.</PlainTextContent></Note>
  <Note guid="{G['n2']}" name="About the study" {made()}><PlainTextContent>Ten mothers.</PlainTextContent></Note>
 </Notes>
 <Links>
  <Link guid="{G['l1']}" name="leads to" direction="OneWay" originGUID="{G['c1']}" targetGUID="{G['c2']}">
   <NoteRef targetGUID="{G['n1']}"/></Link>
  <Link guid="{G['l2']}" name="about" originGUID="{G['n2']}" targetGUID="{G['sel3']}"/>
 </Links>
 <Sets><Set guid="{G['set']}" name="Key"><Description>Core things</Description><MemberCode targetGUID="{G['c1']}"/>
  <MemberSource targetGUID="{G['src']}"/><MemberNote targetGUID="{G['n2']}"/></Set></Sets>
 <Graphs><Graph guid="{G['graph']}" name="Map"/></Graphs>
 <Description>A probe project.</Description>
 <NoteRef targetGUID="{G['n2']}"/>
</Project>"""


@pytest.fixture
def probe(tmp_path):
    return qdpx(tmp_path / "probe.qdpx", {"project.qde": PROBE.encode("utf-8"),
                                          f"sources/{G['src']}.txt": TEXT.encode("utf-8")})


def passage_words(project, code: str) -> list[str]:
    return sorted(p.text for p in project.coding.passages(code))


def test_every_feature_lands_or_is_reported(project, probe):
    report = import_qdpx(project, probe)
    assert report.warnings == [] and report.notes == []
    # Only what gtcode cannot hold is lost, each named: the graph and the case's code and selection references.
    assert len(report.losses) == 2 and "1 graph" in report.losses[0] and "2 code or selection" in report.losses[1]
    assert unread(parse_xml(PROBE.encode("utf-8"), "probe")) == {}
    # Descriptions of sources, cases and variables are kept.
    store = project.store
    assert store.scalar("SELECT description FROM documents WHERE name = 'interview'") == "Home visit, March"
    assert store.scalar("SELECT description FROM cases WHERE name = 'P01'") == "First mother"
    assert store.scalar("SELECT description FROM attributes WHERE name = 'age'") == "Age in years"
    assert {r[0] for r in store.all("SELECT name FROM documents")} == {"interview", "field note"}
    # Codings (selections, a coding of the whole source), and an uncoded selection as an imported quotation.
    assert passage_words(project, "1. First") == ["The film showed me my baby"]
    assert passage_words(project, "2. Second") == ["judged at first"]
    assert len(passage_words(project, "10. Tenth/Child")) == 1
    assert passage_words(project, QUOTATIONS) == ["I felt judged"]
    # Selection comments become memos on their passage; the project's note and description project memos.
    memos = {m.title: project.memos.get(m.id) for m in project.memos.list()}
    comment = memos["Comment on “The film showed me my baby”"]
    assert comment.body == "She lights up here." and comment.links[0].type == "segment"
    assert memos["Comment on “smiling”"].body == "Smile!"
    assert memos["Project description: Probe"].body == "A probe project."
    assert report.counts["notes on the project (memos about the whole project)"] == 1
    assert memos["About the study"].links[0].type == "segment"          # the note linked to a selection
    assert {link.type for link in memos["Reflection"].links} == {"code", "document", "segment"}
    assert memos["Set: Key"].body.startswith("Core things")
    assert store.scalar("SELECT count(*) FROM relations") == 1


def test_guids_keep_their_case_and_codes_their_order(project, probe, tmp_path):
    import_qdpx(project, probe)
    assert [c.path for c in project.codes.list()][:4] == ["1. First", "2. Second", "10. Tenth", "10. Tenth/Child"]
    assert project.codes.get("1. First").uuid == G["c1"]
    export_qdpx(project, tmp_path / "out.qdpx")
    with zipfile.ZipFile(tmp_path / "out.qdpx") as zf:
        qde = zf.read("project.qde").decode("utf-8")
    for key in ("c1", "c10", "src", "case", "age", "n1", "cd1", "l1", "user"):
        assert f'"{G[key]}"' in qde, key
    assert qde.index('"1. First"') < qde.index('"2. Second"') < qde.index('"10. Tenth"')
    # And the export comes back whole.
    copy = Project.init(tmp_path / "copy", coder="importer")
    back = import_qdpx(copy, tmp_path / "out.qdpx")
    assert back.warnings == [] and back.losses == [] and back.notes == []
    assert snapshot(copy.path) == snapshot(project.path)
    assert [c.path for c in copy.codes.list()] == [c.path for c in project.codes.list()]
    assert copy.store.scalar("SELECT description FROM documents WHERE name = 'interview'") == "Home visit, March"
    copy.close()


def test_a_wrong_guess_of_units_is_reported_with_the_fix(project, tmp_path):
    """UTF-16 positions in a file whose origin says nothing: read as code points they cut a CRLF."""
    from tests.lib.test_exchange_safety import SRC, qde, selection, source

    text = "Hi 👋 there.\r\nP01: I loved the café 😊 and the film.\r\n"

    def utf16(words: str) -> tuple[int, int]:
        s = len(text[:text.index(words)].encode("utf-16-le")) // 2
        return s, s + len(words.encode("utf-16-le")) // 2

    sels = selection(*utf16("there.")) + selection(*utf16("film"), guid="dddddddd-0000-0000-0000-000000000002",
                                                  coding="eeeeeeee-0000-0000-0000-000000000002")
    path = qdpx(tmp_path / "x.qdpx", {"project.qde": qde(source(sels), origin="Other tool 1.0"),
                                      f"sources/{SRC}.txt": text.encode("utf-8")})
    report = import_qdpx(project, path, dry_run=True)
    (note,) = [n for n in report.notes if "units" in n]
    assert "would cut a CRLF" in note and "--positions utf16" in note
    fixed = import_qdpx(project, path, positions="utf16")
    assert not any("units" in n for n in fixed.notes)
    assert passage_words(project, "Film") == ["film", "there."]
