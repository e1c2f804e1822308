"""What the coding screen's keys for looking around do (passages of a code, similar passages, the recording,
search), and `guarded`, which turns a GtcodeError in any action into a one-line message, never a crash."""

from __future__ import annotations

import functools
from pathlib import Path

from rich.text import Text

from gtcode.errors import GtcodeError
from gtcode.text import plural
from gtcode.tui.screens import ChoiceDialog, CodePicker, SearchDialog
from gtcode.tui.session import Selection


def guarded(method):
    """Run an action; a GtcodeError becomes a one-line message in the status bar, never a crash."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except GtcodeError as exc:
            self.say(f"{exc}", error=True)

    return wrapper


class LookingAround:
    """The coding screen's keys for looking around (mixed into `CodingScreen`, which provides `session`,
    `transcript`, `selection`, `tree_code`, `say` and `jump`)."""

    def action_passages(self) -> None:
        code_id = self.tree_code()
        if code_id is None:
            sel = self.selection()
            if sel is None:
                return
            here = self.session.codes_in(Selection(self.transcript.cursor, self.transcript.cursor))
            if not here:
                self.say("No code on this segment: highlight one in the code panel (Tab) and press r.")
                return
            if len(here) > 1:
                self.app.push_screen(CodePicker("Passages of…", here, allow_create=False),
                                     lambda answer: answer and self._passages(answer[1]))
                return
            code_id = here[0].id
        self._passages(code_id)

    @guarded
    def _passages(self, code_id: int) -> None:
        code = self.session.code_by_id(code_id)
        found = self.session.passages(code_id)
        options = []
        for p in found:
            prompt = Text()
            prompt.append(f"{p.address:<10}", style="bold")
            who = p.case or p.document
            role = p.attributes.get("role")
            prompt.append(f"{who}{' · ' + role if role else ''}", style="dim")
            if p.code != code.path:
                prompt.append(f" · {p.code.rsplit('/', 1)[-1]}", style="dim italic")
            prompt.append("\n" + " ".join(p.text.split()))
            options.append((p.address.split(",")[0], prompt))
        docs = len({p.document_id for p in found})
        self.app.push_screen(
            ChoiceDialog(f"{code.name}: {plural(len(found), 'passage')} in {plural(docs, 'document')}", options,
                         empty="No confirmed passages of this code yet."),
            lambda address: address and self._jump(address))

    @guarded
    def action_similar(self) -> None:
        if not self.session.segments:
            return
        data = self.session.similar(self.session.segments[self.transcript.cursor].address)
        options = []
        for r in data["results"]:
            prompt = Text()
            prompt.append(f"{r['address']:<10}", style="bold").append(f"{r['document']}  {r['score']:.2f}", style="dim")
            if r["codes"]:
                prompt.append("  " + "; ".join(c.rsplit("/", 1)[-1] for c in r["codes"]), style="italic")
            prompt.append("\n" + " ".join(r["text"].split()))
            options.append((r["address"], prompt))
        self.app.push_screen(
            ChoiceDialog(f"Most like {data['query']['address']} in other interviews (suggestions to read)", options,
                         empty="No passage in another interview shares words with this one."),
            lambda address: address and self._jump(address))

    @guarded
    def action_play(self) -> None:
        """Start the user's player at the current segment's time; the TUI stays usable while it plays."""
        import subprocess

        if not self.session.segments:
            return
        playing = self.session.project.docs.playback(self.session.segments[self.transcript.cursor].address)
        try:
            subprocess.Popen(playing["argv"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            self.say(f"could not start the player {playing['argv'][0]!r} ({exc.strerror})", error=True)
            return
        self.say(f"Playing {Path(playing['file']).name} from {int(playing['start']) // 60}:"
                 f"{int(playing['start']) % 60:02d}")

    @guarded
    def _jump(self, address: str) -> None:
        self.jump(address)

    def action_search(self) -> None:
        self.app.push_screen(SearchDialog(self.session.search), lambda address: address and self._jump(address))
