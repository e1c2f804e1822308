"""What a REFI-QDA project holds that the import does not take, so the report can list it: nothing is dropped
silently. Media sources, graphs, and the code and selection references of cases are named; any other element
the importer does not read (in whatever place the file puts it) is counted by its place.
"""

from __future__ import annotations

from collections import Counter

from gtcode.exchange.qdpx_state import ImportState
from gtcode.text import plural

MEDIA = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")
_VALUES = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")

#: parent element → the child elements the importer reads there (or reports by name in `losses`).
READ = {
    "Project": {"Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs",
                "Description", "NoteRef"},
    "Users": {"User"}, "CodeBook": {"Codes"}, "Codes": {"Code"}, "Code": {"Code", "Description", "NoteRef"},
    "Variables": {"Variable"}, "Variable": {"Description"},
    "Cases": {"Case"}, "Case": {"Description", "VariableValue", "SourceRef", "CodeRef", "SelectionRef"},
    "VariableValue": {"VariableRef", *_VALUES},
    "Sources": {"TextSource", *MEDIA},
    "TextSource": {"Description", "PlainTextContent", "PlainTextSelection", "Coding", "NoteRef", "VariableValue"},
    "PlainTextSelection": {"Description", "Coding", "NoteRef"}, "Coding": {"CodeRef", "NoteRef"},
    "Notes": {"Note"}, "Note": {"Description", "PlainTextContent", "NoteRef"},
    "Links": {"Link"}, "Link": {"NoteRef"},
    "Sets": {"Set"}, "Set": {"Description", "MemberCode", "MemberSource", "MemberNote"},
    "Graphs": {"Graph"},
}
#: Elements reported whole (with what they hold) by `losses`, or leaves: their children are not walked.
_WHOLE = {*MEDIA, "Graph", "CodeRef", "SelectionRef", "SourceRef", "VariableRef", "NoteRef", "MemberCode",
          "MemberSource", "MemberNote", "Description", "PlainTextContent", *_VALUES}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def unread(root) -> Counter:
    """(parent, child) element names the importer does not read, with how often each occurs."""
    out: Counter = Counter()

    def walk(el) -> None:
        name = _local(el.tag)
        if name in _WHOLE:
            return
        for child in el:
            child_name = _local(child.tag)
            if not child_name:
                continue                        # a comment or processing instruction
            if child_name in READ.get(name, ()):
                walk(child)
            else:
                out[(name, child_name)] += 1

    walk(root)
    return out


def losses(root, st: ImportState) -> None:
    """List in the report what the file holds that gtcode cannot take."""
    q, report = st.q, st.report
    sources = root.find(q("Sources"))
    if sources is not None:
        for kind in MEDIA:
            items = sources.findall(q(kind))
            if items:
                names = ", ".join(repr(el.get("name") or el.get("guid")) for el in items[:5])
                more = f" and {len(items) - 5} more" if len(items) > 5 else ""
                lost = plural(len(items), kind.replace('Source', '').lower() + ' source')
                report.lose(f"{lost} ({names}{more}) with their selections and codings: gtcode holds text documents "
                            "only")
        rich = sum(1 for el in sources.findall(q("TextSource")) if el.get("richTextPath"))
        if rich:
            report.lose(f"rich-text formatting (.docx) of {plural(rich, 'text source')}: their plain text is imported")
    graphs = root.findall(f"{q('Graphs')}/{q('Graph')}")
    if graphs:
        names = ", ".join(repr(g.get("name") or "?") for g in graphs)
        report.lose(f"{plural(len(graphs), 'graph')} (network views: {names}): gtcode draws its model from relations "
                    "instead")
    refs = sum(len(c.findall(q("CodeRef"))) + len(c.findall(q("SelectionRef")))
               for c in root.iterfind(f"{q('Cases')}/{q('Case')}"))
    if refs:
        report.lose(f"{plural(refs, 'code or selection reference')} of cases: "
                    "gtcode cases hold documents and attributes")
    for (parent, child), n in sorted(unread(root).items()):
        report.lose(f"{n} <{child}> element{'s' * (n != 1)} inside <{parent}>: gtcode does not read them there")
