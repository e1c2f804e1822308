"""Local AI assistance (`gtcode similar`, `suggest`, `explore`, `ai …`): it suggests, a person decides.

Everything runs on this machine; scikit-learn (and, for `suggest` with the `ai` extra, wordllama's bundled
embedding) loads only inside these commands. Suggestions become *pending* codings by `gtcode-suggest` only with
`--apply`, reviewed with `gtcode review`. `gtcode ai index [--drop]` refreshes or deletes the stored index of
word counts those commands keep.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, Where
from gtcode.cli.output import err, out_console, print_json, show, table
from gtcode.errors import InputError
from gtcode.text import plural

PANEL = "Local assistance"
ai_app = App(help="Switch AI assistance off or on, lock it for a project, name a local model, keep or drop "
                  "the stored index.\n\n"
                  "Example: gtcode ai status  ·  gtcode ai lock --reason 'ethics condition 4'")

Top = Annotated[int, typer.Option("--top", "-k", help="How many to show.")]
Unit = Annotated[str, typer.Option(help="segment (a sentence or so) or turn (a whole answer).")]


def register(app: App) -> None:
    app.command(rich_help_panel=PANEL)(similar)
    app.command(rich_help_panel=PANEL)(suggest)
    app.command(rich_help_panel=PANEL)(explore)
    app.command(rich_help_panel=PANEL)(summarise)
    app.add_typer(ai_app, name="ai", rich_help_panel=PANEL)


def _passage_line(p: dict, score: float | None = None):
    from rich.text import Text

    line = Text()
    line.append(p["address"], style="cyan").append(f"  {p.get('speaker') or '-'}", style="dim")
    if score is not None:
        line.append(f"  {score:.2f}", style="magenta")
    if p.get("codes"):
        line.append("  [" + "; ".join(c.rsplit("/", 1)[-1] for c in p["codes"]) + "]", style="green")
    return line.append("\n    " + " ".join(p["text"].split()))


def similar(
    address: Annotated[Optional[str], typer.Argument(help="The passage: D3:17 or D3:17-19.")] = None,
    contrast: Annotated[Optional[str], typer.Option(help="Instead: the passages of this code least like its "
                                                   "others (candidate negative cases).")] = None,
    top: Top = 10,
    where: Where = None,
    json_out: Json = False,
) -> None:
    """Passages in other interviews most like this one (coded or not, with their codes): constant comparison.

    Example: gtcode similar D2:31  ·  gtcode similar --contrast "Feeling judged as a parent"
    """
    if (address is None) == (contrast is None):
        raise InputError("give a passage address (e.g. D3:17), or --contrast CODE")
    with open_project() as project:
        if contrast:
            data = project.assist.contrast(contrast, top=top, where=where)
        else:
            data = project.assist.similar(address, top=top, where=where)
    show(data, json_out, _render_similar)


def _render_similar(data: dict) -> None:
    console = out_console()
    if "query" in data:
        console.print(_passage_line(data["query"]))
        console.print()
        head = f"Most like it, of {data['compared']} participant passages in other documents:"
    else:
        head = (f"Passages of {data['code']!r} least like its other {data['passages'] - 1} (mean similarity, "
                "lowest first): read them as candidate negative cases.")
    err(head if data["results"] else "Nothing shares words with it.")
    for r in data["results"]:
        console.print(_passage_line(r, r["score"]))


def suggest(
    targets: Annotated[Optional[list[str]], typer.Argument(help="Documents (P03, D3) or passages (D3:17); "
                                                           "default: every uncoded participant passage.")] = None,
    unit: Unit = "segment",
    top: Top = 3,
    where: Where = None,
    apply: Annotated[bool, typer.Option("--apply", help="Leave the suggestions shown as pending codings by "
                                        "'gtcode-suggest', for 'gtcode review'.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Ask your local model (gtcode ai llm) for one sentence "
                                          "on why each passage's top suggestion fits; it is sent the passage, the "
                                          "code's definition and the evidence (pseudonymised documents only).")]
    = False,
    json_out: Json = False,
) -> None:
    """Codes for uncoded participant passages, learned from your coding so far and the codes' definitions.

    Each code comes with a score and the coded passages that drove it. Nothing is coded unless you --apply,
    and then only as pending suggestions for review. Passages are compared by their words and, where the 'ai'
    extra is installed (see the README), by wordllama's bundled embedding too; it runs on this machine.
    Example: gtcode suggest P03 --top 3  ·  gtcode suggest P03 --top 1 --apply && gtcode review
    """
    with open_project() as project:
        run = project.assist.suggest(targets, unit=unit, top=top, where=where, apply=apply, explain=explain)
    show(run, json_out, _render_suggest, lambda r: r.to_list())
    with_any = sum(1 for _, s in run.items if s)
    err(f"Suggestions for {with_any} of {plural(len(run.items), 'uncoded passage')}, learned from "
        f"{plural(run.trained_on, 'coded passage')}; {_ranked_by(run)}.")
    if explain:
        err(f"Reasons from your local model ({run.info.get('llm_model')}): a second opinion to weigh, not a finding.")
    if apply:
        n = sum(run.applied.values())
        err(f"{plural(n, 'pending coding')} by gtcode-suggest; review them with 'gtcode review' "
            "(accept or reject).")


def _ranked_by(run) -> str:
    """Which method ranked the suggestions, and how to get the better one when it is missing."""
    from gtcode.assist.embedding import INSTALL_HINT

    if run.embedded:
        return "ranked by word overlap (TF-IDF) and wordllama's bundled embedding"
    return f"ranked by word overlap (TF-IDF); {INSTALL_HINT}"


def _render_suggest(run) -> None:
    from rich.text import Text

    console = out_console()
    for p, sugs in run.items:
        if not sugs:
            continue
        console.print(_passage_line(p.to_dict()))
        for s in sugs:
            line = Text("      ").append(f"{s.score:.2f} ", style="magenta").append(s.code, style="bold")
            console.print(line.append(f"  from {', '.join(s.evidence)}", style="dim"))
            if s.rationale:
                console.print(Text("           why: ", style="dim").append(s.rationale, style="italic"))


def explore(
    k: Annotated[int, typer.Option("--k", help="How many groupings.")] = 6,
    where: Where = None,
    unit: Unit = "segment",
    name: Annotated[bool, typer.Option("--name", help="Ask your local model (gtcode ai llm) to name each "
                                       "grouping.")] = False,
    memo: Annotated[Optional[str], typer.Option(help="Save the groupings as a memo with this title.")] = None,
    json_out: Json = False,
) -> None:
    """Groupings of uncoded participant passages, with distinctive words and three passages each.

    Prompts to read, not codes. Example: gtcode explore --k 8 --where role=mother --memo "Uncoded, March"
    """
    with open_project() as project:
        data = project.assist.explore(k=k, where=where, unit=unit, name=name, memo=memo)
    show(data, json_out, _render_explore)
    err(f"{len(data['groups'])} groupings of {data['passages']} uncoded participant passages: prompts to read, "
        "not codes." + (f" Saved as memo {data['memo']}." if data.get("memo") else ""))


def _render_explore(data: dict) -> None:
    from rich.text import Text

    console = out_console()
    for g in data["groups"]:
        title = Text(f"Group {g['group']}", style="bold")
        if g.get("name"):
            title.append(f": {g['name']}")
        console.print(title.append(f"  ({g['size']} passages)  ", style="dim").append(", ".join(g["words"]),
                                                                                   style="yellow"))
        for p in g["passages"]:
            console.print(_passage_line(p))
        console.print()


def summarise(
    code: Annotated[str, typer.Argument(help="The code whose passages to summarise.")],
    memo: Annotated[bool, typer.Option("--memo", help="Save the draft as a code memo.")] = False,
    json_out: Json = False,
) -> None:
    """A draft summary of a code's passages by your local model; every quotation checked against the transcripts.

    Needs 'gtcode ai llm URL --model NAME' first (a server on this machine). Example: gtcode summarise Film --memo
    """
    with open_project() as project:
        data = project.assist.summarise(code, memo=memo)
    if json_out:
        print_json(data)
    else:
        out_console().print(data["draft"], markup=False, highlight=False)
    err(f"{plural(len(data['verified']), 'quotation')} verified, {len(data['unverified'])} not found in the "
        "transcripts (flagged)." + (f" Saved as memo {data['memo']}." if data.get("memo") else ""))


@ai_app.command("status")
def ai_status(json_out: Json = False) -> None:
    """Whether AI assistance is on, locked for this project, which local model is set, and the latest runs.

    Example: gtcode ai status
    """
    with open_project() as project:
        data = project.assist.status()
    if json_out:
        print_json(data)
        return
    lock = data["lock"]
    locked = "not locked"
    if lock:
        locked = f"locked by {lock['by']} on {lock['at'][:10]}" + (f" ({lock['reason']})" if lock["reason"] else "")
    model = (data["llm"] or "none") + (f" ({data['llm_model']})" if data["llm_model"] else "")
    out_console().print(f"Your setting: {data['user']}\nThis project: {locked}\nLocal model: {model}\n"
                        f"Stored index: {_index_words(data['index'])}", markup=False, highlight=False)
    if data["runs"]:
        t = table("When", "Who", "What")
        for r in data["runs"]:
            t.add_row(r["at"][:16].replace("T", " "), r["coder"], r["summary"])
        out_console().print(t)


def _index_words(held: dict) -> str:
    if not held["segments"]:
        return "none"
    return (f"word counts of {held['segments']:,} participant segments in {plural(held['documents'], 'document')} "
            f"({held['bytes'] / 1e6:.1f} MB, derived from the transcripts)")


def _index_note(held: dict | None) -> None:
    """Say whether this project keeps a stored index, and how to delete it."""
    if held and held["segments"]:
        err(f"This project keeps a stored index: {_index_words(held)}; 'gtcode ai index --drop' deletes it.")


@ai_app.command("off")
def ai_off() -> None:
    """Switch every AI-assistance command off for you (your settings, all projects).

    Example: gtcode ai off
    """
    from gtcode.config import set_config
    from gtcode.errors import ProjectError

    set_config("ai", "off")
    err("AI assistance is off: similar, suggest, explore and summarise will refuse to run.")
    try:
        with open_project() as project:
            held = project.assist.stored_index()
    except ProjectError:   # run outside a project: the setting is still made
        held = None
    _index_note(held)


@ai_app.command("on")
def ai_on() -> None:
    """Switch AI assistance back on for you (a project lock still applies).

    Example: gtcode ai on
    """
    from gtcode.config import set_config

    set_config("ai", None)
    err("AI assistance is on (unless a project is locked).")


Reason = Annotated[str, typer.Option(help="Why: the ethics condition, or the amendment that lifts it.")]


@ai_app.command("lock")
def ai_lock(reason: Reason = "") -> None:
    """Lock AI assistance for this project, for everyone: recorded in the audit log with who and why.

    Example: gtcode ai lock --reason "REC condition 4: no automated analysis"
    """
    _set_lock(True, reason)


@ai_app.command("unlock")
def ai_unlock(reason: Reason = "") -> None:
    """Lift this project's AI lock (recorded in the audit log).

    Example: gtcode ai unlock --reason "amendment 2 approved"
    """
    _set_lock(False, reason)


def _set_lock(locked: bool, reason: str) -> None:
    with open_project() as project:
        done = (project.assist.lock if locked else project.assist.unlock)(reason)
    err(f"AI assistance is {'locked' if locked else 'unlocked'} for this project.")
    if locked:
        _index_note(done["index"])


@ai_app.command("index")
def ai_index(
    drop: Annotated[bool, typer.Option("--drop", help="Delete the stored index instead (allowed when AI is off "
                                       "or locked); it is rebuilt only if an AI command runs again.")] = False,
    json_out: Json = False,
) -> None:
    """Bring the stored passage index up to date now, or delete it with --drop (recorded).

    The index holds each participant segment's word counts, so 'similar' answers quickly; AI commands keep it
    up to date themselves, counting only what changed. Example: gtcode ai index  ·  gtcode ai index --drop
    """
    with open_project() as project:
        data = project.assist.drop_index() if drop else project.assist.index()
    if json_out:
        print_json(data)
    elif drop:
        err(f"Deleted the stored index: {_index_words(data)}." if data["segments"] else "No index was stored.")
    else:
        err(f"Stored index: {_index_words(data)}; {data['counted']:,} segments counted now, "
            f"{data['reused']:,} kept from before an edit.")


@ai_app.command("llm")
def ai_llm(
    url: Annotated[str, typer.Argument(help="A server on this machine, e.g. http://127.0.0.1:11434 (Ollama) "
                                       "or http://127.0.0.1:8080/v1 (OpenAI-compatible).")],
    model: Annotated[str, typer.Option(help="The model name the server knows.")],
) -> None:
    """Name a local language model (optional, off until set): loopback addresses only.

    Example: gtcode ai llm http://127.0.0.1:11434 --model llama3.2
    """
    from gtcode.assist.llm import check_loopback
    from gtcode.config import set_config

    set_config("llm", check_loopback(url))
    set_config("llm_model", model)
    err(f"Local model set: {model} at {url}. Only this machine is ever contacted.")
