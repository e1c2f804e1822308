"""Documents: `gtcode docs` (list, show, rename, delete, edit, speakers)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, Where
from gtcode.cli.output import add_rows, clip, err, fmt_time, out_console, print_json, print_table, table
from gtcode.errors import InputError
from gtcode.text import plural

docs_app = App(help="Documents: list them, read them segment by segment, correct them, fix their speakers, rename "
                    "or delete them.")


def register(app: App) -> None:
    app.add_typer(docs_app, name="docs", rich_help_panel="Look at the data")
    app.command("play", rich_help_panel="Look at the data")(play)


@docs_app.command("list")
def docs_list(where: Where = None, json_out: Json = False) -> None:
    """List documents: name, case, words, turns, segments, when imported.

    Example: gtcode docs list --where role=mother
    """
    with open_project() as project:
        docs = project.docs.list(where)
    if json_out:
        print_json([d.to_dict() for d in docs])
    elif docs:
        _render_documents(docs)
    else:
        err("No documents yet: import some with 'gtcode import PATH…'.")


def _render_documents(docs) -> None:
    right = {"justify": "right"}
    t = table(("ID", right), "Document", "Case", "Format", ("Words", right), ("Turns", right), ("Segments", right),
              "Imported", title=None)
    add_rows(t, [(d.label, d.name, d.case or "-", d.format, f"{d.words:,}", str(d.turns), str(d.segments),
                  d.imported_at[:10]) for d in docs])
    print_table(t)


@docs_app.command("show")
def docs_show(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    segments: Annotated[Optional[str], typer.Option(help="Only these segments, e.g. 10-40.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="Tab-separated lines, no wrapping: for piping.")] = False,
    json_out: Json = False,
) -> None:
    """Read a document as numbered segments with speakers and times.

    Example: gtcode docs show P01 --segments 10-40
    """
    from gtcode.address import parse_ranges

    with open_project() as project:
        doc = project.docs.get(document)
        nums = parse_ranges(segments, what="--segments") if segments else None
        if nums and min(nums) > doc.segments:
            from gtcode.address import format_ranges
            from gtcode.errors import UnknownSegment

            raise UnknownSegment(f"D{doc.id} {doc.name!r} has segments 1-{doc.segments}; "
                                 f"no segment {format_ranges(nums)}")
        segs = project.docs.segments(doc.id, min(nums) if nums else None, max(nums) if nums else None)
    if nums and max(nums) > doc.segments:
        err(f"Note: D{doc.id} has {doc.segments} segments; shown up to the last.")
    if json_out:
        print_json({"document": doc.to_dict(), "segments": [s.to_dict() for s in segs]})
    elif plain:
        for s in segs:
            sys.stdout.write(f"{s.address}\t{s.speaker or ''}\t{fmt_time(s.time_start)}\t{s.text}\n")
    else:
        _render_segments(doc, segs)


@docs_app.command("rename")
def docs_rename(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    new_name: Annotated[str, typer.Argument(help="Its new name (no other document may have it).")],
) -> None:
    """Rename a document; codings, memos and its case stay with it (undo renames it back).

    Example: gtcode docs rename D3 P03_followup
    """
    with open_project() as project:
        done = project.docs.rename(document, new_name)
    err(f"Renamed {done.label} {done.before!r} to {done.after!r}" if done.changed
        else f"{done.label} is already named {done.after!r}")


@docs_app.command("delete")
def docs_delete(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    force: Annotated[bool, typer.Option("--force", help="Also delete the codings, memo links, relation evidence "
                                        "and property placements anchored to it.")] = False,
    purge: Annotated[bool, typer.Option("--purge", help="Keep no copy of the text, not even for undo (a "
                                        "participant withdrew); cannot be undone.")] = False,
) -> None:
    """Delete a document; refuses, listing them, while anything is anchored to it unless --force (undo restores
    it all, so its text stays in the project's undo history, unless --purge).

    Example: gtcode docs delete D3 --force
    """
    with open_project() as project:
        done = project.docs.delete(document, force, purge)
    items = sum(done.dropped.values())
    err(f"{'Purged' if purge else 'Deleted'} {done.label} {done.name!r}"
        + (f" with {plural(items, 'anchored item')}" if items else "")
        + ("; no copy of its text is kept" if purge else "; 'gtcode undo' restores it"))


@docs_app.command("edit")
def docs_edit(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    from_file: Annotated[Optional[Path], typer.Option("--from", metavar="FILE", help="Take the corrected text from "
                                                      "FILE ('-': standard input) instead of opening $EDITOR.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would move and what would break; change "
                                          "nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Drop the anchored items whose words the edit changes "
                                        "(listed; 'gtcode undo' brings them back).")] = False,
    json_out: Json = False,
) -> None:
    """Correct a transcript in your editor ($VISUAL/$EDITOR); codings, memo links, evidence and placements move
    with their words. Refused, with the list, when the edit changes anchored words, unless --force.

    Example: gtcode docs edit P01            (or: gtcode docs edit P01 --from P01-corrected.txt)
    """
    from gtcode.files import read_utf8

    with open_project() as project:
        doc = project.docs.get(document)
        if from_file is None:
            from gtcode.editor import edit

            text = edit(project.docs.text(doc.id), ".txt", name=doc.name, comments=False)
        elif str(from_file) == "-":
            text = sys.stdin.read()
        else:
            text = read_utf8(from_file, InputError, "corrected transcript", max_bytes=200_000_000)
        done = project.docs.edit(doc.id, text, force=force, dry_run=dry_run)
    if json_out:
        print_json(done.to_dict() | {"dry_run": dry_run})
        return
    if not done.changed:
        err(f"{done.document} {done.name!r}: the text is unchanged; nothing to do")
        return
    verb = "Would edit" if dry_run else "Edited"
    err(f"{verb} {done.document} {done.name!r}: turns {done.turns[0]} → {done.turns[1]}, segments "
        f"{done.segments[0]} → {done.segments[1]}; {plural(done.moved, 'anchored item')} "
        f"{'moves with its' if done.moved == 1 else 'move with their'} words, {done.kept} "
        f"{'stays where it is' if done.kept == 1 else 'stay where they are'}")
    if done.dropped:
        err(f"{'Would refuse: ' if dry_run and not force else ''}{plural(len(done.dropped), 'anchored item')} "
            f"{'loses its' if len(done.dropped) == 1 else 'lose their'} words"
            f"{' (dropped; gtcode undo brings them back)' if not dry_run else ''}:")
        for item in done.dropped:
            err(f"  {item['kind']} ({item['what']}, by {item['who']}): “{clip(item['words'])}”")


@docs_app.command("speakers")
def docs_speakers(
    documents: Annotated[Optional[list[str]], typer.Argument(help="D3, 3 or names (default: every document).")] = None,
    interviewer: Annotated[Optional[list[str]], typer.Option(
        "--interviewer", metavar="LABEL", help="This label is the interviewer (repeat for more; commas stay part "
        "of a label, e.g. 'MEL, TYPING').")] = None,
    role: Annotated[Optional[list[str]], typer.Option(
        "--role", metavar="LABEL=ROLE", help="Give a label a role: interviewer, participant or other (other: "
        "captioners, a third person; left out of participant analyses). Repeatable.")] = None,
    rename: Annotated[Optional[list[str]], typer.Option(
        "--rename", metavar="OLD=NEW", help="Rename a label, in the text too (e.g. SPEAKER_00=Maria); anchors "
        "move with their words. Repeatable.")] = None,
    force: Annotated[bool, typer.Option("--force", help="With --rename: drop anchored items that cover a "
                                        "renamed label's words.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")] = False,
    json_out: Json = False,
) -> None:
    """List speaker labels with their turns and roles, or fix them: who the interviewer is, other voices,
    renamed labels. One command, undone with 'gtcode undo'.

    Examples: gtcode docs speakers P01 --interviewer MEL
              gtcode docs speakers D4 --rename SPEAKER_00=Maria --rename SPEAKER_01=Interviewer
    """
    with open_project() as project:
        if not (interviewer or role or rename):
            labels = project.docs.speakers(documents or None)
            if json_out:
                print_json([x.to_dict() for x in labels])
            else:
                _render_speakers(labels)
            return
        if not documents:
            raise InputError("name the documents to change (e.g. gtcode docs speakers D1 D2 --interviewer MEL)")
        done = project.docs.set_speakers(documents, interviewer=interviewer or (), roles=role or (),
                                         rename=rename or (), force=force, dry_run=dry_run)
    if json_out:
        print_json([c.to_dict() for c in done] if not dry_run else {"dry_run": True, "documents": [c.to_dict()
                                                                                                    for c in done]})
        return
    for c in done:
        said = [f"{a} → {b}" for a, b in c.renamed.items()] + [f"{a} is {r}" for a, r in c.roles.items()]
        if said:
            err(f"{'Would change' if dry_run else 'Changed'} {c.document} {c.name!r}: {'; '.join(said)} "
                f"({plural(c.turns, 'turn')}{', ' + plural(c.moved, 'anchored item') + ' moved' if c.moved else ''})")
        else:
            err(f"{c.document} {c.name!r}: nothing to change")
        for item in c.dropped:
            err(f"  dropped {item['kind']} ({item['what']}, by {item['who']}): “{clip(item['words'])}”")


@docs_app.command("media")
def docs_media(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    file: Annotated[Optional[Path], typer.Argument(help="The audio or video recording (never copied).")] = None,
    unlink: Annotated[bool, typer.Option("--unlink", help="Forget the linked recording.")] = False,
) -> None:
    """Link a document to its recording, so 'gtcode play D3:17' (and the TUI's p key) plays a passage.

    Example: gtcode docs media P03 ~/recordings/P03.m4a
    """
    if file is None and not unlink:
        raise InputError("give the recording's FILE, or --unlink")
    with open_project() as project:
        doc = project.docs.get(document)
        project.docs.link_media(doc.id, None if unlink else file)
    err(f"Unlinked the recording of {doc.label} {doc.name!r}" if unlink
        else f"Linked {doc.label} {doc.name!r} to {file}; play a passage with gtcode play {doc.label}:1")


def play(
    address: Annotated[str, typer.Argument(help="A passage: D3:17, or P03:17.")],
) -> None:
    """Play the recording from where a passage was said (mpv, ffplay or vlc, or 'gtcode config set player …').

    Example: gtcode play D3:17
    """
    import subprocess

    with open_project() as project:
        playing = project.docs.playback(address)
    err(f"Playing {playing['file']} from {fmt_time(playing['start'])}")
    try:
        subprocess.run(playing["argv"], check=False)
    except OSError as exc:
        raise InputError(f"could not start the player {playing['argv'][0]!r} ({exc.strerror})") from None


def _render_speakers(labels) -> None:
    right = {"justify": "right"}
    t = table("Document", "Speaker", ("Turns", right), "Role", title=None)
    last = None
    for x in labels:
        t.add_row(f"{x.document} {x.name}" if x.document != last else "", x.speaker, str(x.turns), x.role)
        last = x.document
    print_table(t)


def _render_segments(doc, segments) -> None:
    from rich.text import Text

    console = out_console()
    console.print(Text(f"D{doc.id} {doc.name}" + (f" · case {doc.case}" if doc.case else "") +
                       f" · {doc.words:,} words · {doc.segments} segments", style="bold"))
    t = table(("", {"justify": "right", "style": "dim", "no_wrap": True}), ("", {"no_wrap": True, "max_width": 18}),
              ("", {"style": "dim", "no_wrap": True}), ("", {"ratio": 1}), show_header=False, box=None)
    last_turn = last_time = None
    for s in segments:
        new_turn = s.turn != last_turn
        last_turn = s.turn
        if s.kind == "front":
            who = Text("(front matter)" if new_turn else "", style="dim italic")
        elif s.kind == "quoted":
            who = Text(f"> {s.speaker or 'quoted'}" if new_turn else "", style="italic")
        else:
            who = Text(s.speaker or "", style="cyan" if s.is_interviewer else "dim" if s.role == "other" else "bold"
                       ) if new_turn else Text("")
        time = fmt_time(s.time_start) if s.time_start != last_time else ""
        last_time = s.time_start if s.time_start is not None else last_time
        t.add_row(str(s.ordinal), who, time, Text(s.text, style="dim" if s.is_interviewer or s.kind == "front" else
                                                   "italic" if s.kind == "quoted" else ""))
    print_table(t, console)
