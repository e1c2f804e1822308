"""Memo export: a folder of Markdown files with an index, or one Word document, readable without gtcode."""

from __future__ import annotations

import pytest

from gtcode.errors import InputError
from gtcode.report.memos import MARKER, export_memos, slug

P01 = ("Interviewer: How did the filming go?\n\n"
       "P01: I was nervous at first. I thought they were collecting evidence. Then I saw her smile at me.\n")


@pytest.fixture
def memos(project, tmp_path):
    """Three memos by two people; one commented on (with a reply), one signed off by a supervisor."""
    p = project
    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    p.docs.import_paths([tmp_path / "P01.txt"])
    p.codes.add("Barriers")
    p.codes.add("Barriers/Fear of judgement")
    p.memos.new("Evidence & surveillance", "She reads the camera as evidence [[D1:3]].\n\n- who sees it\n- who decides",
               type="code", links=["code:Fear of judgement"])
    p.memos.new("Filming as a test", "Builds on [[memo:1]]; the whole interview [[doc:P01]].", type="theoretical")
    p.coder = "Sam"
    p.memos.new("My own nerves", "I was nervous too.", type="reflexive")
    p.coder = "Dr Okafor"
    first = p.memos.comment(1, "Who else is watching?")
    p.memos.signoff(2, "Agreed")
    p.coder = "tester"
    p.memos.comment(1, "Her mother, she says.", reply_to=first.id)
    return p


def test_markdown_is_one_file_per_memo_plus_an_index(memos, tmp_path):
    written = export_memos(memos, "md", tmp_path / "out")
    names = [p.name for p in written]
    assert names == ["0001-evidence-surveillance.md", "0002-filming-as-a-test.md", "0003-my-own-nerves.md",
                     "index.md"]
    assert all(p.is_file() for p in written)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    lines = [line for line in index.splitlines() if line.startswith("| ") and "](" in line]
    assert [line.split("|")[2].strip() for line in lines] == [  # oldest first, each linking to its file
        "[Evidence & surveillance](0001-evidence-surveillance.md)",
        "[Filming as a test](0002-filming-as-a-test.md)", "[My own nerves](0003-my-own-nerves.md)"]
    assert "| signed off |" in lines[1] and "| Sam |" in lines[2] and lines[0].endswith("| 2 |")  # comments


def test_markdown_memo_spells_out_links_review_and_comments(memos, tmp_path):
    export_memos(memos, "md", tmp_path / "out")
    one = (tmp_path / "out" / "0001-evidence-surveillance.md").read_text(encoding="utf-8")
    assert one.startswith("# Evidence & surveillance\n")
    assert "- **Memo:** #1, code" in one and "- **Written by:** tester," in one
    assert "- **Review:** unreviewed" in one
    assert "- Code: Barriers/Fear of judgement" in one
    assert "- Passage D1:3 in P01: “I thought they were collecting evidence.”" in one
    assert "She reads the camera as evidence [[D1:3]].\n\n- who sees it\n- who decides" in one  # as written
    assert "- **Dr Okafor**," in one and ": Who else is watching?" in one
    assert "  - **tester**," in one and "(reply): Her mother, she says." in one  # threaded under the comment
    two = (tmp_path / "out" / "0002-filming-as-a-test.md").read_text(encoding="utf-8")
    assert "- [Memo #1: Evidence & surveillance](0001-evidence-surveillance.md)" in two
    assert "- Document: P01 (D1)" in two
    assert "- **Review:** signed off (version 1 signed off by Dr Okafor," in two and "“Agreed”" in two


def test_links_follow_renames_and_versions_are_listed(memos, tmp_path):
    memos.codes.rename("Fear of judgement", "Feeling judged")
    memos.memos.edit(1, title="Evidence and surveillance")
    export_memos(memos, "md", tmp_path / "out")
    text = (tmp_path / "out" / "0001-evidence-and-surveillance.md").read_text(encoding="utf-8")
    assert "- Code: Barriers/Feeling judged" in text and "Fear of judgement" not in text
    assert "- **Version:** 2, last edited by tester" in text
    assert "## Versions" in text and "| 2 | tester |" in text


def test_re_export_replaces_its_own_files_only(memos, tmp_path):
    out = tmp_path / "out"
    export_memos(memos, "md", out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    memos.memos.edit(1, title="Evidence and surveillance")
    export_memos(memos, "md", out)
    names = sorted(p.name for p in out.iterdir())
    assert "0001-evidence-and-surveillance.md" in names and "0001-evidence-surveillance.md" not in names
    assert "notes.txt" in names
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "index.md").write_text("# my own index\n", encoding="utf-8")
    with pytest.raises(InputError, match="not written by gtcode"):
        export_memos(memos, "md", tmp_path / "theirs")
    assert (tmp_path / "theirs" / "index.md").read_text(encoding="utf-8") == "# my own index\n"
    assert MARKER in (out / "index.md").read_text(encoding="utf-8")


def test_docx_is_one_document_with_headings(memos, tmp_path):
    import docx
    from docx.shared import Mm

    written = export_memos(memos, "docx", tmp_path / "memos.docx")
    assert written == [tmp_path / "memos.docx"]
    doc = docx.Document(str(written[0]))
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads[0] == ("Heading 1", "Memos — proj")
    assert [t for s, t in heads if s == "Heading 2"] == ["#1 Evidence & surveillance", "#2 Filming as a test",
                                                        "#3 My own nerves"]
    assert ("Heading 3", "About") in heads and ("Heading 3", "Comments") in heads
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Passage D1:3 in P01: “I thought they were collecting evidence.”" in text
    assert "Memo #1: Evidence & surveillance" in text and "Review: signed off (version 1" in text
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert "who sees it" in bullets and "who decides" in bullets
    replies = [p for p in doc.paragraphs if p.style.name == "Quote"]
    assert [p.text.split(",")[0] for p in replies] == ["Dr Okafor", "tester"]
    assert replies[1].paragraph_format.left_indent > replies[0].paragraph_format.left_indent
    assert abs(doc.sections[0].page_width - Mm(210)) < Mm(1)


def test_filters_choose_the_memos(memos, tmp_path):
    def exported(**filters):
        written = export_memos(memos, "md", tmp_path / "f", **filters)
        return [p.name[:4] for p in written if p.name != "index.md"]

    assert exported(type="reflexive") == ["0003"]
    assert exported(author="sam") == ["0003"]
    assert exported(code="Fear of judgement") == ["0001"]
    since = memos.memos.get(2).updated_at
    assert exported(since=since) == ["0002", "0003"]
    assert "only type: reflexive" in _index_after(memos, tmp_path, type="reflexive")
    with pytest.raises(InputError, match="no memos to export"):
        export_memos(memos, "md", tmp_path / "none", since="2999-01-01")
    with pytest.raises(InputError, match="not a date"):
        export_memos(memos, "md", tmp_path / "none", since="soon")
    with pytest.raises(InputError, match="unknown memo filter"):
        export_memos(memos, "md", tmp_path / "none", colour="red")


def _index_after(project, tmp_path, **filters) -> str:
    export_memos(project, "md", tmp_path / "g", **filters)
    return (tmp_path / "g" / "index.md").read_text(encoding="utf-8")


def test_bad_format_and_paths(memos, tmp_path):
    with pytest.raises(InputError, match="expected md"):
        export_memos(memos, "pdf", tmp_path / "x")
    (tmp_path / "file.md").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        export_memos(memos, "md", tmp_path / "file.md")
    with pytest.raises(InputError, match="is a folder"):
        export_memos(memos, "docx", tmp_path)


def test_markdown_keeps_html_in_memos_inert(project, tmp_path):
    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"])
    project.memos.new("<script>alert(1)</script>", "Text with <img src=x onerror=alert(1)>.")
    written = export_memos(project, "md", tmp_path / "out")
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text
    assert written[0].name == "0001-script-alert-1-script.md"


def test_slugs_are_plain_ascii():
    assert slug("Évidence — and “surveillance”!") == "evidence-and-surveillance"
    assert slug("???") == "memo"
    assert len(slug("word " * 40)) <= 50 and not slug("word " * 40).endswith("-")
