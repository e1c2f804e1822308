"""The demo project: the bundled fictional VIG interviews, built from scratch.

Later stages (coding, memos, the model, the report) extend `build_demo`.
Rebuilding gives the same result every time; an existing folder is only
replaced when it holds a previous demo, never a real project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gtcode.errors import InputError, ProjectExists
from gtcode.samples import bundled_codebook, bundled_transcripts

DEMO_NAME = "VIG engagement (gtcode demo)"
#: the researcher is named in the Teams/Zoom transcripts, not just 'Interviewer'
DEMO_INTERVIEWER = "Interviewer,I,Q,Researcher,Hannah Reid"
DEMO_QUERY = 'evidence OR "social worker" OR judging'


@dataclass
class DemoResult:
    project: object
    report: object
    query: str
    hits: list
    total: int
    #: the starter codebook's import (gtcode.codebook.CodebookImportReport), or None without codebooks/
    codebook: object = None
    #: autocoding with its patterns (gtcode.codebook.autocode.AutocodeResult), every suggestion then accepted
    autocode: object = None
    #: accepted suggestions per code path
    accepted: dict = field(default_factory=dict)
    #: the demo's memos (gtcode.memos.Memo) as they end up: reviewed by the supervisor, one changed since
    memos: list = field(default_factory=list)
    #: the second coder's blind pass: copy path, codings made, the MergeReport and the AgreementReport
    agreement: dict = field(default_factory=dict)
    #: `model check` problems of the finished model
    check: list = field(default_factory=list)
    #: the thesis outputs written beside the project: report.docx, codings.csv, demo.qdpx
    outputs: list = field(default_factory=list)
    #: the explanatory model built by axial and selective coding: core, relations, storyline memo
    model: dict = field(default_factory=dict)


#: the demo's supervisor: comments on one memo, signs off another
DEMO_SUPERVISOR = "Dr Ruth Mensah (supervisor)"

#: (title, type, links, body) written by the demo coder after autocoding, oldest first; [[…]] in a body links too
DEMO_MEMOS = [
    ("Feeling judged as a parent", "code", ["code:Feeling judged as a parent"],
     "Used when a mother describes feeling watched, assessed or found wanting *as a mother* by staff, "
     "family or the camera: not general anxiety, which goes under Anxiety and overwhelm.\n\n"
     "P02 cleaned the house until one in the morning before the first filming and \"kept checking I was "
     "holding him right\" [[D2:64-68]]. The judgement she expects is about her parenting, not about her "
     "home or her illness.\n\n"
     "Properties so far: who is imagined to be judging; what is at stake (being seen as a good enough "
     "mother); what she does about it (preparing, performing, going quiet)."),
    ("Evidence and surveillance", "theoretical", [],
     "Mothers with earlier contact with children's services read the camera as surveillance: \"I thought "
     "they were collecting evidence\" [[D2:31]]. [[code:Fear of social-care involvement]] and "
     "[[code:Uncertainty about use of the film]] are two faces of the same question: who will see this, "
     "and what will they decide about me?\n\n"
     "Against this stands the strengths-based review. Practitioners leave out anything critical "
     "[[D6:80-81]], and P05's guider reframed supervision as \"looking at how I do the review, not how "
     "you do the mothering\" [[D5:71]]. [[code:Focus on what is going well]] seems to work only once "
     "the fear of evidence has been answered.\n\n"
     "Working hypothesis: engagement turns on whether the film is re-read from evidence *against* the "
     "mother to evidence *for* her. Compare P02 (expected evidence) with P05 (told what the film is for)."),
    ("Interviewer labels and speaker detection", "methodological", ["doc:D8"],
     "The transcripts label the interviewer in five ways: Interviewer, I, Q, her name, and her name "
     "with (Researcher) in the Teams captions. The demo imports with --interviewer listing all five "
     "so that her turns are left out of autocoding and word counts, and with --pseudonymise, so her "
     "name and the participants' are replaced before anything is stored; this memo does not name her "
     "either ('gtcode redact check' would list it).\n\n"
     "Checked by reading the first turns of each document: P08 uses Q:/A: only, as its header says "
     "[[D8:9]], and the header lines before the first turn have no speaker, so they count as neither "
     "interviewer nor participant. Decision: keep speaker detection automatic, and check the turn counts "
     "per speaker after every import."),
    ("Who holds the camera", "reflexive", [],
     "I am a researcher asking mothers about being filmed, and I record them myself. Reading P02 I "
     "noticed my relief when the review went well for her; I want the strengths story to be true. "
     "I will look harder for mothers who did not come back, whose voices are thin in this sample."),
]


def _transcripts(source: Path) -> list[Path]:
    return sorted(p for p in source.iterdir() if p.suffix.lower() in (".docx", ".txt", ".vtt", ".srt"))


def check_demo_inputs(source: Path) -> None:
    """Every step's input is there before anything is built: a missing one is named, never skipped."""
    if not source.is_dir():
        raise InputError(f"{source}: no sample transcripts folder (run from a gtcode checkout, or pass --from)")
    missing = [] if _transcripts(source) else [f"transcripts (.docx, .txt, .vtt, .srt) in {source}"]
    if not (source / "participants.csv").is_file():
        missing.append(f"{source / 'participants.csv'} (the cases and their attributes)")
    if not bundled_codebook().is_file():
        missing.append(f"{bundled_codebook()} (the starter codebook)")
    if missing:
        raise InputError("the demo cannot be built: missing " + "; ".join(missing))


def build_demo(directory: str | Path, source: str | Path | None = None, coder: str = "demo",
               command: str = "gtcode demo") -> DemoResult:
    from gtcode.project import Project
    from gtcode.store.db import Store
    from gtcode.store.schema import DB_FILENAME

    source = Path(source) if source else bundled_transcripts()
    check_demo_inputs(source)
    folder = Path(directory)
    db = folder / DB_FILENAME
    if db.exists():
        store = Store.open(db.resolve())
        name = store.scalar("SELECT name FROM project WHERE id = 1")
        store.close()
        if name != DEMO_NAME:
            raise ProjectExists(f"{db}: a project that is not the demo is there; choose another folder")
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    project = Project.init(folder, name=DEMO_NAME, coder=coder, command=command)
    project.cases.import_file(source / "participants.csv")
    key = source / "pseudonym-key.csv"
    report = project.docs.import_paths(_transcripts(source), interviewer=DEMO_INTERVIEWER,
                                       pseudonymise=key if key.is_file() else None)
    hits, total = project.analysis.search(DEMO_QUERY, where=["role=mother"], speaker="participant", limit=5)
    result = DemoResult(project, report, DEMO_QUERY, hits, total)
    # Open coding from the starter codebook: its patterns suggest, the demo coder accepts them all.
    result.codebook = project.codebook.import_file(bundled_codebook())
    result.autocode = project.review.autocode()
    result.accepted = project.review.accept(all_pending=True) if result.autocode.added else {}
    result.memos = add_demo_memos(project)
    result.agreement = add_second_coder(project)
    result.model = add_demo_model(project)
    result.check = project.model.check()
    result.outputs = write_demo_outputs(project)
    return result


#: The reference study's explanatory model: category → (relation to the core).
DEMO_CORE = "Engagement with VIG"
DEMO_MODEL = (
    ("Being filmed", "hinders", "discomfort", "at ease..acutely self-conscious"),
    ("Fear of judgement and surveillance", "hinders", "intensity", "passing worry..overwhelming"),
    ("Practical obstacles", "hinders", "weight", "minor hassle..stops sessions"),
    ("Service factors", "hinders", "continuity", "one guider throughout..repeated changes"),
    ("Maternal mental health", "is-condition-for", "severity", "low mood..acute illness"),
    ("Context", "is-context-for", "setting", "home visit..video call"),
    ("Practitioner relationship", "facilitates", "trust", "guarded..secure"),
    ("Strengths-based focus", "facilitates", "salience", "barely noticed..turning point"),
    ("Seeing attunement on film", "facilitates", "recognition", "doubtful..convinced"),
    ("Ownership of helping questions", "facilitates", "ownership", "set for her..set by her"),
    ("Keeping and sharing the film", "facilitates", "sharing", "kept private..shown to family"),
    ("Flexibility of delivery", "is-strategy-for", "adaptability", "fixed..fitted around her"),
)
#: The core's and the consequence's own properties.
DEMO_CORE_PROPERTY = ("depth", "declined..completed and continued")
DEMO_CONSEQUENCE = ("Growing confidence as a parent", "confidence", "tentative..assured")
#: The codebook's patterns for it find nothing in these interviews; the demo coder codes three passages by hand.
DEMO_CONSEQUENCE_PASSAGES = (("D1:116", "The mum on the screen looked calm."),
                             ("D5:115", "the film was telling me something completely different"),
                             ("D8:133", "it changes the story she tells about herself"))
DEMO_STORYLINE = (
    "Engagement with VIG is won or lost in the first weeks, in the space between a mother's fear of being "
    "watched and judged ([[code:Fear of judgement and surveillance]]) and the practitioner's steady, "
    "strengths-based presence ([[code:Practitioner relationship]]). Low mood and exhaustion set the conditions; "
    "practical obstacles and service pressures wear engagement down. What turns it is seeing herself and her baby "
    "attuned on film ([[code:Seeing attunement on film]]), with helping questions she owns and sessions fitted "
    "around her life.")


def add_demo_model(project) -> dict:
    """Axial and selective coding of the demo: the codebook's groups become categories related to the core,
    each relation grounded in up to three passages from different participants."""
    core = project.model.new_category(DEMO_CORE, description="Taking up, staying with and completing VIG.")
    project.model.add_property(core.path, *DEMO_CORE_PROPERTY)

    def grounding(path: str) -> list[str]:  # up to three passages, each from a different participant
        evidence, cases = [], set()
        for p in project.coding.passages(path):
            if p.case not in cases and len(evidence) < 3:
                evidence.append(p.address)
                cases.add(p.case)
        return evidence

    for name, kind, prop, dimension in DEMO_MODEL:
        cat = project.model.new_category(name)
        project.model.add_property(cat.path, prop, dimension)
        project.model.relate(cat.path, kind, core.path, evidence=grounding(cat.path))
    name, prop, dimension = DEMO_CONSEQUENCE
    for address, quote in DEMO_CONSEQUENCE_PASSAGES:
        project.coding.apply(address, name, quote=quote)
    consequence = project.model.new_category(name)
    project.model.add_property(consequence.path, prop, dimension)
    project.model.relate(core.path, "leads-to", consequence.path, evidence=grounding(consequence.path))
    project.model.set_core(core.path)
    memo, _ = project.memos.new("The storyline", DEMO_STORYLINE, type="storyline", links=[f"category:{core.path}"])
    return {"core": core.path, "relations": len(project.model.relations()), "storyline": memo.id,
            "files": write_demo_figures(project)}


def write_demo_figures(project) -> list[str]:
    """The thesis figures, beside the project: the model as SVG, PNG and Mermaid, and the saturation plot."""
    from gtcode.report.diagram.draw import export_model
    from gtcode.analysis.saturation import plot_saturation

    folder = project.path.parent
    written = [export_model(project, folder / name) for name in ("model.svg", "model.png", "model.mmd")]
    written.append(plot_saturation(project.analysis.saturation(), folder / "saturation.png"))
    return [str(p) for p in written]


def add_demo_memos(project) -> list:
    """Memos by the demo coder, reviewed by a supervisor: a comment on one, a sign-off on another,
    then an edit after the sign-off, so every review state shows."""
    memos = [project.memos.new(title, body, type=kind, links=links)[0] for title, kind, links, body in DEMO_MEMOS]
    code_memo, theory = memos[0], memos[1]
    coder = project.coder
    project.coder = DEMO_SUPERVISOR
    try:
        project.memos.comment(theory.id, "Convincing for P02. Is there a mother who expected evidence and "
                                        "still engaged? That case would test the hypothesis.")
        project.memos.signoff(code_memo.id, "Clear definition; agreed for the codebook.")
    finally:
        project.coder = coder
    project.memos.edit(code_memo.id, body=code_memo.body + "\n\nAfter supervision: also code judgement the "
                      "mother expects from herself on film (\"I was the one who was stiff\" [[D2:67]]).")
    return [project.memos.get(m.id) for m in memos]


#: A second coder double-codes two interviews blind (a mother and a practitioner), for agreement.
DEMO_SECOND_CODER = "Sam Patel (second coder)"
DEMO_DOUBLE_CODED = ("P02", "P06")


def second_coder_pass(project, first_coder: str, cases=DEMO_DOUBLE_CODED) -> int:
    """A simulated second coder's blind pass over `cases`, in their own copy of the project.

    It is deterministic, not random: working from the same codebook, the second coder codes whole
    segments, misses one passage in six and places one in nine a segment later, so agreement shows
    real, imperfect figures. Returns the number of codings made.
    """
    from gtcode.address import format_ranges

    store = project.store
    marks = ",".join("?" * len(cases))
    rows = store.all(
        "SELECT k.id AS code_id, c.document_id, c.start_char, c.end_char FROM codings c "
        "JOIN codes k ON k.id = c.code_id JOIN coders u ON u.id = c.coder_id JOIN documents d ON d.id = c.document_id "
        f"JOIN cases ca ON ca.id = d.case_id WHERE ca.name IN ({marks}) AND u.name = ? AND c.status = 'confirmed' "
        "ORDER BY c.document_id, c.start_char, c.id", (*cases, first_coder))
    paths = {c.id: c.path for c in project.codes.list()}
    segments = {d: [(s["ordinal"], s["start_char"], s["end_char"]) for s in store.all(
        "SELECT ordinal, start_char, end_char FROM segments WHERE document_id = ? ORDER BY ordinal", (d,))]
        for d in {r["document_id"] for r in rows}}
    plan: dict[str, list[str]] = {}
    for i, r in enumerate(rows):
        if i % 6 == 5:
            continue  # missed
        segs = segments[r["document_id"]]
        ordinals = [o for o, a, b in segs if a < r["end_char"] and b > r["start_char"]]
        if i % 9 == 4 and ordinals[-1] < len(segs):
            ordinals = [o + 1 for o in ordinals]  # placed a segment later
        plan.setdefault(paths[r["code_id"]], []).append(f"D{r['document_id']}:{format_ranges(ordinals)}")
    made = 0
    for path, addresses in plan.items():
        made += project.coding.apply(addresses, path)["added"]
    return made


def add_second_coder(project) -> dict:
    """Blind double coding as the README describes it: copy the project, the second coder codes two
    interviews in the copy, merge the copy back, and compare."""
    from gtcode.project import Project

    copy = project.path.parent / "second-coder.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    project.store.conn.execute("VACUUM INTO ?", (str(copy),))
    first = project.coder
    with Project.open(copy, coder=DEMO_SECOND_CODER, command=project.command) as other:
        made = second_coder_pass(other, first)
    from gtcode.team.merge import merge_project

    merged = merge_project(project, copy)
    # Merging only reads the copy; opening it once more read-write lets SQLite tidy its -wal/-shm files.
    Project.open(copy, coder=DEMO_SECOND_CODER).close()
    report = project.team.agreement(coders=[first, DEMO_SECOND_CODER])
    return {"copy": str(copy), "codings": made, "merged": merged, "report": report}


def write_demo_outputs(project) -> list[str]:
    """What the researcher hands in and hands on: the thesis report, the codings for R, and the REFI-QDA project."""
    from gtcode.exchange import export_codings, export_qdpx
    from gtcode.report.thesis import write_report

    folder = project.path.parent
    write_report(project, folder / "report.docx", title="Engagement with Video Interaction Guidance: a grounded theory")
    export_codings(project, folder / "codings.csv")
    export_qdpx(project, folder / "demo.qdpx")
    return [str(folder / name) for name in ("report.docx", "codings.csv", "demo.qdpx")]
