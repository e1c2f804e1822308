"""Every key of the coding screen, in one list: the bindings and the help overlay are both made from it,
so the help can never leave a key out."""

from __future__ import annotations

#: (keys as Textual names them, how the help shows them, action, what it does, shown in the footer)
KEYS: list[tuple[str, str, str, str, bool]] = [
    # moving
    ("j,down", "j ↓", "move(1)", "next segment", False),
    ("k,up", "k ↑", "move(-1)", "previous segment", False),
    ("J,shift+down", "J shift+↓", "extend(1)", "extend the selection down", False),
    ("K,shift+up", "K shift+↑", "extend(-1)", "extend the selection up", False),
    ("v", "v", "visual", "selection mode: j/k extend until v or Esc", False),
    ("escape", "Esc", "clear_selection", "clear the selection", False),
    ("pagedown,space", "PgDn Space", "page(1)", "page down", False),
    ("pageup,b", "PgUp b", "page(-1)", "page up", False),
    ("g,home", "g Home", "edge(-1)", "first segment", False),
    ("G,end", "G End", "edge(1)", "last segment", False),
    ("n", "n", "uncoded(1)", "next uncoded participant segment", False),
    ("p", "p", "uncoded(-1)", "previous uncoded participant segment", False),
    # coding
    ("c", "c", "pick_code", "apply a code (fuzzy picker, recent first; type a new name to create it)", True),
    ("1,2,3,4,5,6,7,8,9", "1…9", "quick_code", "apply one of the nine most used codes (numbered in the code panel)",
     False),
    ("x", "x", "remove_code", "remove a code from the selection", True),
    ("i", "i", "invivo", "in vivo: code the participant's own words as a new code", True),
    ("a", "a", "accept", "accept the pending (autocoded) codings on the selection", False),
    ("X", "X", "reject", "reject the pending (autocoded) codings on the selection", False),
    ("u", "u", "undo", "undo your last command", True),
    # looking around
    ("r", "r", "passages", "all passages of the code under the cursor (constant comparison)", True),
    ("s", "s", "similar", "passages in other interviews most like this segment (computed here, offline)", False),
    ("P", "P", "play", "play the recording from this segment (link one with gtcode docs media)", False),
    ("slash", "/", "search", "search every document", True),
    ("m", "m", "memo", "write a memo on the selection (or on the highlighted code in the code panel)", True),
    ("d", "d", "documents", "switch document", True),
    ("tab", "Tab", "toggle_focus", "between the transcript and the code panel (type there to filter codes)", False),
    ("question_mark", "?", "help", "this help", True),
    ("q", "q", "quit", "quit (everything is already saved)", False),
]

#: Keys of the screens opened from the coding screen, listed in the help too.
MODAL_KEYS: list[tuple[str, str]] = [
    ("Enter", "choose / apply / save the in vivo code"),
    ("Esc", "close without changing anything"),
    ("ctrl+s", "save the memo"),
    ("ctrl+e", "edit the memo in $EDITOR"),
    ("mouse", "click a segment to move there, shift+click to extend; click a code to apply it"),
]
